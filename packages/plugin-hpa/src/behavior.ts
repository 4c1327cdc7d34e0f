/**
 * The autoscaling/v2 `HorizontalPodAutoscalerBehavior`, as written in the `ebb.dev/hpa.behavior` annotation,
 * and the Kubernetes defaults that fill it (pkg/apis/autoscaling/v2/defaults.go). Times are in seconds, as in
 * the API.
 */

/** `Pods` adds or removes at most `value` pods per period; `Percent` at most `value` % of the pods at its start. */
export type ScalingPolicyType = 'Pods' | 'Percent';

/** Which policy wins: the one allowing the most change (`Max`), the least (`Min`), or no change (`Disabled`). */
export type SelectPolicy = 'Max' | 'Min' | 'Disabled';

/** One rate limit. */
export interface HpaScalingPolicy {
  readonly type: ScalingPolicyType;
  /** Pods, or percent of the pods at the start of the period; > 0. */
  readonly value: number;
  /** Length of the period, in seconds; 1..1800. */
  readonly periodSeconds: number;
}

/** Scaling rules of one direction as written: every field optional. */
export interface HpaScalingRulesSpec {
  /** Seconds of past recommendations to consider; 0..3600. */
  readonly stabilizationWindowSeconds?: number;
  readonly selectPolicy?: SelectPolicy;
  /** At least one policy when given. */
  readonly policies?: readonly HpaScalingPolicy[];
  /** Tolerance of this direction as a fraction (`0.05` = 5 %), >= 0; overrides `ebb.dev/hpa.tolerance`. */
  readonly tolerance?: number;
}

/** The behavior as written: either direction may be left out. */
export interface HpaBehaviorSpec {
  readonly scaleUp?: HpaScalingRulesSpec;
  readonly scaleDown?: HpaScalingRulesSpec;
}

/** Scaling rules of one direction with the defaults filled in. */
export interface HpaScalingRules {
  readonly stabilizationWindowSeconds: number;
  readonly selectPolicy: SelectPolicy;
  readonly policies: readonly HpaScalingPolicy[];
  readonly tolerance?: number;
}

/** A behavior with both directions filled in. */
export interface HpaBehavior {
  readonly scaleUp: HpaScalingRules;
  readonly scaleDown: HpaScalingRules;
}

/** The controller's `--horizontal-pod-autoscaler-downscale-stabilization` default: 300 s. */
export const DEFAULT_SCALE_DOWN_STABILIZATION_SECONDS = 300;

/** Scale-up defaults: no stabilization; add the larger of 4 pods or 100 % every 15 s. */
export const DEFAULT_SCALE_UP_RULES: HpaScalingRules = {
  stabilizationWindowSeconds: 0,
  selectPolicy: 'Max',
  policies: [
    { type: 'Pods', value: 4, periodSeconds: 15 },
    { type: 'Percent', value: 100, periodSeconds: 15 },
  ],
};

/** Scale-down defaults: 300 s stabilization; remove up to 100 % every 15 s. */
export const DEFAULT_SCALE_DOWN_RULES: HpaScalingRules = {
  stabilizationWindowSeconds: DEFAULT_SCALE_DOWN_STABILIZATION_SECONDS,
  selectPolicy: 'Max',
  policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
};

/** Copies the fields that are set in `spec` over `defaults` (`copyHPAScalingRules`). */
function fillRules(spec: HpaScalingRulesSpec | undefined, defaults: HpaScalingRules): HpaScalingRules {
  if (spec === undefined) return defaults;
  const tolerance = spec.tolerance ?? defaults.tolerance;
  return {
    stabilizationWindowSeconds: spec.stabilizationWindowSeconds ?? defaults.stabilizationWindowSeconds,
    selectPolicy: spec.selectPolicy ?? defaults.selectPolicy,
    policies: spec.policies ?? defaults.policies,
    ...(tolerance === undefined ? {} : { tolerance }),
  };
}

/** Fills a written behavior with the Kubernetes defaults (`GenerateHPAScaleUpRules` / `...ScaleDownRules`). */
export function resolveBehavior(spec: HpaBehaviorSpec): HpaBehavior {
  return { scaleUp: fillRules(spec.scaleUp, DEFAULT_SCALE_UP_RULES), scaleDown: fillRules(spec.scaleDown, DEFAULT_SCALE_DOWN_RULES) };
}

/** The longest policy period of a direction, in seconds (0 when it has no policies). */
export function longestPolicyPeriodSeconds(rules: HpaScalingRules): number {
  return rules.policies.reduce((longest, p) => Math.max(longest, p.periodSeconds), 0);
}
