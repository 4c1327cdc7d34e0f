import type { CrossFieldIssue } from '@ebb/core';
import {
  AGGREGATION_VALUES,
  AGGREGATION_WEIGHTED_EXPONENTIAL,
  AGGREGATION_WEIGHTED_EXPONENTIAL_ALT,
  HPA_CLASS,
  KNATIVE_CLASS_DOMAIN,
  KPA_CLASS,
  KPA_METRICS,
} from './knative-constants.ts';
import type { KpaAnnotations } from './kpa-fields.ts';

/**
 * The normalise step: percentages to fractions, as Knative does when it builds its decider
 * (`TargetUtilization()` divides by 100, `MakeDecider` divides the panic threshold by 100), and Knative's
 * alternative spelling of the weighted-exponential algorithm to the canonical one.
 * Example: utilization `70` -> `0.7`; threshold `200` -> `2` (panic at twice the ready pods).
 */
export function normaliseKpaConfig(value: KpaAnnotations): KpaAnnotations {
  return {
    ...value,
    targetUtilization: value.targetUtilization / 100,
    panicThreshold: value.panicThreshold / 100,
    aggregation: value.aggregation === AGGREGATION_WEIGHTED_EXPONENTIAL_ALT ? AGGREGATION_WEIGHTED_EXPONENTIAL : value.aggregation,
  };
}

/**
 * Cross-field checks, as Knative's annotation validation (pkg/apis/autoscaling/annotation_validation.go):
 * - a class in the `.knative.dev` domain must be the KPA or the HPA class (other domains are custom autoscalers);
 * - for the KPA class only, the metric must be `concurrency` or `rps` and the algorithm a known one;
 * - the burst capacity is -1 (unlimited) or non-negative.
 * Messages are Knative's (`invalid value: cpu`); the schema appends the key as written, giving Knative's
 * `invalid value: cpu: autoscaling.knative.dev/metric`.
 */
export function validateKpaConfig(value: KpaAnnotations): readonly CrossFieldIssue[] {
  const issues: CrossFieldIssue[] = [];
  const cls = value.autoscalerClass;
  if (cls.endsWith(KNATIVE_CLASS_DOMAIN) && cls !== KPA_CLASS && cls !== HPA_CLASS) {
    issues.push({
      field: 'autoscalerClass',
      message: `invalid value: ${cls}`,
      allowed: `${KPA_CLASS}, ${HPA_CLASS}, or a class outside the knative.dev domain`,
    });
  }
  if (cls === KPA_CLASS) {
    if (!(KPA_METRICS as readonly string[]).includes(value.metric)) {
      issues.push({
        field: 'metric',
        message: `invalid value: ${value.metric}`,
        allowed: `${KPA_METRICS.join(' or ')} (for the KPA class)`,
      });
    }
    if (!(AGGREGATION_VALUES as readonly string[]).includes(value.aggregation)) {
      issues.push({
        field: 'aggregation',
        message: `invalid value: ${value.aggregation}`,
        allowed: `${AGGREGATION_VALUES.join(', ')} (for the KPA class)`,
      });
    }
  }
  if (value.targetBurstCapacity < 0 && value.targetBurstCapacity !== -1) {
    issues.push({
      field: 'targetBurstCapacity',
      message: `invalid value: ${value.targetBurstCapacity}`,
      allowed: '-1 (unlimited) or a number >= 0',
    });
  }
  return issues;
}
