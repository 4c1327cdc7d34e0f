import { DEFAULT_SCALE_DOWN_STABILIZATION_SECONDS, type HpaBehavior } from './behavior.ts';
import type { TimestampedRecommendation } from './hpa-state.ts';
import { limitWithBehavior, limitWithoutBehavior, type LimitReason, type ScaleHistory } from './rate-limits.ts';
import { stabilizeDownscale, stabilizeWithBehavior } from './stabilization.ts';

/** Inputs of {@link normalizeDesiredReplicas}. */
export interface NormalizeInput {
  readonly currentReplicas: number;
  /** The metrics' proposal. */
  readonly desiredReplicas: number;
  readonly minReplicas: number;
  /** Infinity when unbounded. */
  readonly maxReplicas: number;
  /** The resolved behavior, or undefined when none is configured. */
  readonly behavior: HpaBehavior | undefined;
  readonly recommendations: readonly TimestampedRecommendation[];
  readonly history: ScaleHistory;
  readonly nowMs: number;
}

/** The normalised count, the steps that shaped it, and the recommendations to keep. */
export interface Normalized {
  readonly replicas: number;
  /** The count after stabilization, before bounds and rate limits. */
  readonly stabilized: number;
  readonly limit: LimitReason;
  readonly recommendations: readonly TimestampedRecommendation[];
}

/**
 * Stabilizes the metrics' proposal, then applies bounds and rate limits:
 * - without a behavior (`normalizeDesiredReplicas`): the highest recommendation of the last 300 s, then
 *   [minReplicas, min(maxReplicas, max(2 x current, 4))];
 * - with a behavior (`normalizeDesiredReplicasWithBehaviors`): both stabilization windows, then the policies
 *   and [minReplicas, maxReplicas].
 */
export function normalizeDesiredReplicas(input: NormalizeInput): Normalized {
  const { currentReplicas, desiredReplicas, minReplicas, maxReplicas, behavior, recommendations, nowMs } = input;
  if (behavior === undefined) {
    const windowMs = DEFAULT_SCALE_DOWN_STABILIZATION_SECONDS * 1000;
    const stabilized = stabilizeDownscale(recommendations, desiredReplicas, windowMs, nowMs);
    const limited = limitWithoutBehavior(currentReplicas, stabilized.replicas, minReplicas, maxReplicas);
    return { replicas: limited.replicas, stabilized: stabilized.replicas, limit: limited.reason, recommendations: stabilized.recommendations };
  }
  const windows = {
    scaleUpMs: behavior.scaleUp.stabilizationWindowSeconds * 1000,
    scaleDownMs: behavior.scaleDown.stabilizationWindowSeconds * 1000,
  };
  const stabilized = stabilizeWithBehavior(recommendations, currentReplicas, desiredReplicas, windows, nowMs);
  const limited = limitWithBehavior({
    currentReplicas,
    desiredReplicas: stabilized.replicas,
    minReplicas,
    maxReplicas,
    behavior,
    history: input.history,
    nowMs,
  });
  return { replicas: limited.replicas, stabilized: stabilized.replicas, limit: limited.reason, recommendations: stabilized.recommendations };
}
