import { AGGREGATION_LINEAR, type KpaAggregation } from './knative-constants.ts';

/** Decimal places Knative keeps of a linear window average (`precision` in pkg/autoscaler/aggregation/bucketing.go). */
export const WINDOW_AVERAGE_DECIMALS = 6;

const SCALE = 10 ** WINDOW_AVERAGE_DECIMALS;

/**
 * The window average as Knative's decider sees it. Knative's linear average (`TimedFloat64Buckets.WindowAverage`)
 * returns `roundToNDigits(6, total / buckets)`, so float noise never asks for one more pod: 258.8 + 332.1 + 249.1
 * over 3 s is 280.00000000000006, which rounds to 280, and 280 / 70 per pod is 4 pods, not 5. Its
 * weighted-exponential average (`WeightedFloat64Buckets.WindowAverage`) is not rounded, so neither is ours.
 * Rounds half away from zero, like Go's `math.Round`.
 */
export function knativeWindowAverage(value: number, aggregation: KpaAggregation): number {
  if (aggregation !== AGGREGATION_LINEAR) return value;
  return (Math.sign(value) * Math.round(Math.abs(value) * SCALE)) / SCALE;
}
