import type { GatewayStatsReport, TargetKey } from '@ebb/core';

interface Baseline {
  readonly startedMs: number;
  readonly timeMs: number;
  /** `demandMsTotal` per target (targets reported without it are left out). */
  readonly totals: ReadonlyMap<TargetKey, number>;
}

/** One target's demand at one gateway replica, from one report. */
export interface ReplicaTargetDemand {
  /**
   * Time-weighted average of in-flight + queued since the replica's previous report (see
   * {@link ReplicaDemand}); the instantaneous value when there is no previous report to average from.
   */
  readonly average: number;
  /** In-flight + queued at the instant of the report. */
  readonly instant: number;
  /** Whether {@link average} is a real average (false: it fell back to {@link instant}). */
  readonly averaged: boolean;
}

/**
 * Average demand per target from the `demandMsTotal` counters of successive reports of one gateway replica:
 * average = (total now - total before) / (time now - time before), in requests (request-ms per ms), using the
 * replica's own report times. This is the time-weighted average of in-flight + queued over the interval, so a
 * request of 200 ms counts as 0.2 of a request in a 1 s interval wherever it falls, instead of 1 or 0 depending
 * on whether a sample hits it.
 *
 * Worked example: totals 12,000 then 12,600 request-ms in reports 1000 ms apart -> 600 / 1000 = 0.6 requests (3
 * requests of 200 ms). Restarts: when `startedMs` changes, the totals began again at 0 at `startedMs` (the new
 * replica's report at +500 ms with 400 request-ms -> 0.8). A target whose total went down (it stopped being routed
 * and came back) counts from 0 over the interval; a target new since the last report counts from 0 too (it was
 * not routed before, so it had no demand there).
 *
 * Falls back to the instantaneous in-flight + queued when there is nothing to average from: the first report of
 * a replica, a report that is not newer than the previous one, or a target reported without `demandMsTotal` (a
 * gateway from before the field).
 */
export class ReplicaDemand {
  private readonly baselines = new Map<string, Baseline>();

  /** Takes the newest report of `replica` (its URL) and returns the demand of every target it reports. */
  update(replica: string, report: GatewayStatsReport): Map<TargetKey, ReplicaTargetDemand> {
    const previous = this.baselines.get(replica);
    const totals = new Map<TargetKey, number>();
    for (const t of report.targets) if (typeof t.demandMsTotal === 'number' && Number.isFinite(t.demandMsTotal)) totals.set(t.target, t.demandMsTotal);
    this.baselines.set(replica, { startedMs: report.startedMs, timeMs: report.timeMs, totals });
    const restarted = previous !== undefined && previous.startedMs !== report.startedMs;
    const base = restarted ? { timeMs: report.startedMs, totals: new Map<TargetKey, number>() } : previous;
    const elapsedMs = base ? report.timeMs - base.timeMs : 0;
    const out = new Map<TargetKey, ReplicaTargetDemand>();
    for (const t of report.targets) {
      const instant = t.inFlight + t.queued;
      const total = totals.get(t.target);
      if (!base || elapsedMs <= 0 || total === undefined) {
        out.set(t.target, { average: instant, instant, averaged: false });
        continue;
      }
      const before = base.totals.get(t.target) ?? 0;
      const delta = total >= before ? total - before : total;
      out.set(t.target, { average: delta / elapsedMs, instant, averaged: true });
    }
    return out;
  }

  /** Forgets replicas not in `replicas` (gone), so a replica that comes back starts fresh. */
  retain(replicas: readonly string[]): void {
    const keep = new Set(replicas);
    for (const r of this.baselines.keys()) if (!keep.has(r)) this.baselines.delete(r);
  }
}
