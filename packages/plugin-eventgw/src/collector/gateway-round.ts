import { Metrics, type CollectContext, type GatewayStatsReport, type TargetKey } from '@ebb/core';
import { EVENTGW_PLUGIN_ID } from '../config/eventgw-fields.ts';
import { EVENTGW_CONGESTED_METRIC, EVENTGW_DEMAND_METRIC } from '../policy/recommend-eventgw.ts';
import { ReplicaDemand } from './replica-demand.ts';
import { ReplicaRates } from './replica-rates.ts';

/** One target's figures from one complete round, summed over the gateway replicas that route it. */
export interface TargetFigures {
  /** Time-weighted average in-flight + queued since each replica's previous report (see {@link ReplicaDemand}). */
  demand: number;
  /** In-flight + queued at the instants of the reports. */
  instant: number;
  /** Queued at the instants of the reports. */
  queued: number;
  /** Requests per second since each replica's previous report (see {@link ReplicaRates}). */
  rps: number;
}

/** What one complete round gives. */
export interface GatewayRound {
  readonly targets: ReadonlyMap<TargetKey, TargetFigures>;
  /** Every replica had a rate baseline (else `rps` is left out this round, as a partial sum would read low). */
  readonly rpsComplete: boolean;
}

/**
 * The per-replica baselines of the gateway stats collector and the sums it records, kept apart from the polling
 * so the simulator's modelled collector computes exactly the same figures from its modelled reports.
 */
export class GatewayFigures {
  private readonly rates = new ReplicaRates();
  private readonly demand = new ReplicaDemand();

  /** Sums one complete round: the report of every replica, by replica URL. Replicas not in it are forgotten. */
  round(reports: ReadonlyArray<readonly [replica: string, report: GatewayStatsReport]>): GatewayRound {
    const replicas = reports.map(([r]) => r);
    this.rates.retain(replicas);
    this.demand.retain(replicas);
    const targets = new Map<TargetKey, TargetFigures>();
    let rpsComplete = true;
    for (const [replica, report] of reports) {
      const rates = this.rates.update(replica, report);
      if (!rates) rpsComplete = false;
      const demand = this.demand.update(replica, report);
      for (const t of report.targets) {
        const sum = targets.get(t.target) ?? { demand: 0, instant: 0, queued: 0, rps: 0 };
        const d = demand.get(t.target);
        sum.demand += d?.average ?? 0;
        sum.instant += d?.instant ?? 0;
        sum.queued += t.queued;
        sum.rps += rates?.get(t.target) ?? 0;
        targets.set(t.target, sum);
      }
    }
    return { targets, rpsComplete };
  }
}

/**
 * Records a round for the targets of `ctx`: the average demand as `eventgw.demand` and, with `shared`, as
 * `concurrency` (Knative's time-averaged concurrency), and `rps` when complete; and for the eventgw policy
 * `eventgw.congested-demand`: the instantaneous in-flight + queued when requests were queued at the reports,
 * else 0. A target using the eventgw policy that no replica routes gets a failure.
 */
export function recordRound(ctx: CollectContext, round: GatewayRound, shared: boolean): void {
  for (const t of ctx.targets) {
    const sum = round.targets.get(t.key);
    if (!sum) {
      if (t.policies.includes(EVENTGW_PLUGIN_ID)) ctx.sink.fail(t.key, EVENTGW_DEMAND_METRIC, new Error(`no gateway replica routes ${t.key}`));
      continue;
    }
    ctx.sink.record(t.key, EVENTGW_DEMAND_METRIC, sum.demand, ctx.nowMs);
    ctx.sink.record(t.key, EVENTGW_CONGESTED_METRIC, sum.queued > 0 ? sum.instant : 0, ctx.nowMs);
    if (!shared) continue;
    ctx.sink.record(t.key, Metrics.concurrency, sum.demand, ctx.nowMs);
    if (round.rpsComplete) ctx.sink.record(t.key, Metrics.rps, sum.rps, ctx.nowMs);
  }
}
