import type { RecommendInput, RecommendOutput } from '@ebb/core';
import { QUEUE_DEPTH_METRIC, type QueueDepthConfig } from './queue-depth-config.ts';

/**
 * The decision, pure: desired = ceil(average depth over the window / per-pod).
 * Example: per-pod 100, depth 420, 380, 450 in the window -> average 416.67 -> 5 pods; depth 0 -> 0 pods (core's
 * min-replicas and scale-to-zero rules decide whether the target really goes to zero).
 * No sample in the window is "no data" (which blocks every scale-down), never zero.
 */
export function recommendQueueDepth({ config, metrics, nowMs }: RecommendInput<QueueDepthConfig, undefined>): RecommendOutput<undefined> {
  const depth = metrics.window(QUEUE_DEPTH_METRIC)?.average(nowMs, config.windowMs);
  if (depth === undefined) {
    return { recommendation: { kind: 'no-data', reason: `no queue depth sample in the last ${config.windowMs / 1000}s` } };
  }
  const replicas = Math.max(0, Math.ceil(depth / config.perPod - 1e-9));
  const shown = Math.round(depth * 100) / 100;
  return {
    recommendation: {
      kind: 'replicas',
      replicas,
      reason: `queue depth ${shown} (average over ${config.windowMs / 1000}s) / ${config.perPod} per pod`,
      details: { depth: shown, perPod: config.perPod },
    },
  };
}
