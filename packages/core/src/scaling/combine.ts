import { formatDuration } from '../config/duration.ts';
import type { ScalingConfig } from '../contracts/scaling.ts';
import type { AppliedStep, CombineRequest, CombineResult, CombineState, CombineStep, PluginRecommendation } from './combine-types.ts';
import { isDelayWindow, recordDelay, type DelayEntry } from './delay-window.ts';

/**
 * Combines the enabled plugins' recommendations into one desired replica count. Pure: the same request gives
 * the same result; time comes only from `nowMs` and memory only from `state`. Steps, in order:
 *
 * 1. Max: the highest `replicas` recommendation wins (ties: first in policy order). cron 10 and cpu 20 -> 20.
 *    Without any (every plugin has no opinion, or no data), the value stays at the current count.
 * 2. No-data hold: if any plugin returned `no-data`, never below the current count. current 8, kpa 3,
 *    hpa no-data -> 8.
 * 3. Bounds: at least `minReplicas`, at most `maxReplicas` (0 = unbounded). 30 with max 20 -> 20. Bounds are
 *    configuration, so they apply even while holding for missing data.
 * 4. Scale-down delay (Knative): the max over the values of step 3 during the last `scaleDownDelayMs`, capped
 *    by `maxReplicas`. delay 60 s, 10 at t=0 then 2 -> 10 until t=58 s, 2 from t=60 s.
 * 5. Scale to zero, when the value is 0: with `scaleToZero` false -> 1. Otherwise, if pods are running, zero
 *    only once `max(gracePeriod, podRetention)` has passed since the last decision that wanted pods (Knative
 *    waits for both from the moment its PodAutoscaler went inactive); until then 1. grace 30 s, last non-zero at
 *    t=100 s -> 1 until t=129.999 s, 0 from t=130 s.
 * 6. Activation: from zero replicas, at least `activationReplicas` (capped by `maxReplicas`). current 0,
 *    desired 1, activation 3 -> 3.
 * 7. Initial replicas (Knative's initial-scale): until the target has had `initialReplicas` ready pods once,
 *    at least that many (capped by `maxReplicas`). A new Deployment at 0 with initial 1 and no traffic -> 1,
 *    then, once its pod is Ready, the policies decide (and may take it to zero after the grace period).
 *
 * 8. Floor: at least `floor.replicas` (capped by `maxReplicas`), whatever the steps before decided, also for
 *    an unreachable target. A rollout preparing 2 pods for a version at 0 % -> 2.
 *
 * With `reachable: false` (no route can send the target requests) step 3's floor, step 4, the pod retention
 * period of step 5 and step 7 are skipped: an unreachable version at min 2 with no traffic goes to zero after the
 * grace period, as Knative scales an unreachable revision.
 *
 * A `replicas` recommendation that is not a finite number >= 0 is treated as `no-data` (a fraction is rounded
 * up): a broken plugin must not scale a target down.
 */
export function combine(request: CombineRequest): CombineResult {
  const { scaling, nowMs } = request;
  const current = Math.max(0, Math.floor(request.currentReplicas));
  const previous = readState(request.state);
  const steps: AppliedStep[] = [];
  let value: number;
  const raise = (step: CombineStep, to: number, detail: string): void => {
    if (to === value) return;
    steps.push({ step, from: value, to, detail });
    value = to;
  };

  // 1. Max of the recommendations.
  const { max, winner, noData } = maxRecommendation(request.recommendations);
  value = max ?? current;

  // 2. No scale-down while a plugin lacks data.
  if (noData.length && value < current) raise('no-data-hold', current, `no data from ${noData.join(', ')}: holding at ${current}`);

  // 3. Bounds. An unreachable target has no floor (Knative ignores min-scale for an unreachable revision).
  const reachable = request.reachable ?? true;
  if (reachable && value < scaling.minReplicas) raise('min-replicas', scaling.minReplicas, `min-replicas is ${scaling.minReplicas}`);
  if (scaling.maxReplicas > 0 && value > scaling.maxReplicas) raise('max-replicas', scaling.maxReplicas, `max-replicas is ${scaling.maxReplicas}`);

  // 4. Scale-down delay.
  let delayWindow: readonly DelayEntry[] = [];
  if (scaling.scaleDownDelayMs > 0 && reachable) {
    delayWindow = recordDelay(previous.delayWindow, nowMs, value, scaling.scaleDownDelayMs);
    const highest = capped(delayWindow[0]?.replicas ?? value, scaling);
    if (highest > value) {
      raise('scale-down-delay', highest, `highest desired count in the last ${formatDuration(scaling.scaleDownDelayMs)} was ${highest}`);
    }
  }

  // 5. Scale to zero.
  // A waiting request is activity too: the grace period starts again from it.
  const lastActiveMs = value > 0 || request.requestWaiting ? nowMs : (previous.lastActiveMs ?? nowMs);
  if (value === 0) applyScaleToZero(scaling, current, nowMs - lastActiveMs, reachable, raise);

  // 6. Activation from zero (also when a request is waiting at zero and no metric shows it yet).
  if (current === 0 && value === 0 && request.requestWaiting) {
    raise('activation', capped(Math.max(1, scaling.activationReplicas), scaling), 'a request is waiting at zero: waking the target');
  } else if (current === 0 && value > 0 && value < scaling.activationReplicas) {
    raise('activation', capped(scaling.activationReplicas, scaling), `activation-replicas is ${scaling.activationReplicas} when scaling from zero`);
  }

  // 7. Initial replicas, until initialized.
  const initialized =
    previous.initialized === true || request.managedBefore === true || (request.readyReplicas !== undefined && request.readyReplicas >= scaling.initialReplicas);
  if (reachable && !initialized && request.readyReplicas !== undefined && value < scaling.initialReplicas) {
    raise('initial-replicas', capped(scaling.initialReplicas, scaling), `initial-replicas is ${scaling.initialReplicas} until that many pods were ready once`);
  }

  // 8. A floor from outside the policies (a rollout step).
  if (request.floor && value < capped(request.floor.replicas, scaling)) raise('floor', capped(request.floor.replicas, scaling), request.floor.reason);

  return {
    desired: value,
    ...(winner ? { winner } : {}),
    applied: steps.map((s) => s.step),
    steps,
    state: { delayWindow, lastActiveMs, ...(initialized ? { initialized } : {}) },
  };
}

/** The highest valid `replicas` recommendation and its plugin, and the plugins without data. */
function maxRecommendation(recommendations: readonly PluginRecommendation[]): {
  max?: number;
  winner?: { pluginId: string; reason: string };
  noData: string[];
} {
  let max: number | undefined;
  let winner: { pluginId: string; reason: string } | undefined;
  const noData: string[] = [];
  for (const { pluginId, recommendation: r } of recommendations) {
    if (r.kind === 'no-data') noData.push(pluginId);
    if (r.kind !== 'replicas') continue;
    if (!Number.isFinite(r.replicas) || r.replicas < 0) {
      noData.push(`${pluginId} (invalid replicas ${r.replicas})`);
      continue;
    }
    const n = Math.ceil(r.replicas);
    if (max === undefined || n > max) {
      max = n;
      winner = { pluginId, reason: r.reason };
    }
  }
  return { ...(max === undefined ? {} : { max }), ...(winner ? { winner } : {}), noData };
}

/**
 * Step 5 for a value of 0. `inactiveMs` is the time since the last decision that wanted pods. The wait is
 * `max(grace, retention)`; the step is named after the longer of the two (the one still holding).
 */
function applyScaleToZero(
  scaling: ScalingConfig,
  current: number,
  inactiveMs: number,
  reachable: boolean,
  raise: (step: CombineStep, to: number, detail: string) => void,
): void {
  if (!scaling.scaleToZero) {
    raise('scale-to-zero-disabled', 1, 'scale-to-zero is false: keeping one replica');
    return;
  }
  if (current === 0) return;
  const graceMs = scaling.scaleToZeroGracePeriodMs;
  // Knative keeps no last pod for an unreachable revision: its pod retention period does not apply then.
  const retentionMs = reachable ? scaling.scaleToZeroPodRetentionMs : 0;
  const waitMs = Math.max(graceMs, retentionMs);
  if (inactiveMs >= waitMs) return;
  const left = formatDuration(waitMs - inactiveMs);
  if (retentionMs > graceMs) raise('pod-retention', 1, `pod retention: ${left} of ${formatDuration(retentionMs)} left before zero`);
  else raise('scale-to-zero-grace', 1, `grace period: ${left} of ${formatDuration(graceMs)} left before zero`);
}

function capped(n: number, scaling: ScalingConfig): number {
  return scaling.maxReplicas > 0 ? Math.min(n, scaling.maxReplicas) : n;
}

/** The previous state when it is well-formed; otherwise an empty one (first decision, or state lost). */
function readState(x: unknown): CombineState {
  const s = x as Partial<CombineState> | null | undefined;
  if (typeof s !== 'object' || s === null || !isDelayWindow(s.delayWindow)) return { delayWindow: [] };
  return {
    delayWindow: s.delayWindow,
    ...(Number.isFinite(s.lastActiveMs) ? { lastActiveMs: s.lastActiveMs } : {}),
    ...(s.initialized === true ? { initialized: true } : {}),
  };
}
