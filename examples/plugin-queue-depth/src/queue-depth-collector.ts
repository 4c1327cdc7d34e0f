import type { CollectContext, MetricCollector } from '@ebb/core';
import { queryPrometheus } from './prometheus-query.ts';
import { QUEUE_DEPTH_METRIC, QUEUE_DEPTH_PLUGIN_ID, queueDepthConfigSchema } from './queue-depth-config.ts';

/** Id of the collector. */
export const QUEUE_DEPTH_COLLECTOR_ID = 'queue-depth-prometheus';

/** Options of {@link createQueueDepthCollector}. */
export interface QueueDepthCollectorOptions {
  /** Base URL of the Prometheus HTTP API, e.g. `http://prometheus.monitoring:9090`. */
  readonly prometheusUrl: string;
  /** Cadence of the rounds, ms (default 5000). */
  readonly intervalMs?: number;
  /** Longest wait for one query, ms (default: 80 % of the interval). */
  readonly timeoutMs?: number;
}

/**
 * Each round, for every target whose policies include `queue-depth`, runs the target's own query
 * (`ebb.dev/queue-depth.query`) and records the value as `queue-depth` at the round's time. Targets are queried
 * in parallel. A failed query records nothing for that target (a failure is never a zero): it is reported with
 * `sink.fail`, and the policy answers "no data" once its window is empty.
 */
export function createQueueDepthCollector(options: QueueDepthCollectorOptions): MetricCollector {
  const intervalMs = options.intervalMs ?? 5000;
  const timeoutMs = options.timeoutMs ?? Math.floor(intervalMs * 0.8);
  const prefix = `ebb.dev/${QUEUE_DEPTH_PLUGIN_ID}.`;
  return {
    id: QUEUE_DEPTH_COLLECTOR_ID,
    provides: [QUEUE_DEPTH_METRIC],
    intervalMs,
    async collect(ctx: CollectContext): Promise<void> {
      await Promise.all(
        ctx.targets.map(async (target) => {
          const config = queueDepthConfigSchema.parse(target.annotations, prefix);
          if (!config.ok) return; // the loop reports invalid config itself (InvalidConfig Event)
          try {
            const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(timeoutMs)]);
            ctx.sink.record(target.key, QUEUE_DEPTH_METRIC, await queryPrometheus(options.prometheusUrl, config.value.query, signal), ctx.nowMs);
          } catch (error) {
            ctx.sink.fail(target.key, QUEUE_DEPTH_METRIC, error);
          }
        }),
      );
    },
  };
}
