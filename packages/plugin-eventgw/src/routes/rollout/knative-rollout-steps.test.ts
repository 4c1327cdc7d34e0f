import { describe, expect, it } from 'vitest';
import { knativeRolloutSteps } from './knative-rollout-steps.ts';

/**
 * Knative's TestObserveReady cases (pkg/reconciler/route/traffic/rollout_test.go): a 120 s rollout; the first 1 %
 * took 1982 ns ("step-begin < 1s") or about 2.4 s ("step-begin > 1s"), or longer than the whole rollout.
 */
describe('knativeRolloutSteps', () => {
  it.each([
    ['first step under 1 s, 100 %', 100, 0.002, 120_000, { stepPercent: 1, steps: 99, stepMs: 119_000 / 99 }],
    ['first step 2.4 s, 100 %', 100, 2400.252, 120_000, { stepPercent: 3, steps: 39, stepMs: 3000 }],
    ['first step 2.4 s, 75 %: 74 / 39 rounds up', 75, 2400.252, 120_000, { stepPercent: 2, steps: 39, stepMs: 3000 }],
    ['first step 2.4 s, 50 %: 49 / 39 rounds down', 50, 2400.252, 120_000, { stepPercent: 1, steps: 39, stepMs: 3000 }],
    ['a first step longer than the rollout: one step with the rest', 13, 200_000, 120_000, { stepPercent: 12, steps: 1, stepMs: 1000 }],
    ['60 s with a 1 s first step', 100, 500, 60_000, { stepPercent: 2, steps: 59, stepMs: 1000 }],
  ])('%s', (_, percent, firstStepMs, durationMs, expected) => {
    const s = knativeRolloutSteps(percent, firstStepMs, durationMs);
    expect(s.stepPercent).toBe(expected.stepPercent);
    expect(s.steps).toBeCloseTo(expected.steps, 9);
    expect(s.stepMs).toBeCloseTo(expected.stepMs, 6);
  });

  it('has nothing to roll out for a share of 1 % or less', () => {
    expect(knativeRolloutSteps(1, 1000, 60_000)).toEqual({ stepPercent: 0, stepMs: 0, steps: 0 });
  });
});
