import { GatewayProtocol, Metrics, type CollectContext, type GatewayStatsReport, type MetricCollector, type TargetKey } from '@ebb/core';
import { EVENTGW_PLUGIN_ID } from '../config/eventgw-fields.ts';
import { EVENTGW_DEMAND_METRIC } from '../policy/recommend-eventgw.ts';
import type { GatewayReplicas } from './gateway-replicas.ts';
import { ReplicaRates } from './replica-rates.ts';

/** Id of the collector. */
export const GATEWAY_STATS_COLLECTOR_ID = 'gateway-stats';

/** Options of {@link createGatewayStatsCollector}. */
export interface GatewayStatsCollectorOptions {
  /** The replicas to poll (see `staticGatewayReplicas`, `podGatewayReplicas`). */
  readonly replicas: GatewayReplicas;
  /** Longest wait for one replica's `/stats`, ms (default 800). */
  readonly timeoutMs?: number;
  /** Also record `concurrency` and `rps` (default true). */
  readonly sharedMetrics?: boolean;
  /** Cadence, ms (default 1000, like Knative's scrapes). */
  readonly intervalMs?: number;
}

/** Sum over replicas of one target's figures. */
interface TargetSum {
  demand: number;
  rps: number;
}

function isReport(v: unknown): v is GatewayStatsReport {
  const r = v as Partial<GatewayStatsReport> | null;
  return !!r && typeof r.timeMs === 'number' && typeof r.startedMs === 'number' && Array.isArray(r.targets);
}

async function fetchReport(url: string, timeoutMs: number, signal: AbortSignal): Promise<GatewayStatsReport> {
  const res = await fetch(`${url}${GatewayProtocol.statsPath}`, { signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) });
  if (!res.ok) {
    await res.body?.cancel();
    throw new Error(`${url}${GatewayProtocol.statsPath} answered HTTP ${res.status}`);
  }
  const body: unknown = await res.json();
  if (!isReport(body)) throw new Error(`${url}${GatewayProtocol.statsPath} did not answer a gateway stats report`);
  return body;
}

/**
 * Polls every gateway replica's `GET /stats` each second and records, per target the gateway routes, the sum
 * over replicas of in-flight + queued requests as `eventgw.demand` (and, with `sharedMetrics`, as `concurrency`)
 * and of request rates as `rps` (from counter deltas; see {@link ReplicaRates}). Only a complete round is
 * recorded: if any replica cannot be polled (or none is found), nothing is recorded for that round and every
 * target needing the eventgw policy's metric gets a failure, so a missing replica never reads as less demand.
 * Targets no replica reports (not routed by the gateway) get nothing.
 */
export function createGatewayStatsCollector(options: GatewayStatsCollectorOptions): MetricCollector {
  const timeoutMs = options.timeoutMs ?? 800;
  const shared = options.sharedMetrics ?? true;
  const rates = new ReplicaRates();
  const provides = shared ? [EVENTGW_DEMAND_METRIC, Metrics.concurrency, Metrics.rps] : [EVENTGW_DEMAND_METRIC];

  const failAll = (ctx: CollectContext, error: unknown): void => {
    for (const t of ctx.targets) if (t.policies.includes(EVENTGW_PLUGIN_ID)) ctx.sink.fail(t.key, EVENTGW_DEMAND_METRIC, error);
  };

  return {
    id: GATEWAY_STATS_COLLECTOR_ID,
    provides,
    intervalMs: options.intervalMs ?? 1000,
    async collect(ctx) {
      let urls: readonly string[];
      try {
        urls = await options.replicas.urls();
        if (urls.length === 0) throw new Error('no gateway replica found');
      } catch (e) {
        return failAll(ctx, e);
      }
      const settled = await Promise.allSettled(urls.map((u) => fetchReport(u, timeoutMs, ctx.signal)));
      const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
      if (failed) return failAll(ctx, failed.reason);
      rates.retain(urls);
      const sums = new Map<TargetKey, TargetSum>();
      let rpsComplete = true;
      settled.forEach((s, i) => {
        const report = (s as PromiseFulfilledResult<GatewayStatsReport>).value;
        const replicaRates = rates.update(urls[i] ?? '', report);
        if (!replicaRates) rpsComplete = false;
        for (const t of report.targets) {
          const sum = sums.get(t.target) ?? { demand: 0, rps: 0 };
          sum.demand += t.inFlight + t.queued;
          sum.rps += replicaRates?.get(t.target) ?? 0;
          sums.set(t.target, sum);
        }
      });
      for (const t of ctx.targets) {
        const sum = sums.get(t.key);
        if (!sum) {
          if (t.policies.includes(EVENTGW_PLUGIN_ID)) ctx.sink.fail(t.key, EVENTGW_DEMAND_METRIC, new Error(`no gateway replica routes ${t.key}`));
          continue;
        }
        ctx.sink.record(t.key, EVENTGW_DEMAND_METRIC, sum.demand, ctx.nowMs);
        if (!shared) continue;
        ctx.sink.record(t.key, Metrics.concurrency, sum.demand, ctx.nowMs);
        if (rpsComplete) ctx.sink.record(t.key, Metrics.rps, sum.rps, ctx.nowMs);
      }
    },
    async close() {
      await options.replicas.close?.();
    },
  };
}
