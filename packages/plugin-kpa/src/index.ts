/**
 * @ebb/plugin-kpa: Knative's Pod Autoscaler as an Ebb policy plugin. Create it with {@link createKpaPlugin};
 * the other exports are its parts, for tools (simulator, explain) and tests.
 */
export { createKpaPlugin, kpaMetricNeeds, KPA_MANIFEST, type KpaPlugin, type KpaOptionsWithCollectors } from './kpa-plugin.ts';
export { resolveKpaDefaults, KNATIVE_DEFAULTS, type KpaOptions, type KpaDefaults } from './kpa-options.ts';
export { resolveKpaCollectorOptions, type KpaCollectorSettings } from './kpa-collector-options.ts';
export { METRIC_SOURCES, EXTERNAL_METRICS_ONLY, validateMetricSource, type MetricSource, type KpaMetricSources } from './metric-source.ts';
export { createKpaConfigSchema, defaultKpaConfig } from './kpa-schema.ts';
export { resolveKpaConfig, resolveMetricTarget, panicWindowMs, type KpaConfig } from './kpa-config.ts';
export { kpaFields, kpaFieldDefaults, withWrittenTargets, type KpaFields, type KpaAnnotations, type KpaSettings } from './kpa-fields.ts';
export { normaliseKpaConfig, validateKpaConfig } from './kpa-normalise.ts';
export { recommendKpa } from './kpa-recommend.ts';
export { decideKpa, type KpaDecision, type KpaDecisionInput } from './kpa-decider.ts';
export { knativeWindowAverage, WINDOW_AVERAGE_DECIMALS } from './window-average-rounding.ts';
export { observeKpaMetric, type KpaObservation } from './kpa-observe.ts';
export { describeKpaDecision } from './kpa-reason.ts';
export { excessBurstCapacity } from './excess-burst-capacity.ts';
export { initialKpaState, isPanicking, type KpaState } from './kpa-state.ts';
export { createPodScrapeCollector, POD_SCRAPE_COLLECTOR_ID, type PodScrapeCollectorOptions } from './collectors/pod-scrape-collector.ts';
export {
  resolvePodScrapeOptions,
  POD_SCRAPE_DEFAULTS,
  REQUESTS_METRIC_TYPES,
  type PodScrapeOptions,
  type ResolvedPodScrapeOptions,
  type RequestsMetricType,
} from './collectors/pod-scrape-options.ts';
export { createPromqlCollector, PROMQL_COLLECTOR_ID, type PromqlCollectorOptions } from './collectors/promql-collector.ts';
export { resolvePromqlOptions, type PromqlOptions, type ResolvedPromqlOptions } from './collectors/promql-options.ts';
export { queryPromql, PromqlError, type PromqlEndpoint } from './collectors/promql-client.ts';
export { expandPromql, promLabelName, PROMQL_PLACEHOLDERS } from './collectors/promql-template.ts';
export { kpaConfigLookup, KPA_PLUGIN_ID, type KpaConfigLookup } from './collectors/kpa-config-lookup.ts';
export { WatchedPods, type WatchedPodsDeps } from './collectors/watched-pods.ts';
export { matchesSelector, type PodLister } from './collectors/pod-lister.ts';
export { selectPods, type ScrapePod, type PodSelection, type PodSelectionInput } from './collectors/pod-selection.ts';
export { populationMeanSampleSize } from './collectors/sample-size.ts';
export { readMetricTotals, ExpositionFormatError, type MetricTotal } from './collectors/prometheus-text.ts';
export { PodScrapeError } from './collectors/scrape-pod.ts';
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
