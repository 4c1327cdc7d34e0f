import { excessBurstCapacity } from './excess-burst-capacity.ts';
import type { KpaConfig } from './kpa-config.ts';
import type { KpaObservation } from './kpa-observe.ts';
import type { KpaState } from './kpa-state.ts';
import { knativeWindowAverage } from './window-average-rounding.ts';

/** Everything one KPA decision reads; the same input always gives the same {@link KpaDecision}. */
export interface KpaDecisionInput {
  /** Decision time, ms since the epoch. */
  readonly nowMs: number;
  readonly config: Pick<
    KpaConfig,
    | 'targetPerPod'
    | 'totalPerPod'
    | 'targetBurstCapacity'
    | 'panicThreshold'
    | 'maxScaleUpRate'
    | 'maxScaleDownRate'
    | 'stableWindowMs'
    | 'aggregation'
  >;
  /** Ready pods as the cluster shows them, >= 0. */
  readonly readyPods: number;
  readonly observation: KpaObservation;
  /** Knative's activation scale: the fewest pods of any non-zero recommendation made for traffic; <= 1 = off. */
  readonly activationScale: number;
  /** The previous state (or `initialKpaState` for a new decider). */
  readonly state: KpaState;
  /**
   * Knative's `DeciderSpec.Reachable`: false for a revision no route sends traffic to, which may scale down
   * without the scale-down rate limit (Knative also skips its scale-down delay then; in Ebb that delay is the
   * caller's, applied after combining plugins). Default true: a plain Deployment is always reachable.
   */
  readonly reachable?: boolean;
}

/** The outcome of one decision, with the intermediate figures for reasons and `ebb explain`. */
export interface KpaDecision {
  /** Recommended replicas, integer >= 0. */
  readonly desiredPodCount: number;
  /** The stable value the decision used: the observation, rounded to 6 decimals for a linear average. */
  readonly stableValue: number;
  /** The panic value the decision used, rounded the same way. */
  readonly panicValue: number;
  /** ceil(stable value / target per pod), before any limit. */
  readonly stablePodsNeeded: number;
  /** ceil(panic value / target per pod), before any limit; it alone decides whether to panic. */
  readonly panicPodsNeeded: number;
  /** Pods wanted for the stable value, after rate limits and activation scale. */
  readonly desiredStablePodCount: number;
  /** Pods wanted for the panic value, after rate limits and activation scale. */
  readonly desiredPanicPodCount: number;
  /** Most pods this decision may recommend (rate limit). */
  readonly maxScaleUp: number;
  /** Fewest pods this decision may recommend (rate limit). */
  readonly maxScaleDown: number;
  /** Spare capacity in metric units, see {@link excessBurstCapacity}. */
  readonly excessBurstCapacity: number;
  /** True when this decision was made in panic mode. */
  readonly inPanic: boolean;
  /** The state to keep for the next decision. */
  readonly state: KpaState;
}

/**
 * Knative's `autoscaler.Scale` (pkg/autoscaler/scaling/autoscaler.go), step by step, as a pure function, fed
 * with the window averages as Knative's metric client returns them (a linear average rounded to 6 decimals, see
 * {@link knativeWindowAverage}). Only the scale-down delay is left out: core applies it after combining all
 * plugins (a max over the delay window, which commutes with the max taken here).
 */
export function decideKpa(input: KpaDecisionInput): KpaDecision {
  const { config: c, observation: o } = input;

  // The window averages as Knative's decider receives them: a linear average rounded to 6 decimal places.
  const stableValue = knativeWindowAverage(o.stableValue, c.aggregation);
  const panicValue = knativeWindowAverage(o.panicValue, c.aggregation);

  // Ready pods count as at least one, so that a target with no ready pod can still be rate-limited and measured.
  const readyPodsCount = Math.max(1, input.readyPods);

  // Rate limits. Up: ceil(rate x ready), so even a timid rate allows one more pod: rate 1.1 x 2 ready = 2.2 ->
  // 3 pods. Down: floor(ready / rate): 100 ready / rate 10 -> at least 10 pods; 1 ready / rate 2 -> 0, so a
  // single idle pod may go to zero at once (Knative's "scale to zero" decision; core applies the grace period).
  // An unreachable revision has no scale-down limit: 100 ready, rate 1.1, needing 1 -> 1 at once instead of 90.
  const maxScaleUp = Math.ceil(c.maxScaleUpRate * readyPodsCount);
  const maxScaleDown = (input.reachable ?? true) ? Math.floor(readyPodsCount / c.maxScaleDownRate) : 0;

  // Pods needed: ceil(observed / target per pod). Concurrency 50 / target 7 -> ceil(7.14) = 8 pods.
  const dspc = Math.ceil(stableValue / c.targetPerPod);
  const dppc = Math.ceil(panicValue / c.targetPerPod);

  // Keep both within [maxScaleDown, maxScaleUp]: need 100 with 1 ready and rate 10 -> 10 now, 100 next tick.
  let desiredStablePodCount = clamp(dspc, maxScaleDown, maxScaleUp);
  let desiredPanicPodCount = clamp(dppc, maxScaleDown, maxScaleUp);

  // Activation scale: once traffic asks for any pod, ask for at least this many (stable 1 with activation 2 -> 2).
  if (input.activationScale > 1) {
    if (dspc > 0 && input.activationScale > desiredStablePodCount) desiredStablePodCount = input.activationScale;
    if (dppc > 0 && input.activationScale > desiredPanicPodCount) desiredPanicPodCount = input.activationScale;
  }

  // Panic when the panic window needs at least `threshold` times the ready pods, on the unclamped count:
  // 10 ready, panic value 1000, target 10 -> 100 pods / 10 ready = 10 >= 2 -> panic.
  const isOverPanicThreshold = dppc / readyPodsCount >= c.panicThreshold;
  let panicTimeMs = input.state.panicTimeMs;
  let maxPanicPods = input.state.maxPanicPods;
  if (isOverPanicThreshold) {
    // Begin panicking, or extend the panic: the clock restarts at every crossing.
    panicTimeMs = input.nowMs;
  } else if (panicTimeMs !== undefined && panicTimeMs + c.stableWindowMs < input.nowMs) {
    // A full stable window without crossing: the surge is in the stable value now, so leave panic.
    panicTimeMs = undefined;
    maxPanicPods = 0;
  }

  let desiredPodCount = desiredStablePodCount;
  if (panicTimeMs !== undefined) {
    // In panic provision for the larger of the two values (the stable one can be larger after a long surge),
    // and never recommend fewer pods than already recommended during this panic.
    desiredPodCount = Math.max(desiredPodCount, desiredPanicPodCount);
    maxPanicPods = Math.max(maxPanicPods, desiredPodCount);
    desiredPodCount = maxPanicPods;
  }

  return {
    desiredPodCount,
    stableValue,
    panicValue,
    stablePodsNeeded: dspc,
    panicPodsNeeded: dppc,
    desiredStablePodCount,
    desiredPanicPodCount,
    maxScaleUp,
    maxScaleDown,
    excessBurstCapacity: excessBurstCapacity(c.targetBurstCapacity, input.readyPods, c.totalPerPod, panicValue),
    inPanic: panicTimeMs !== undefined,
    state: { panicTimeMs, maxPanicPods },
  };
}

function clamp(x: number, min: number, max: number): number {
  return Math.min(Math.max(x, min), max);
}
