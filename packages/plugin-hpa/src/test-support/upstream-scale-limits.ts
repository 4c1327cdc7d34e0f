/**
 * For comparison tests only: the scale limits of the Kubernetes HPA controller, ported line by line from
 * k8s.io/kubernetes v1.38.0-beta.0 `pkg/controller/podautoscaler/horizontal.go`. `nowMs` replaces `time.Now()`.
 */
import type { ScalingPolicyType, SelectPolicy } from '../behavior.ts';
import { ceilToInt32 } from './upstream-replica-calculator.ts';

/** `HPAScalingRules` after the API defaults (the scale-down window is filled by the controller). */
export interface Rules {
  stabilizationWindowSeconds?: number;
  selectPolicy: SelectPolicy;
  policies: readonly { type: ScalingPolicyType; value: number; periodSeconds: number }[];
  tolerance?: number;
}

/** `timestampedScaleEvent`. */
export interface TimestampedScaleEvent {
  replicaChange: number;
  timestampMs: number;
  outdated: boolean;
}

const MAX_INT32 = 2 ** 31 - 1;
const MIN_INT32 = -(2 ** 31);

export function convertDesiredReplicasWithRules(currentReplicas: number, desiredReplicas: number, hpaMinReplicas: number, hpaMaxReplicas: number): number {
  const minimumAllowedReplicas = hpaMinReplicas;
  const scaleUpLimit = calculateScaleUpLimit(currentReplicas);
  const maximumAllowedReplicas = hpaMaxReplicas > scaleUpLimit ? scaleUpLimit : hpaMaxReplicas;
  if (desiredReplicas < minimumAllowedReplicas) return minimumAllowedReplicas;
  if (desiredReplicas > maximumAllowedReplicas) return maximumAllowedReplicas;
  return desiredReplicas;
}

/** `scaleUpLimitFactor` 2.0, `scaleUpLimitMinimum` 4.0. */
const calculateScaleUpLimit = (currentReplicas: number): number => Math.trunc(Math.max(2.0 * currentReplicas, 4.0));

export function getReplicasChangePerPeriod(periodSeconds: number, scaleEvents: readonly TimestampedScaleEvent[], nowMs: number): number {
  const cutoff = nowMs - periodSeconds * 1000;
  let replicas = 0;
  for (const rec of scaleEvents) if (rec.timestampMs > cutoff) replicas += rec.replicaChange;
  return replicas;
}

export function markScaleEventsOutdated(scaleEvents: TimestampedScaleEvent[], longestPolicyPeriod: number, nowMs: number): void {
  const cutoff = nowMs - longestPolicyPeriod * 1000;
  for (const event of scaleEvents) if (event.timestampMs < cutoff) event.outdated = true;
}

export function getLongestPolicyPeriod(scalingRules: Rules): number {
  let longestPolicyPeriod = 0;
  for (const policy of scalingRules.policies) if (policy.periodSeconds > longestPolicyPeriod) longestPolicyPeriod = policy.periodSeconds;
  return longestPolicyPeriod;
}

export function calculateScaleUpLimitWithScalingRules(currentReplicas: number, up: readonly TimestampedScaleEvent[], down: readonly TimestampedScaleEvent[], rules: Rules, nowMs: number): number {
  if (rules.selectPolicy === 'Disabled') return currentReplicas;
  let result = rules.selectPolicy === 'Min' ? MAX_INT32 : MIN_INT32;
  const selectPolicyFn = rules.selectPolicy === 'Min' ? Math.min : Math.max;
  for (const policy of rules.policies) {
    const periodStartReplicas = currentReplicas - getReplicasChangePerPeriod(policy.periodSeconds, up, nowMs) + getReplicasChangePerPeriod(policy.periodSeconds, down, nowMs);
    const proposed = policy.type === 'Pods' ? periodStartReplicas + policy.value : ceilToInt32(periodStartReplicas * (1 + policy.value / 100));
    result = selectPolicyFn(result, proposed);
  }
  return result;
}

export function calculateScaleDownLimitWithBehaviors(currentReplicas: number, up: readonly TimestampedScaleEvent[], down: readonly TimestampedScaleEvent[], rules: Rules, nowMs: number): number {
  if (rules.selectPolicy === 'Disabled') return currentReplicas;
  let result = rules.selectPolicy === 'Min' ? MIN_INT32 : MAX_INT32;
  const selectPolicyFn = rules.selectPolicy === 'Min' ? Math.max : Math.min;
  for (const policy of rules.policies) {
    const periodStartReplicas = currentReplicas - getReplicasChangePerPeriod(policy.periodSeconds, up, nowMs) + getReplicasChangePerPeriod(policy.periodSeconds, down, nowMs);
    const proposed = policy.type === 'Pods' ? periodStartReplicas - policy.value : Math.trunc(periodStartReplicas * (1 - policy.value / 100));
    result = selectPolicyFn(result, proposed);
  }
  return result;
}
