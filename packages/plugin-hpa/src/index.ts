/**
 * @ebb/plugin-hpa: the Kubernetes HorizontalPodAutoscaler algorithm on CPU, memory, Pods, Object and External
 * metrics, with behavior policies, as a pure Ebb policy plugin, and the collectors that feed it (metrics.k8s.io,
 * custom.metrics.k8s.io, external.metrics.k8s.io). Everything public passes through
 * this file.
 */
export { createHpaPlugin, HPA_PLUGIN_ID, HPA_PLUGIN_VERSION, type HpaPlugin, type HpaPluginOptions, type HpaPodMetricsSettings } from './hpa-plugin.ts';
export { createPodMetricsCollector, POD_METRICS_COLLECTOR_ID, type PodMetricsCollectorOptions } from './collector/pod-metrics-collector.ts';
export { createCustomMetricsCollector, CUSTOM_METRICS_COLLECTOR_ID, type CustomMetricsCollectorOptions } from './collector/custom-metrics-collector.ts';
export { CUSTOM_METRICS_API, EXTERNAL_METRICS_API } from './collector/metrics-api-readers.ts';
export { expandQuery, readPromqlMetric, type HpaPrometheusOptions } from './collector/promql-readers.ts';
export * from './custom-metrics-snapshot.ts';
export * from './custom-metric.ts';
export { parseMetricSpecs, type HpaMetricsSpec } from './metrics-parse.ts';
export { labelSelectorText } from './label-selector.ts';
export { calculateCustomReplicas, activePodCount, type CustomCalcInput } from './custom-replica-calculator.ts';
export { podInfo, podRequests, slimPod, matchesSelector, type PodInfo, type SlimPod } from './collector/pod-info.ts';
export { podUsage } from './collector/pod-usage.ts';
export { recommendHpa, hpaMinReplicas, tolerancesOf, DEFAULT_HPA_DECISION_OPTIONS, type HpaDecisionOptions } from './recommend.ts';
export * from './pod-metrics-snapshot.ts';
export { hpaFields, DEFAULT_HPA_CONFIG, KNATIVE_HPA_CLASS, type HpaConfig } from './hpa-fields.ts';
export { createHpaConfigSchema } from './hpa-schema.ts';
export { normaliseHpaConfig, validateHpaConfig, knativeTargets, knativeWindowBehavior } from './knative-mapping.ts';
export * from './behavior.ts';
export { parseBehavior, type IssueReporter } from './behavior-parse.ts';
export { INITIAL_HPA_STATE, storeScaleEvent, type HpaState, type ScaleEvent, type TimestampedRecommendation, type ProposedScale, type LongestPeriods } from './hpa-state.ts';
export { DEFAULT_CPU_UTILIZATION, metricTargets, type MetricTarget, type MetricTargetConfig } from './metric-target.ts';
export { DEFAULT_TOLERANCE, isWithinTolerance, type Tolerances } from './tolerances.ts';
export { groupPods, type PodGroups, type ReadinessTimings, type ResourceName } from './group-pods.ts';
export { calculateReplicas, type MetricProposal, type ProposalBasis, type ReplicaCalcInput } from './replica-calculator.ts';
export { computeReplicasForMetrics, combineProposals, type AnyMetric, type MetricsOutcome, type MetricResult, type MetricsInput } from './compute-metrics.ts';
export { scaleUpLimit, scaleDownLimit, limitWithBehavior, limitWithoutBehavior, type LimitReason, type Limited, type ScaleHistory } from './rate-limits.ts';
export { stabilizeDownscale, stabilizeWithBehavior, type Stabilized, type StabilizationWindows } from './stabilization.ts';
export { quantityToMilli, quantityToUnits, quantityToNumber } from './quantity.ts';
