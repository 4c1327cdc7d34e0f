/**
 * How many pods to scrape, as Knative's `populationMeanSampleSize` (pkg/autoscaler/metrics/sample_size.go): the
 * sample size that estimates a population mean with 95 % confidence and a 5 % margin of error, assuming a
 * variance of 100, corrected for a finite population.
 */

/** Square of the Normal distribution's critical value for 95 % confidence: 1.96². */
const CRITICAL_VALUE_SQUARED = 1.96 * 1.96;
/** Square of the margin of error: 5². */
const MARGIN_OF_ERROR_SQUARED = 5 * 5;
/** The variance Knative assumes for the per-pod values. */
const POPULATION_VARIANCE = 100;
/** Sample size for an unbounded population: X = C² σ² / MOE² = 3.8416 x 100 / 25 = 15.3664. */
const UNBOUNDED_SAMPLE_SIZE = (CRITICAL_VALUE_SQUARED * POPULATION_VARIANCE) / MARGIN_OF_ERROR_SQUARED;

/**
 * Pods to scrape out of `population` ready pods: all of them up to 3, else ceil(N·X / (N + X − 1)) with
 * X = 15.3664, which never exceeds 16.
 * Examples: 3 -> 3; 4 -> ceil(61.47 / 18.37) = 4; 5 -> ceil(3.97) = 4; 10 -> ceil(153.66 / 24.37) = 7; 100 -> 14; 1000 -> 16.
 * @param population ready pods, an integer (negative counts as 0).
 */
export function populationMeanSampleSize(population: number): number {
  if (population <= 0) return 0;
  if (population <= 3) return population;
  return Math.ceil((population * UNBOUNDED_SAMPLE_SIZE) / (population + UNBOUNDED_SAMPLE_SIZE - 1));
}
