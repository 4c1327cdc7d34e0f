import { GatewayProtocol, Metrics, type CollectContext, type GatewayStatsReport, type MetricCollector } from '@ebb/core';
import { EVENTGW_PLUGIN_ID } from '../config/eventgw-fields.ts';
import { EVENTGW_CONGESTED_METRIC, EVENTGW_DEMAND_METRIC } from '../policy/recommend-eventgw.ts';
import type { GatewayReplicas } from './gateway-replicas.ts';
import { GatewayFigures, recordRound } from './gateway-round.ts';

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
 * over replicas of the time-weighted average of in-flight + queued requests since the previous poll as
 * `eventgw.demand` (and, with `sharedMetrics`, as `concurrency`), of request rates as `rps` (from counter
 * deltas), and `eventgw.congested-demand` (see `ReplicaDemand`, `ReplicaRates`, {@link recordRound}). Only a
 * complete round is recorded: if any replica cannot be polled (or none is found), nothing is recorded for that
 * round and every target needing the eventgw policy's metric gets a failure, so a missing replica never reads
 * as less demand. Targets no replica reports (not routed by the gateway) get nothing.
 */
export function createGatewayStatsCollector(options: GatewayStatsCollectorOptions): MetricCollector {
  const timeoutMs = options.timeoutMs ?? 800;
  const shared = options.sharedMetrics ?? true;
  const figures = new GatewayFigures();
  const own = [EVENTGW_DEMAND_METRIC, EVENTGW_CONGESTED_METRIC];
  const provides = shared ? [...own, Metrics.concurrency, Metrics.rps] : own;

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
      const reports = settled.map((s, i) => [urls[i] ?? '', (s as PromiseFulfilledResult<GatewayStatsReport>).value] as const);
      recordRound(ctx, figures.round(reports), shared);
    },
    async close() {
      await options.replicas.close?.();
    },
  };
}
