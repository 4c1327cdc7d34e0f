import type { Recommendation } from '../../contracts/plugin.ts';
import type { ScalingConfig } from '../../contracts/scaling.ts';
import type { PluginRecommendation } from '../combine-types.ts';

/** Knative-like defaults for tests: unbounded, scale to zero allowed, no delay, grace 30 s. */
export function scalingConfig(overrides: Partial<ScalingConfig> = {}): ScalingConfig {
  return {
    policies: ['kpa'],
    minReplicas: 0,
    maxReplicas: 0,
    initialReplicas: 1,
    activationReplicas: 1,
    scaleDownDelayMs: 0,
    scaleToZero: true,
    scaleToZeroGracePeriodMs: 30_000,
    scaleToZeroPodRetentionMs: 0,
    ...overrides,
  };
}

/** A plugin's answer in compact notation: a replica count, `'-'` for no-opinion, `'?'` for no-data. */
export type Answer = number | '-' | '?';

/**
 * Recommendations from a compact notation, in order: a number is `replicas` (reason `wants N`), `'-'` is
 * no-opinion, `'?'` is no-data. Plugin ids are `p0`, `p1`, ...
 */
export function recs(...answers: readonly Answer[]): PluginRecommendation[] {
  return answers.map((a, i) => ({ pluginId: `p${i}`, recommendation: toRecommendation(a) }));
}

function toRecommendation(a: Answer): Recommendation {
  if (a === '-') return { kind: 'no-opinion', reason: 'outside every window' };
  if (a === '?') return { kind: 'no-data', reason: 'no samples yet' };
  return { kind: 'replicas', replicas: a, reason: `wants ${a}` };
}
