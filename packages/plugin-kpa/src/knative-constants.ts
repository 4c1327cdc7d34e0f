import { KNATIVE_PREFIX, Metrics } from '@ebb/core';

/**
 * Names and limits taken from Knative Serving (pkg/apis/autoscaling/register.go), so that Knative annotations
 * keep their meaning and their ranges on Ebb.
 */

/** `autoscaling.knative.dev/class` value that selects the Knative Pod Autoscaler (the only class this plugin acts on). */
export const KPA_CLASS = 'kpa.autoscaling.knative.dev';
/** `autoscaling.knative.dev/class` value of Knative's HPA class (valid, but this plugin stays out of it). */
export const HPA_CLASS = 'hpa.autoscaling.knative.dev';
/** Class values ending in this domain must be {@link KPA_CLASS} or {@link HPA_CLASS}; other domains are left alone. */
export const KNATIVE_CLASS_DOMAIN = '.knative.dev';

/** The metrics the KPA scales on: average in-flight requests, or requests per second. */
export const KPA_METRICS = [Metrics.concurrency, Metrics.rps] as const;
/** One of {@link KPA_METRICS}. */
export type KpaMetric = (typeof KPA_METRICS)[number];

/** Linear average over the window (Knative's default). */
export const AGGREGATION_LINEAR = 'linear';
/** Weighted-exponential average: newer seconds weigh more. */
export const AGGREGATION_WEIGHTED_EXPONENTIAL = 'weighted-exponential';
/** Knative's alternative spelling of {@link AGGREGATION_WEIGHTED_EXPONENTIAL}. */
export const AGGREGATION_WEIGHTED_EXPONENTIAL_ALT = 'weightedExponential';
/** How the windows are averaged, after normalisation. */
export type KpaAggregation = typeof AGGREGATION_LINEAR | typeof AGGREGATION_WEIGHTED_EXPONENTIAL;
/** Every value `metric-aggregation-algorithm` accepts. */
export const AGGREGATION_VALUES = [AGGREGATION_LINEAR, AGGREGATION_WEIGHTED_EXPONENTIAL, AGGREGATION_WEIGHTED_EXPONENTIAL_ALT] as const;

/** Smallest target per pod (Knative `TargetMin`): with small targets and utilizations the product can go below 1. */
export const TARGET_MIN = 0.01;
/** Shortest stable window, ms (Knative `WindowMin`, 6 s): decisions every 2 s need a few samples per panic window. */
export const WINDOW_MIN_MS = 6_000;
/** Longest stable window, ms (Knative `WindowMax`, 1 h). */
export const WINDOW_MAX_MS = 3_600_000;
/** Smallest panic window, percent of the stable window (Knative `PanicWindowPercentageMin`). */
export const PANIC_WINDOW_PERCENTAGE_MIN = 1;
/** Largest panic window, percent of the stable window (Knative `PanicWindowPercentageMax`): never past it. */
export const PANIC_WINDOW_PERCENTAGE_MAX = 100;
/** Smallest panic threshold, percent of the target (Knative `PanicThresholdPercentageMin`): lower would always panic. */
export const PANIC_THRESHOLD_PERCENTAGE_MIN = 110;
/** Largest panic threshold, percent of the target (Knative `PanicThresholdPercentageMax`). */
export const PANIC_THRESHOLD_PERCENTAGE_MAX = 1000;
/** Largest `containerConcurrency` Knative accepts by default (config-defaults `container-concurrency-max-limit`). */
export const CONTAINER_CONCURRENCY_MAX = 1000;
/** Width of one metric bucket, ms: windows are whole seconds and the panic window is at least one bucket. */
export const BUCKET_MS = 1_000;

/** The Knative annotation `autoscaling.knative.dev/<name>`. */
export function knativeKey(name: string): string {
  return `${KNATIVE_PREFIX}${name}`;
}

/** True when `metric` is one the KPA scales on. */
export function isKpaMetric(metric: string): metric is KpaMetric {
  return (KPA_METRICS as readonly string[]).includes(metric);
}
