import type { TargetKey } from '@ebb/core';
import { knativeRolloutSteps, progressRollout, type RolloutState, type VersionView } from '@ebb/plugin-eventgw';

/** How a rollout replay moves traffic: Knative's time steps, or Ebb's capacity-aware steps. */
export type RolloutMode = 'time' | 'capacity';

/** One version as a rollout step reads it from the modelled cluster. */
export interface VersionNow {
  readonly readyPods: number;
  readonly specPods: number;
  /** Requests in flight and queued at the gateway now. */
  readonly inFlight: number;
}

/** Where the rollout stands after a step. */
export interface RolloutStand {
  /** The new version's share now, percent. */
  readonly toPercent: number;
  /** Replica floors the control loop applies now (empty: none). */
  readonly floors: ReadonlyMap<TargetKey, number>;
  readonly done: boolean;
  /** Why the rollout stopped (a capacity-aware rollout past its progress deadline). */
  readonly stalled?: string;
}

/** One step of a rollout from `from` (all traffic) to `to`; called about once a second from the rollout's start. */
export type RolloutStepper = (nowMs: number, from: VersionNow, to: VersionNow) => RolloutStand;

/** Knative's first step lasts at least this long (the same as the capacity-aware rollout's), ms. */
const FIRST_STEP_MS = 1000;

/**
 * The new version's share `sinceReadyMs` after it turned Ready under Knative's time steps: 1 % at once, then
 * `stepPercent` every `stepMs` ({@link knativeRolloutSteps}), 100 % after the last step, whatever its pods.
 * Example: 60 s -> 59 steps of 2 % every second: 1 %, 3 %, 5 % ... 100 % after 59 s.
 */
export function knativeTimePercent(sinceReadyMs: number, durationMs: number): number {
  const s = knativeRolloutSteps(100, FIRST_STEP_MS, durationMs);
  const k = Math.floor(Math.max(0, sinceReadyMs) / s.stepMs);
  return k >= s.steps ? 100 : Math.min(100, 1 + k * s.stepPercent);
}

/**
 * Knative's rollout: the route moves to the new revision only once it is Ready (its initial pod), then the split
 * follows the clock ({@link knativeTimePercent}) whatever the pods; the new version keeps that one pod (a floor of
 * 1, as a new revision's initial scale) until the rollout is done, and otherwise scales on its own demand.
 */
export function timeBasedStepper(toKey: TargetKey, durationMs: number): RolloutStepper {
  let readyAtMs: number | undefined;
  return (nowMs, _from, to) => {
    if (readyAtMs === undefined && to.readyPods < 1) return { toPercent: 0, floors: new Map([[toKey, 1]]), done: false };
    readyAtMs ??= nowMs;
    const toPercent = knativeTimePercent(nowMs - readyAtMs, durationMs);
    const done = toPercent >= 100;
    return { toPercent, floors: new Map(done ? [] : [[toKey, 1]]), done };
  };
}

/** Options of {@link capacityAwareStepper}. */
export interface CapacityStepperOptions {
  readonly fromKey: TargetKey;
  readonly toKey: TargetKey;
  readonly durationMs: number;
  /** Requests in flight one pod carries (container-concurrency, or the KPA target when unlimited). */
  readonly perPod: number;
  /** Pods above the pre-rollout total the rollout may use; 0: no budget. */
  readonly maxSurgePods: number;
  readonly progressDeadlineMs: number;
}

/**
 * Ebb's rollout, the plugin's own decision ({@link progressRollout}, as the scaler runs it): each time step waits
 * until the new version has the Ready pods its next share needs; its floors go to the control loop.
 */
export function capacityAwareStepper(o: CapacityStepperOptions): RolloutStepper {
  const config = { durationMs: o.durationMs, maxSurgePods: o.maxSurgePods, progressDeadlineMs: o.progressDeadlineMs };
  const declared = { [o.fromKey]: 0, [o.toKey]: 100 };
  let state: RolloutState | undefined = { current: { [o.fromKey]: 100, [o.toKey]: 0 } };
  const view = (v: VersionNow): VersionView => ({ readyPods: v.readyPods, specPods: v.specPods, perPod: o.perPod, inFlight: v.inFlight });
  return (nowMs, from, to) => {
    state = progressRollout({ nowMs, config, declared, state, versions: new Map([[o.fromKey, view(from)], [o.toKey, view(to)]]) }).state;
    const floors = new Map<TargetKey, number>(state?.to && state.floors ? Object.entries(state.floors) : []);
    const stand = { toPercent: state?.current[o.toKey] ?? 100, floors, done: state?.to === undefined };
    return state?.stalled ? { ...stand, stalled: state.reason ?? 'stalled' } : stand;
  };
}
