/**
 * @ebb/core: contracts (Clock, MetricCollector, PolicyPlugin, config schema), metric windows, combination,
 * the control loop, and the Kubernetes adapters. Everything public passes through this file.
 */
export * from './contracts/clock.ts';
export * from './contracts/errors.ts';
export * from './contracts/target.ts';
export * from './contracts/metrics.ts';
export * from './contracts/config.ts';
export * from './contracts/plugin.ts';
export * from './contracts/scaling.ts';
export { CORE_VERSION } from './version.ts';
export * from './config/define-config.ts';
export * from './config/duration.ts';
export { closestMatch } from './config/edit-distance.ts';
export { parseFieldValue, type FieldParseResult } from './config/field-parser.ts';
export * from './config/format-issues.ts';
export * from './config/unknown-keys.ts';
export * from './config/schema-docs.ts';
export * from './config/scaling-schema.ts';
export * from './metrics/metric-window.ts';
export * from './metrics/metric-store.ts';
export * from './metrics/weighted-exponential.ts';
export * from './scaling/combine-types.ts';
export * from './scaling/combine.ts';
export * from './scaling/delay-window.ts';
export * from './plugins/manifest.ts';
export * from './plugins/plugin-registry.ts';
export * from './contracts/observe.ts';
export * from './contracts/cluster.ts';
export * from './kube/kube-config.ts';
export * from './kube/deployment-source.ts';
export * from './kube/actuator.ts';
export * from './kube/events.ts';
export * from './kube/status-writer.ts';
export * from './kube/leader-election.ts';
export * from './loop/tick-scheduler.ts';
export * from './loop/target-status.ts';
export * from './loop/target-config.ts';
export * from './loop/parse-cache.ts';
export * from './loop/decision.ts';
export * from './loop/evaluate.ts';
export * from './loop/target-registry.ts';
export * from './loop/collector-runner.ts';
export * from './loop/control-loop.ts';
export * from './contracts/gateway-stats.ts';
