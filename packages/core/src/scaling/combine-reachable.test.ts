import { describe, expect, it } from 'vitest';
import type { ScalingConfig } from '../contracts/scaling.ts';
import { combine } from './combine.ts';
import { recs, scalingConfig } from './test-support/combine-fixtures.ts';

const NOW = Date.UTC(2026, 0, 1);

/** One decision wanting `wants` at `current` replicas (ready = current), reachable or not. */
function decide(wants: number, current: number, reachable: boolean | undefined, overrides: Partial<ScalingConfig>, state?: unknown, nowMs = NOW) {
  return combine({
    recommendations: recs(wants),
    scaling: scalingConfig(overrides),
    currentReplicas: current,
    readyReplicas: current,
    nowMs,
    ...(reachable === undefined ? {} : { reachable }),
    ...(state === undefined ? {} : { state }),
  });
}

describe('combine for a target no route reaches (Knative: an unreachable revision)', () => {
  it.each([
    ['min-replicas 3 holds a reachable target', { minReplicas: 3 }, true, 3, ['min-replicas']],
    ['min-replicas 3 does not hold an unreachable one', { minReplicas: 3 }, false, 1, []],
    ['initial-replicas 2 holds a new reachable target', { initialReplicas: 2 }, undefined, 2, ['initial-replicas']],
    ['initial-replicas 2 does not hold an unreachable one', { initialReplicas: 2 }, false, 1, []],
  ] as const)('%s', (_name, overrides, reachable, desired, applied) => {
    const r = decide(1, 1, reachable, overrides);
    expect([r.desired, r.applied]).toEqual([desired, applied]);
  });

  it('the scale-down delay does not hold an unreachable target', () => {
    const overrides = { scaleDownDelayMs: 60_000 };
    const high = decide(8, 8, true, overrides);
    expect(decide(2, 8, true, overrides, high.state, NOW + 10_000).desired).toBe(8);
    expect(decide(2, 8, false, overrides, high.state, NOW + 10_000).desired).toBe(2);
  });

  it('the pod retention period does not keep an unreachable target (Knative keeps no last pod for it); the grace period does', () => {
    const overrides = { scaleToZeroGracePeriodMs: 6_000, scaleToZeroPodRetentionMs: 60_000 };
    const first = decide(0, 1, false, overrides);
    expect(first.applied).toEqual(['scale-to-zero-grace']);
    expect(decide(0, 1, false, overrides, first.state, NOW + 6_000).desired).toBe(0);
    expect(decide(0, 1, true, overrides, first.state, NOW + 6_000).applied).toEqual(['pod-retention']);
  });

  it('an unreachable version with min 2 and no traffic goes to zero after the grace period, not before', () => {
    const overrides = { minReplicas: 2, scaleToZeroGracePeriodMs: 30_000 };
    const first = decide(0, 2, false, overrides);
    expect([first.desired, first.applied]).toEqual([1, ['scale-to-zero-grace']]);
    expect(decide(0, 1, false, overrides, first.state, NOW + 30_000).desired).toBe(0);
    expect(decide(0, 1, true, overrides, first.state, NOW + 30_000).desired).toBe(2);
  });
});
