/** The band around a usage ratio of 1 inside which the HPA keeps the current replica count. */
export interface Tolerances {
  /** Ratios down to `1 - scaleDown` keep the count (default 0.1). */
  readonly scaleDown: number;
  /** Ratios up to `1 + scaleUp` keep the count (default 0.1). */
  readonly scaleUp: number;
}

/** The controller's default tolerance (`--horizontal-pod-autoscaler-tolerance`). */
export const DEFAULT_TOLERANCE = 0.1;

/**
 * True when the usage ratio is inside the band `[1 - scaleDown, 1 + scaleUp]`.
 * Example with 0.1 both ways: 0.9 and 1.1 keep the count, 0.89 scales down, 1.11 scales up.
 */
export function isWithinTolerance(tolerances: Tolerances, usageRatio: number): boolean {
  return 1 - tolerances.scaleDown <= usageRatio && usageRatio <= 1 + tolerances.scaleUp;
}
