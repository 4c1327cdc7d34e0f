/**
 * Constants and the smoothing coefficient of Knative's weighted-exponential window
 * (knative.dev/serving pkg/autoscaler/aggregation/bucketing.go, `WeightedFloat64Buckets`).
 */

/** Knative's `minExponent`: the smoothing coefficient never goes below this, so long windows still decay. */
export const MIN_SMOOTHING_COEFFICIENT = 0.2;
/** Knative's `weightPrecision`: over a full window the weights add up to at least this much. */
export const WEIGHT_PRECISION = 0.9999;

/**
 * Knative's `computeSmoothingCoeff`: the decay α for a window of `buckets` 1 s buckets,
 * `α = max(1 - (1 - 0.9999)^(1 / buckets), 0.2)`, so that the weights `α(1-α)^i` of the window's buckets add up to
 * 0.9999 (or more, when the 0.2 floor applies).
 *
 * Worked examples: 4 buckets -> `1 - 0.0001^(1/4) = 1 - 0.1 = 0.9`; 60 buckets -> `1 - 0.0001^(1/60) ≈ 0.142`,
 * below the floor, so 0.2.
 */
export function smoothingCoefficient(buckets: number): number {
  return Math.max(1 - Math.pow(1 - WEIGHT_PRECISION, 1 / buckets), MIN_SMOOTHING_COEFFICIENT);
}
