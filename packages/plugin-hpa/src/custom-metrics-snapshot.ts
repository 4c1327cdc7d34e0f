import type { PodSample } from './pod-metrics-snapshot.ts';

/**
 * The data the HPA plugin decides its Pods, Object and External metrics on: the target's pods (for the ready and
 * current pod counts, and the grouping of a Pods metric) and one reading per metric. A collector publishes it per
 * target through `MetricSink.snapshot(target, CUSTOM_METRICS_SNAPSHOT, value, timeMs)`.
 */

/** Snapshot name under which the custom and external metric readings are published. */
export const CUSTOM_METRICS_SNAPSHOT = 'hpa-custom-metrics';

/** One metric's reading in one round, in milli-units (`Quantity.MilliValue()`), or why there is none. */
export type CustomMetricReading =
  /** A Pods metric: the value of each pod the API answered for, by pod name. */
  | { readonly ok: true; readonly kind: 'pods'; readonly valuesMilli: Readonly<Record<string, number>> }
  /** An Object metric's value, or the sum of the External series the selector matched. */
  | { readonly ok: true; readonly kind: 'total'; readonly valueMilli: number }
  /** The API failed or answered nothing: the metric is invalid this round (never read as zero). */
  | { readonly ok: false; readonly error: string };

/** What the collector publishes for one target. */
export interface CustomMetricsSnapshot {
  /** Every pod the target's selector matches (no usage samples). */
  readonly pods: readonly PodSample[];
  /** Readings by `customMetricId` of the metric. */
  readonly readings: Readonly<Record<string, CustomMetricReading>>;
}
