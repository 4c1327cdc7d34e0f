import { Metrics, type CollectContext, type GatewayStatsReport, type MetricCollector, type MetricSink, type TargetKey } from '@ebb/core';
import { EVENTGW_CONGESTED_METRIC, EVENTGW_DEMAND_METRIC, GATEWAY_STATS_COLLECTOR_ID, GatewayFigures, recordRound } from '@ebb/plugin-eventgw';
import { POD_METRICS_SNAPSHOT, type PodMetricsSnapshot } from '@ebb/plugin-hpa';
import type { ClusterModel } from './cluster-model.ts';

/** A coarse CPU model for the HPA plugin: per pod, `idleMilli + inFlight x perRequestMilli` of `requestMilli`. */
export interface CpuModel {
  /** CPU request of a pod, millicores (default 1000). */
  readonly requestMilli: number;
  /** Usage of an idle pod, millicores (default 20). */
  readonly idleMilli: number;
  /** Usage added by each request in flight, millicores (default 1000: a request keeps one core busy). */
  readonly perRequestMilli: number;
}

/** The default {@link CpuModel}. */
export const DEFAULT_CPU_MODEL: CpuModel = { requestMilli: 1000, idleMilli: 20, perRequestMilli: 1000 };

/** Which targets the gateway collector reads (all when absent): sleeping idle targets are left out. */
export interface CollectedTargets {
  isAsleep(index: number): boolean;
  /** A round at `nowMs` recorded the targets at `indexes`. */
  roundDone(nowMs: number, indexes: readonly number[]): void;
  /** Called when a target wakes, with the last round's time: its baseline is moved there. */
  onWake: (index: number, lastRoundMs: number) => void;
}

/**
 * The gateway stats collector as it runs in the cluster, reading the modelled gateway instead of polling
 * `/stats`: every second it builds the report the gateway would answer (counters, and the integral of in-flight
 * + queued the modelled gateway keeps like the real one) and records it through the real collector's code
 * (`GatewayFigures`, `recordRound`): the time-weighted average of in-flight + queued since the previous round as
 * `eventgw.demand` and `concurrency` (the instantaneous value in the first round), `eventgw.congested-demand`,
 * and the request rate as `rps`.
 * Sleeping targets (`awake`) are left out of rounds; when one wakes, the last round's report is given again with
 * the target added (as it was then: idle), so the next round's averages and rates start from that round, exactly
 * as if the target had been in every round.
 * Runs under the loop's real collector runner.
 * @param collected called after each round (the driver lets the runner re-arm before time moves on)
 */
export function modelledGatewayCollector(
  model: ClusterModel,
  startedMs: number,
  collected: () => void = () => undefined,
  awake?: CollectedTargets,
  needs?: (key: TargetKey) => ReadonlySet<string> | undefined,
): MetricCollector {
  const figures = new GatewayFigures();
  const row = (i: number, nowMs: number): GatewayStatsReport['targets'][number] => {
    const t = model.targets[i]!;
    const totals = t.demandTotals(nowMs);
    return {
      target: model.keys[i]!,
      inFlight: t.inFlight,
      queued: t.queued,
      requestCount: t.requestCount,
      coldStarts: t.coldStarts,
      readyEndpoints: t.d.pods.readyCount('standard') + t.d.pods.readyCount('reserve'),
      containerConcurrency: t.d.config.podConcurrency,
      demandMsTotal: totals.demandMs,
      inFlightMsTotal: totals.inFlightMs,
    };
  };
  let last: GatewayStatsReport | undefined;
  if (awake) {
    awake.onWake = (i, lastRoundMs) => {
      if (!last || last.timeMs !== lastRoundMs) return;
      last = { ...last, targets: [...last.targets, row(i, lastRoundMs)] };
      figures.round([[last.gateway, last]]);
    };
  }
  return {
    id: GATEWAY_STATS_COLLECTOR_ID,
    provides: [EVENTGW_DEMAND_METRIC, EVENTGW_CONGESTED_METRIC, Metrics.concurrency, Metrics.rps],
    intervalMs: 1000,
    async collect(ctx) {
      const indexes: number[] = [];
      const targets: Array<CollectContext['targets'][number]> = [];
      const rows: Array<GatewayStatsReport['targets'][number]> = [];
      for (const [j, info] of ctx.targets.entries()) {
        // The loop lists targets in the model's order: a look-up only when it does not.
        const i = model.keys[j] === info.key ? j : model.indexOf(info.key);
        if (i === undefined || awake?.isAsleep(i)) continue;
        rows.push(row(i, ctx.nowMs));
        indexes.push(i);
        targets.push(info);
      }
      last = { gateway: 'simulated', timeMs: ctx.nowMs, startedMs, targets: rows };
      const round = indexes.length === ctx.targets.length ? ctx : { ...ctx, targets };
      recordRound(needs ? { ...round, sink: neededOnly(ctx.sink, needs) } : round, figures.round([[last.gateway, last]]), true);
      awake?.roundDone(ctx.nowMs, indexes);
      collected();
    },
  };
}

/**
 * A sink that records only the metrics a target's plugins read (`needs`, the loop's): the real collector records
 * every metric of a round, and the store keeps a window for each, but no decision reads the others. Same
 * decisions, a quarter to a half of the records.
 */
function neededOnly(sink: MetricSink, needs: (key: TargetKey) => ReadonlySet<string> | undefined): MetricSink {
  let lastKey: TargetKey | undefined;
  let lastNeeds: ReadonlySet<string> | undefined;
  return {
    record(target, metric, value, timeMs) {
      if (target !== lastKey) {
        lastKey = target;
        lastNeeds = needs(target);
      }
      if (!lastNeeds || lastNeeds.has(metric)) sink.record(target, metric, value, timeMs);
    },
    snapshot: (target, name, value, timeMs) => sink.snapshot(target, name, value, timeMs),
    fail: (target, metric, error) => sink.fail(target, metric, error),
  };
}

/**
 * metrics.k8s.io as the HPA plugin's collector publishes it, every 15 s: the target's standard pods with their
 * CPU request and a usage from {@link CpuModel} (memory is not modelled: a fixed 128 MiB of 256 MiB).
 */
export function modelledPodMetricsCollector(model: ClusterModel, cpu: CpuModel = DEFAULT_CPU_MODEL): MetricCollector {
  return {
    id: 'metrics-k8s-io',
    provides: [POD_METRICS_SNAPSHOT],
    intervalMs: 15_000,
    async collect(ctx) {
      for (const info of ctx.targets) {
        const t = model.target(info.key);
        if (!t) continue;
        const snapshot: PodMetricsSnapshot = {
          pods: t.d.pods.pods
            .filter((p) => p.kind === 'standard')
            .map((p) => ({
              name: `${t.d.fn.id}-${p.id}`,
              phase: 'Running' as const,
              ready: p.ready && !p.terminating,
              deleted: p.terminating,
              startTimeMs: p.createdMs,
              ...(p.ready ? { readyTransitionMs: p.readyAtMs } : {}),
              requests: { cpuMilli: cpu.requestMilli, memoryBytes: 256 * 2 ** 20 },
              ...(p.ready
                ? { usage: { cpuMilli: Math.ceil(cpu.idleMilli + p.inFlight * cpu.perRequestMilli), memoryBytes: 128 * 2 ** 20, windowMs: 15_000, timestampMs: ctx.nowMs } }
                : {}),
            })),
        };
        ctx.sink.snapshot(info.key, POD_METRICS_SNAPSHOT, snapshot, ctx.nowMs);
      }
    },
  };
}
