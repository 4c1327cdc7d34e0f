import { appendRecommendation, type TimestampedRecommendation } from './hpa-state.ts';

/** A stabilized count and the recommendations (runs, see {@link TimestampedRecommendation}) to keep. */
export interface Stabilized {
  readonly replicas: number;
  readonly recommendations: readonly TimestampedRecommendation[];
}

/**
 * Stabilization without a behavior (`stabilizeRecommendation`): the highest recommendation made within the
 * downscale window, this one included; recommendations older than the window are dropped and this one is
 * recorded (extending the last run when equal). Example with a 5 min window: 4 two minutes ago, 5 one minute ago,
 * now 3 -> 5.
 */
export function stabilizeDownscale(history: readonly TimestampedRecommendation[], desired: number, windowMs: number, nowMs: number): Stabilized {
  const cutoff = nowMs - windowMs;
  const kept = history.filter((r) => r.timeMs >= cutoff);
  const replicas = kept.reduce((best, r) => Math.max(best, r.replicas), desired);
  return { replicas, recommendations: appendRecommendation(kept, desired, nowMs) };
}

/** Windows of {@link stabilizeWithBehavior}, in ms. */
export interface StabilizationWindows {
  readonly scaleUpMs: number;
  readonly scaleDownMs: number;
}

/**
 * Stabilization with a behavior (`stabilizeRecommendationWithBehaviors`). Over the recommendations made
 * strictly within each window (this one included):
 *   upper bound = highest within the scale-down window, lower bound = lowest within the scale-up window,
 * and the result is the current count moved into [lower, upper]. Example: current 1, recommendations 4 (2 min
 * ago) and 5 (1 min ago), now 7, scale-up window 5 min -> lower 4, upper 7 -> 4. With the default scale-up
 * window of 0 the lower bound is the new recommendation itself, so scale-ups are not delayed.
 * Recommendations older than both windows are dropped; this one is recorded (extending the last run when equal).
 */
export function stabilizeWithBehavior(
  history: readonly TimestampedRecommendation[],
  currentReplicas: number,
  desired: number,
  windows: StabilizationWindows,
  nowMs: number,
): Stabilized {
  const upCutoff = nowMs - windows.scaleUpMs;
  const downCutoff = nowMs - windows.scaleDownMs;
  let lower = desired;
  let upper = desired;
  for (const r of history) {
    if (r.timeMs > upCutoff) lower = Math.min(lower, r.replicas);
    if (r.timeMs > downCutoff) upper = Math.max(upper, r.replicas);
  }
  const kept = history.filter((r) => !(r.timeMs < upCutoff && r.timeMs < downCutoff));
  const replicas = Math.min(Math.max(currentReplicas, lower), upper);
  return { replicas, recommendations: appendRecommendation(kept, desired, nowMs) };
}
