import type { CollectorProvider, MetricCollector, PolicyPlugin } from '@ebb/core';
import { resolveQueueDepthOptions } from './plugin-options.ts';
import { createQueueDepthCollector } from './queue-depth-collector.ts';
import { QUEUE_DEPTH_METRIC, QUEUE_DEPTH_PLUGIN_ID, queueDepthConfigSchema, type QueueDepthConfig } from './queue-depth-config.ts';
import { recommendQueueDepth } from './recommend-queue-depth.ts';

/** The plugin: a policy, and with `prometheusUrl` also the collector that feeds it. */
export type QueueDepthPlugin = PolicyPlugin<QueueDepthConfig, undefined> & Partial<CollectorProvider>;

/**
 * Creates the queue-depth policy plugin. This is what `ebb run` calls when the config file lists this package
 * under `plugins:`, with `pluginOptions.queue-depth` as `options`. The collector is created once, on the first
 * `collectors()` call.
 * @throws EbbError `EBB_CONFIG_FILE_INVALID` for invalid options.
 */
export function createPlugin(options?: unknown): QueueDepthPlugin {
  const resolved = resolveQueueDepthOptions(options);
  const plugin: PolicyPlugin<QueueDepthConfig, undefined> = {
    manifest: {
      id: QUEUE_DEPTH_PLUGIN_ID,
      version: '0.1.0',
      // The core versions this plugin was written against (the same range as its peerDependency), checked by the
      // scaler at start-up: a scaler with an incompatible core refuses to start (EBB_PLUGIN_UNSUPPORTED_CORE).
      coreVersion: '^0.1.0',
      description: 'Scales on the depth of a work queue: ceil(depth / per-pod), the depth read with a PromQL query',
    },
    config: queueDepthConfigSchema,
    metrics: (config) => [{ metric: QUEUE_DEPTH_METRIC, retentionMs: config.windowMs }],
    recommend: recommendQueueDepth,
  };
  const { prometheusUrl } = resolved;
  if (!prometheusUrl) return plugin;
  let collector: MetricCollector | undefined;
  return {
    ...plugin,
    collectors: () => [(collector ??= createQueueDepthCollector({ ...resolved, prometheusUrl }))],
  };
}
