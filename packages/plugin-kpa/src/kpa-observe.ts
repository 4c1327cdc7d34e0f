import type { MetricsView } from '@ebb/core';
import { AGGREGATION_WEIGHTED_EXPONENTIAL } from './knative-constants.ts';
import type { KpaConfig } from './kpa-config.ts';

/** The metric as the decider sees it: whole-target values (e.g. total in-flight requests across all pods). */
export interface KpaObservation {
  /** Average over the stable window. */
  readonly stableValue: number;
  /** Average over the panic window; 0 when the panic window has no sample but the stable window has. */
  readonly panicValue: number;
}

/**
 * Reads the stable and panic values of the configured metric, as Knative's metric client
 * (`StableAndPanicConcurrency` / `StableAndPanicRPS`): both windows end at `nowMs`, and both are averaged the
 * same way (linear, or weighted-exponential when configured). Knative reports "no data" when the stable window
 * is empty; so does this (undefined), and also when the metric was never recorded for the target. An empty panic
 * window inside a non-empty stable window reads as 0, as Knative's empty bucket average does.
 * Example: stable window 60 s, panic 6 s, concurrency 10 for 54 s then 40 for 6 s (linear) -> stable 13, panic 40.
 */
export function observeKpaMetric(metrics: MetricsView, config: KpaConfig, nowMs: number): KpaObservation | undefined {
  const window = metrics.window(config.metric);
  if (window === undefined) return undefined;
  const weighted = config.aggregation === AGGREGATION_WEIGHTED_EXPONENTIAL;
  const read = (windowMs: number): number | undefined =>
    weighted ? window.weightedAverage(nowMs, windowMs) : window.average(nowMs, windowMs);
  const stableValue = read(config.stableWindowMs);
  if (stableValue === undefined) return undefined;
  return { stableValue, panicValue: read(config.panicWindowMs) ?? 0 };
}
