/**
 * @ebb/plugin-kpa: Knative's Pod Autoscaler as an Ebb policy plugin. Create it with {@link createKpaPlugin};
 * the other exports are its parts, for tools (simulator, explain) and tests.
 */
export { createKpaPlugin, kpaMetricNeeds, KPA_MANIFEST } from './kpa-plugin.ts';
export { resolveKpaDefaults, KNATIVE_DEFAULTS, type KpaOptions, type KpaDefaults } from './kpa-options.ts';
export { createKpaConfigSchema, defaultKpaConfig } from './kpa-schema.ts';
export { resolveKpaConfig, resolveMetricTarget, panicWindowMs, type KpaConfig } from './kpa-config.ts';
export { kpaFields, kpaFieldDefaults, withWrittenTargets, type KpaFields, type KpaAnnotations, type KpaSettings } from './kpa-fields.ts';
export { normaliseKpaConfig, validateKpaConfig } from './kpa-normalise.ts';
export { recommendKpa } from './kpa-recommend.ts';
export { decideKpa, type KpaDecision, type KpaDecisionInput } from './kpa-decider.ts';
export { observeKpaMetric, type KpaObservation } from './kpa-observe.ts';
export { describeKpaDecision } from './kpa-reason.ts';
export { excessBurstCapacity } from './excess-burst-capacity.ts';
export { initialKpaState, isPanicking, type KpaState } from './kpa-state.ts';
export {
  KPA_CLASS,
  HPA_CLASS,
  KPA_METRICS,
  AGGREGATION_LINEAR,
  AGGREGATION_WEIGHTED_EXPONENTIAL,
  AGGREGATION_WEIGHTED_EXPONENTIAL_ALT,
  TARGET_MIN,
  WINDOW_MIN_MS,
  WINDOW_MAX_MS,
  type KpaMetric,
  type KpaAggregation,
} from './knative-constants.ts';
