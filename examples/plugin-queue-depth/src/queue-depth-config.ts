import { defineConfig, field, type ConfigSchema } from '@ebb/core';

/** The plugin's id: also its annotation namespace `ebb.dev/queue-depth.*` and its key in `pluginOptions`. */
export const QUEUE_DEPTH_PLUGIN_ID = 'queue-depth';

/** The metric the collector records and the policy reads: items waiting in the target's queue. */
export const QUEUE_DEPTH_METRIC = 'queue-depth';

/** A target's settings, from its annotations. Durations in ms. */
export interface QueueDepthConfig {
  /** PromQL giving the number of items waiting, e.g. `sum(rabbitmq_queue_messages_ready{queue="orders"})`. */
  readonly query: string;
  /** Items one pod works through; desired = ceil(depth / perPod). */
  readonly perPod: number;
  /** The depth is averaged over this window, so one spike does not scale. */
  readonly windowMs: number;
}

/**
 * `ebb.dev/queue-depth.query` (required), `.per-pod` (default 100) and `.window` (default 30s). Every problem is
 * reported at once, naming the key, the value and what is allowed (core's generic parser does that).
 */
export const queueDepthConfigSchema: ConfigSchema<QueueDepthConfig> = defineConfig(
  {
    query: field<string>({
      key: 'query',
      type: { kind: 'string' },
      default: '',
      description: 'PromQL that gives the number of items waiting in the queue (a scalar, or a vector whose series are summed). Required.',
    }),
    perPod: field<number>({
      key: 'per-pod',
      type: { kind: 'number', min: 0.01, max: 1_000_000 },
      default: 100,
      description: 'Items one pod works through: the desired count is ceil(depth / per-pod).',
    }),
    windowMs: field<number>({
      key: 'window',
      type: { kind: 'duration', minMs: 1000, maxMs: 600_000, wholeSeconds: true },
      default: 30_000,
      description: 'The depth is averaged over this window (1s..10m, whole seconds), so a single spike does not scale.',
    }),
  },
  {
    validate: (value, keyOf) => (value.query.trim() ? [] : [{ field: 'query', message: `${keyOf('query')} is required: a PromQL expression that gives the queue depth`, allowed: 'a non-empty PromQL expression' }]),
  },
);
