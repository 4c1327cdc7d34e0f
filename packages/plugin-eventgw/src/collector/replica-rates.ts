import type { GatewayStatsReport, TargetKey } from '@ebb/core';

interface Baseline {
  readonly startedMs: number;
  readonly timeMs: number;
  readonly counts: ReadonlyMap<TargetKey, number>;
}

/**
 * Request rates per target from the monotonic `requestCount` counters of successive reports of one gateway
 * replica. rate = (count now - count before) / (time now - time before), in requests per second, using the
 * replica's own report times.
 *
 * Restarts: when `startedMs` changes, the counters began again at 0 at `startedMs`, so the baseline is zero at
 * that time. A target whose counter went down (it stopped being routed and came back) counts from 0. A replica
 * seen for the first time has no baseline, unless it started less than `youngMs` before its report (a new replica:
 * baseline zero at its start). Example: 120 then 180 requests 2 s apart -> 30 req/s; then a restart 0.5 s before a
 * report with 10 requests -> 10 / 0.5 s = 20 req/s.
 */
export class ReplicaRates {
  private readonly baselines = new Map<string, Baseline>();
  private readonly youngMs: number;

  /** @param youngMs a first report this soon (ms) after the replica started counts from zero (default 2000). */
  constructor(youngMs = 2000) {
    this.youngMs = youngMs;
  }

  /**
   * Takes the newest report of `replica` (its URL) and returns the rate per target it reports, or undefined when
   * there is no baseline yet (or the report is not newer than the last one).
   */
  update(replica: string, report: GatewayStatsReport): Map<TargetKey, number> | undefined {
    const previous = this.baselines.get(replica);
    const counts = new Map(report.targets.map((t) => [t.target, t.requestCount]));
    this.baselines.set(replica, { startedMs: report.startedMs, timeMs: report.timeMs, counts });
    const restarted = previous !== undefined && previous.startedMs !== report.startedMs;
    const young = report.timeMs - report.startedMs <= this.youngMs;
    const base: Baseline | undefined =
      previous && !restarted ? previous : restarted || young ? { startedMs: report.startedMs, timeMs: report.startedMs, counts: new Map() } : undefined;
    if (!base) return undefined;
    const elapsedS = (report.timeMs - base.timeMs) / 1000;
    if (elapsedS <= 0) return undefined;
    const rates = new Map<TargetKey, number>();
    for (const [target, count] of counts) {
      const before = base.counts.get(target) ?? 0;
      const delta = count >= before ? count - before : count;
      rates.set(target, delta / elapsedS);
    }
    return rates;
  }

  /** Forgets replicas not in `replicas` (gone), so a replica that comes back starts fresh. */
  retain(replicas: readonly string[]): void {
    const keep = new Set(replicas);
    for (const r of this.baselines.keys()) if (!keep.has(r)) this.baselines.delete(r);
  }
}
