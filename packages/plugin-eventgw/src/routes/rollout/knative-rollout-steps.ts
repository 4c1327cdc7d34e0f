/** How a gradual rollout moves traffic in time, as Knative's `rollout-duration` does. */
export interface RolloutSteps {
  /** Percent moved at each step after the first 1 %. */
  readonly stepPercent: number;
  /** Time between two steps, ms. */
  readonly stepMs: number;
  /** Steps after the first 1 %. */
  readonly steps: number;
}

/**
 * Knative's step plan (pkg/reconciler/route/traffic/rollout.go, `computeProperties`): a rollout first gives the
 * new version 1 %; the time that took (`firstStepMs`, rounded up to whole seconds, at least 1 s) is the shortest
 * step. The rest of the duration is split into equal steps of at least that length and at least 1 %:
 * steps = min(percent - 1, max(1, (duration - minStep) / minStep)), stepPercent = round((percent - 1) / steps),
 * stepMs = (duration - minStep) / steps. Example: 100 % over 120 s with a first step of 2.4 s -> minStep 3 s,
 * 39 steps of 3 % every 3 s. A first step longer than the duration: one step with the rest.
 * @param percent the share the new version ends with, 2..100 (1 or less: nothing to roll out, 0 steps)
 */
export function knativeRolloutSteps(percent: number, firstStepMs: number, durationMs: number): RolloutSteps {
  const remaining = percent - 1;
  if (remaining <= 0) return { stepPercent: 0, stepMs: 0, steps: 0 };
  const minStepS = Math.max(1, Math.ceil(firstStepMs / 1000));
  const restS = Math.max(1, durationMs / 1000 - minStepS);
  const steps = Math.min(remaining, Math.max(1, restS / minStepS));
  return { stepPercent: Math.round(remaining / steps), stepMs: (restS / steps) * 1000, steps };
}
