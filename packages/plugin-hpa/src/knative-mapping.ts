import type { CrossFieldIssue } from '@ebb/core';
import type { HpaBehaviorSpec } from './behavior.ts';
import { KNATIVE_HPA_CLASS, type HpaConfig } from './hpa-fields.ts';
import type { MetricTargetConfig } from './metric-target.ts';

/** Bytes in one Mi. */
const MI = 1024 * 1024;
/** The metrics Knative's HPA class maps onto resource metrics here. */
export const KNATIVE_HPA_METRICS = ['cpu', 'memory'] as const;

const TARGET_FIELDS = ['cpuUtilization', 'memoryUtilization', 'cpuAverageMilli', 'memoryAverageBytes'] as const;

/** True when the config asks for Knative's HPA class. */
export function isKnativeHpaClass(config: HpaConfig): boolean {
  return config.knativeClass === KNATIVE_HPA_CLASS;
}

/**
 * The targets Knative's HPA reconciler (pkg/reconciler/autoscaling/hpa/resources/hpa.go) would put on the
 * HorizontalPodAutoscaler: metric `cpu` (the default) -> utilization ceil(target) %; `memory` -> average value
 * trunc(target) Mi. Examples: cpu 70.5 -> 71 %; memory 512.9 -> 512Mi. Undefined without a target or for
 * another metric.
 */
export function knativeTargets(config: HpaConfig): MetricTargetConfig | undefined {
  const target = config.knativeTarget;
  if (!isKnativeHpaClass(config) || target === undefined) return undefined;
  const none: MetricTargetConfig = { cpuUtilization: undefined, memoryUtilization: undefined, cpuAverageMilli: undefined, memoryAverageBytes: undefined };
  const metric = config.knativeMetric || 'cpu';
  if (metric === 'cpu') return { ...none, cpuUtilization: Math.ceil(target) };
  if (metric === 'memory') return { ...none, memoryAverageBytes: Math.trunc(target) * MI };
  return undefined;
}

/** Knative's window becomes both stabilization windows of the HPA it creates (whole seconds). */
export function knativeWindowBehavior(windowMs: number): HpaBehaviorSpec {
  const stabilizationWindowSeconds = Math.trunc(windowMs / 1000);
  return { scaleUp: { stabilizationWindowSeconds }, scaleDown: { stabilizationWindowSeconds } };
}

function hasEbbTarget(config: HpaConfig): boolean {
  return TARGET_FIELDS.some((f) => config[f] !== undefined) || config.metrics !== undefined;
}

/**
 * The normalise step: with `autoscaling.knative.dev/class: hpa.autoscaling.knative.dev`, Knative's target
 * becomes the matching `ebb.dev/hpa.*` target and Knative's window the behavior's stabilization windows, unless
 * those are written in Ebb's keys ({@link validateHpaConfig} reports a disagreement). Example: metric `memory`,
 * target `512` -> `memoryAverageBytes` 536870912.
 */
export function normaliseHpaConfig(config: HpaConfig): HpaConfig {
  if (!isKnativeHpaClass(config)) return config;
  let out = config;
  const mapped = knativeTargets(config);
  if (mapped && !hasEbbTarget(config)) out = { ...out, ...mapped };
  if (config.knativeWindowMs !== undefined && config.behavior === undefined) out = { ...out, behavior: knativeWindowBehavior(config.knativeWindowMs) };
  return out;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Cross-field checks, on the normalised config, for Knative's HPA class: the metric must be cpu or memory;
 * memory needs a target of at least 1 (Mi); a Knative target or window must not contradict targets or a
 * behavior written in Ebb's keys.
 */
export function validateHpaConfig(config: HpaConfig): readonly CrossFieldIssue[] {
  if (!isKnativeHpaClass(config)) return [];
  const issues: CrossFieldIssue[] = [];
  const metric = config.knativeMetric || 'cpu';
  if (!(KNATIVE_HPA_METRICS as readonly string[]).includes(metric)) {
    issues.push({
      field: 'knativeMetric',
      related: ['knativeClass'],
      message: `metric "${metric}" is not supported with ${KNATIVE_HPA_CLASS}; the HPA plugin scales on cpu or memory`,
      allowed: KNATIVE_HPA_METRICS.join(' | '),
    });
    return issues;
  }
  if (metric === 'memory' && (config.knativeTarget === undefined || config.knativeTarget < 1)) {
    // Reported on the key the user wrote: the target when it is too small, else the metric.
    const written = config.knativeTarget === undefined ? 'knativeMetric' : 'knativeTarget';
    issues.push({
      field: written,
      related: written === 'knativeMetric' ? ['knativeClass'] : ['knativeMetric', 'knativeClass'],
      message: 'metric memory needs a target: the average memory per pod in Mi, at least 1',
      allowed: 'target >= 1 (Mi)',
    });
  }
  const mapped = knativeTargets(config);
  if (mapped && TARGET_FIELDS.some((f) => config[f] !== mapped[f])) {
    issues.push({
      field: 'knativeTarget',
      related: [...TARGET_FIELDS.filter((f) => config[f] !== undefined), 'knativeMetric'],
      message: 'the Knative target and the ebb.dev/hpa targets disagree; set the target in one place',
    });
  }
  if (config.knativeWindowMs !== undefined && !sameJson(config.behavior, knativeWindowBehavior(config.knativeWindowMs))) {
    issues.push({
      field: 'knativeWindowMs',
      related: ['behavior'],
      message: 'the Knative window and ebb.dev/hpa.behavior both set the stabilization windows; set them in one place',
    });
  }
  return issues;
}
