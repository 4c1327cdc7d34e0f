/**
 * @ebb/plugin-hpa: the Kubernetes HorizontalPodAutoscaler algorithm on CPU and memory, with behavior policies,
 * as a pure Ebb policy plugin, and the metrics.k8s.io collector that feeds it. Everything public passes through
 * this file.
 */
export { createHpaPlugin, HPA_PLUGIN_ID, HPA_PLUGIN_VERSION, type HpaPlugin, type HpaPluginOptions, type HpaPodMetricsSettings } from './hpa-plugin.ts';
export { createPodMetricsCollector, POD_METRICS_COLLECTOR_ID, type PodMetricsCollectorOptions } from './collector/pod-metrics-collector.ts';
export { podInfo, podRequests, slimPod, matchesSelector, type PodInfo, type SlimPod } from './collector/pod-info.ts';
export { podUsage } from './collector/pod-usage.ts';
export { recommendHpa, tolerancesOf, DEFAULT_HPA_DECISION_OPTIONS, type HpaDecisionOptions } from './recommend.ts';
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
export { computeReplicasForMetrics, type MetricsOutcome, type MetricResult, type MetricsInput } from './compute-metrics.ts';
export { scaleUpLimit, scaleDownLimit, limitWithBehavior, limitWithoutBehavior, type LimitReason, type Limited, type ScaleHistory } from './rate-limits.ts';
export { stabilizeDownscale, stabilizeWithBehavior, type Stabilized, type StabilizationWindows } from './stabilization.ts';
export { quantityToMilli, quantityToUnits, quantityToNumber } from './quantity.ts';
