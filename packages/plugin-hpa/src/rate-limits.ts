import type { HpaBehavior, HpaScalingRules } from './behavior.ts';
import type { ScaleEvent } from './hpa-state.ts';

/** Why a count was (or was not) limited, with the controller's condition reasons. */
export type LimitReason = 'DesiredWithinRange' | 'ScaleUpLimit' | 'TooManyReplicas' | 'ScaleDownLimit' | 'TooFewReplicas';

/** A limited count. */
export interface Limited {
  readonly replicas: number;
  readonly reason: LimitReason;
}

/** Pods changed by the events strictly within the last `periodSeconds` before `nowMs`. */
export function replicasChangedInPeriod(events: readonly ScaleEvent[], periodSeconds: number, nowMs: number): number {
  const cutoff = nowMs - periodSeconds * 1000;
  return events.reduce((sum, e) => (e.timeMs > cutoff ? sum + e.replicaChange : sum), 0);
}

/** Recent scale events of both directions. */
export interface ScaleHistory {
  readonly scaleUpEvents: readonly ScaleEvent[];
  readonly scaleDownEvents: readonly ScaleEvent[];
}

/** The count at the start of a policy's period: current minus pods added plus pods removed within it. */
function periodStartReplicas(current: number, history: ScaleHistory, periodSeconds: number, nowMs: number): number {
  return (
    current -
    replicasChangedInPeriod(history.scaleUpEvents, periodSeconds, nowMs) +
    replicasChangedInPeriod(history.scaleDownEvents, periodSeconds, nowMs)
  );
}

/**
 * Highest count the scale-up policies allow (`calculateScaleUpLimitWithScalingRules`). Per policy, from the
 * count at the start of its period: Pods -> start + value; Percent -> ceil(start x (1 + value / 100)). Max
 * takes the largest, Min the smallest; Disabled allows no change. Example: defaults (4 pods or 100 % per
 * 15 s), 10 pods, no recent events -> max(14, 20) = 20.
 */
export function scaleUpLimit(current: number, history: ScaleHistory, rules: HpaScalingRules, nowMs: number): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const pick = rules.selectPolicy === 'Min' ? Math.min : Math.max;
  let result = rules.selectPolicy === 'Min' ? Infinity : -Infinity;
  for (const policy of rules.policies) {
    const start = periodStartReplicas(current, history, policy.periodSeconds, nowMs);
    const proposed = policy.type === 'Pods' ? start + policy.value : Math.ceil(start * (1 + policy.value / 100));
    result = pick(result, proposed);
  }
  return result;
}

/**
 * Lowest count the scale-down policies allow (`calculateScaleDownLimitWithBehaviors`). Per policy:
 * Pods -> start - value; Percent -> trunc(start x (1 - value / 100)). Max takes the lowest count (the largest
 * change), Min the highest; Disabled allows no change. Example: 2 pods or 1 % per 60 s from 100 -> min(98, 99) = 98.
 */
export function scaleDownLimit(current: number, history: ScaleHistory, rules: HpaScalingRules, nowMs: number): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const pick = rules.selectPolicy === 'Min' ? Math.max : Math.min;
  let result = rules.selectPolicy === 'Min' ? -Infinity : Infinity;
  for (const policy of rules.policies) {
    const start = periodStartReplicas(current, history, policy.periodSeconds, nowMs);
    const proposed = policy.type === 'Pods' ? start - policy.value : Math.trunc(start * (1 - policy.value / 100));
    result = pick(result, proposed);
  }
  return result;
}

/** Inputs of {@link limitWithBehavior}. */
export interface BehaviorLimitInput {
  readonly currentReplicas: number;
  readonly desiredReplicas: number;
  readonly minReplicas: number;
  /** Infinity when unbounded. */
  readonly maxReplicas: number;
  readonly behavior: HpaBehavior;
  readonly history: ScaleHistory;
  readonly nowMs: number;
}

/**
 * Bounds and rate limits with a behavior (`convertDesiredReplicasWithBehaviorRate`). Scaling up, the count is
 * capped by the lower of maxReplicas and the scale-up limit (never below the current count); scaling down, it
 * is floored by the higher of minReplicas and the scale-down limit (never above the current count).
 */
export function limitWithBehavior(input: BehaviorLimitInput): Limited {
  const { currentReplicas: current, desiredReplicas: desired, minReplicas, maxReplicas, behavior, history, nowMs } = input;
  if (desired > current) {
    const upLimit = Math.max(current, scaleUpLimit(current, history, behavior.scaleUp, nowMs));
    const [allowed, reason]: [number, LimitReason] = maxReplicas > upLimit ? [upLimit, 'ScaleUpLimit'] : [maxReplicas, 'TooManyReplicas'];
    if (desired > allowed) return { replicas: allowed, reason };
  } else if (desired < current) {
    const downLimit = Math.min(current, scaleDownLimit(current, history, behavior.scaleDown, nowMs));
    const [allowed, reason]: [number, LimitReason] = minReplicas < downLimit ? [downLimit, 'ScaleDownLimit'] : [minReplicas, 'TooFewReplicas'];
    if (desired < allowed) return { replicas: allowed, reason };
  }
  return { replicas: desired, reason: 'DesiredWithinRange' };
}

/**
 * Bounds and the fixed scale-up limit without a behavior (`convertDesiredReplicasWithRules`): at least
 * minReplicas, at most maxReplicas and at most max(2 x current, 4). Example: 10 pods, 50 desired -> 20.
 */
export function limitWithoutBehavior(currentReplicas: number, desiredReplicas: number, minReplicas: number, maxReplicas: number): Limited {
  const upLimit = Math.max(2 * currentReplicas, 4);
  const [allowed, reason]: [number, LimitReason] = maxReplicas > upLimit ? [upLimit, 'ScaleUpLimit'] : [maxReplicas, 'TooManyReplicas'];
  if (desiredReplicas < minReplicas) return { replicas: minReplicas, reason: 'TooFewReplicas' };
  if (desiredReplicas > allowed) return { replicas: allowed, reason };
  return { replicas: desiredReplicas, reason: 'DesiredWithinRange' };
}
