/**
 * @ebb/plugin-queue-depth: an example Ebb policy plugin in its own package. It scales a Deployment to
 * ceil(queue depth / per-pod), the depth read from Prometheus with a per-target PromQL query. `ebb run` loads it
 * by package name (`plugins: [..., "@ebb/plugin-queue-depth"]`) and calls {@link createPlugin} with
 * `pluginOptions.queue-depth`.
 */
export { createPlugin, type QueueDepthPlugin } from './queue-depth-plugin.ts';
export { resolveQueueDepthOptions, type QueueDepthPluginOptions } from './plugin-options.ts';
export { queueDepthConfigSchema, QUEUE_DEPTH_METRIC, QUEUE_DEPTH_PLUGIN_ID, type QueueDepthConfig } from './queue-depth-config.ts';
export { recommendQueueDepth } from './recommend-queue-depth.ts';
export { createQueueDepthCollector, QUEUE_DEPTH_COLLECTOR_ID, type QueueDepthCollectorOptions } from './queue-depth-collector.ts';
export { queryPrometheus, PrometheusQueryError } from './prometheus-query.ts';
