import { KNATIVE_PREFIX, field, type ConfigOf } from '@ebb/core';
import type { HpaBehaviorSpec } from './behavior.ts';
import { parseBehavior } from './behavior-parse.ts';
import { parseMetricSpecs, type HpaMetricsSpec } from './metrics-parse.ts';
import { DEFAULT_CPU_UTILIZATION } from './metric-target.ts';
import { optionalDuration, optionalNumber, optionalQuantity } from './optional-fields.ts';
import { DEFAULT_TOLERANCE } from './tolerances.ts';

/** Knative's class for HPA-backed revisions. */
export const KNATIVE_HPA_CLASS = 'hpa.autoscaling.knative.dev';
/** Knative's bounds of `autoscaling.knative.dev/window`, in ms (6 s .. 1 h). */
export const KNATIVE_WINDOW_MIN_MS = 6_000;
export const KNATIVE_WINDOW_MAX_MS = 3_600_000;
/** Knative's lowest `autoscaling.knative.dev/target`. */
export const KNATIVE_TARGET_MIN = 0.01;
/** Upper bound of the readiness timings, in ms (1 h). */
export const MAX_READINESS_TIMING_MS = 3_600_000;

/**
 * The HPA plugin's annotations, `ebb.dev/hpa.<key>`. The four targets and `metrics` are optional; with none of
 * them (and no Knative target) the plugin scales on CPU at 80 % of requests, like an HPA without metrics.
 * The `knative-*` fields exist for Knative's annotations (their aliases); they apply only with the HPA class
 * and are mapped onto the targets by the normalise step.
 */
export const hpaFields = {
  cpuUtilization: field<number | undefined>({
    key: 'cpu-utilization',
    type: optionalNumber({ min: 1, integer: true }),
    default: undefined,
    description: `Target average CPU usage in percent of the pods' CPU requests (integer >= 1, may exceed 100). Default: ${DEFAULT_CPU_UTILIZATION} when no target is set.`,
  }),
  memoryUtilization: field<number | undefined>({
    key: 'memory-utilization',
    type: optionalNumber({ min: 1, integer: true }),
    default: undefined,
    description: "Target average memory usage in percent of the pods' memory requests (integer >= 1).",
  }),
  cpuAverageMilli: field<number | undefined>({
    key: 'cpu-average',
    type: optionalQuantity('millicores'),
    default: undefined,
    description: 'Target average CPU usage per pod as a Kubernetes quantity (`250m`, `1.5`); kept in millicores.',
  }),
  memoryAverageBytes: field<number | undefined>({
    key: 'memory-average',
    type: optionalQuantity('bytes'),
    default: undefined,
    description: 'Target average memory usage per pod as a Kubernetes quantity (`512Mi`, `1G`); kept in bytes.',
  }),
  metrics: field<HpaMetricsSpec | undefined>({
    key: 'metrics',
    type: { kind: 'yaml', parse: parseMetricSpecs },
    default: undefined,
    description:
      'YAML in the shape of an autoscaling/v2 HPA\'s `metrics:` list (paste it as is): Resource (cpu, memory; Utilization or AverageValue), ' +
      'Pods (AverageValue), Object and External (Value or AverageValue), read from metrics.k8s.io, custom.metrics.k8s.io and external.metrics.k8s.io.',
  }),
  tolerance: field<number>({
    key: 'tolerance',
    type: { kind: 'number', min: 0 },
    default: DEFAULT_TOLERANCE,
    description: 'Usage ratios within 1 +- tolerance keep the replica count (fraction, >= 0). `behavior` can set it per direction.',
  }),
  cpuInitializationPeriodMs: field<number>({
    key: 'cpu-initialization-period',
    type: { kind: 'duration', minMs: 0, maxMs: MAX_READINESS_TIMING_MS },
    default: 300_000,
    description: 'After a pod starts, its CPU sample counts only once taken a full metrics window after it became ready.',
  }),
  initialReadinessDelayMs: field<number>({
    key: 'initial-readiness-delay',
    type: { kind: 'duration', minMs: 0, maxMs: MAX_READINESS_TIMING_MS },
    default: 30_000,
    description: 'A pod that turned unready within this time of starting counts as never ready (its CPU sample is left out).',
  }),
  behavior: field<HpaBehaviorSpec | undefined>({
    key: 'behavior',
    type: { kind: 'yaml', parse: parseBehavior },
    default: undefined,
    description:
      'YAML in the shape of autoscaling/v2 `HorizontalPodAutoscalerBehavior` (scaleUp/scaleDown: stabilizationWindowSeconds, ' +
      'selectPolicy Max|Min|Disabled, policies of type Pods|Percent with value and periodSeconds, tolerance). Unset fields take the Kubernetes defaults.',
  }),
  knativeClass: field<string>({
    key: 'knative-class',
    aliases: [`${KNATIVE_PREFIX}class`],
    type: { kind: 'string' },
    default: '',
    description: `Knative autoscaler class. With \`${KNATIVE_HPA_CLASS}\` the Knative metric, target and window below apply to this plugin.`,
  }),
  knativeMetric: field<string>({
    key: 'knative-metric',
    aliases: [`${KNATIVE_PREFIX}metric`],
    type: { kind: 'string' },
    default: '',
    description: 'With the HPA class: `cpu` (default) or `memory`.',
  }),
  knativeTarget: field<number | undefined>({
    key: 'knative-target',
    aliases: [`${KNATIVE_PREFIX}target`],
    type: optionalNumber({ min: KNATIVE_TARGET_MIN }),
    default: undefined,
    description: 'With the HPA class: CPU utilization in percent (rounded up) for `cpu`, average memory per pod in Mi (whole Mi) for `memory`.',
  }),
  knativeWindowMs: field<number | undefined>({
    key: 'knative-window',
    aliases: [`${KNATIVE_PREFIX}window`],
    type: optionalDuration(KNATIVE_WINDOW_MIN_MS, KNATIVE_WINDOW_MAX_MS, true),
    default: undefined,
    description: 'With the HPA class: both stabilization windows (6s..1h, whole seconds), as Knative sets them on its HPA.',
  }),
};

/** The parsed (and normalised) HPA configuration of one target. */
export type HpaConfig = ConfigOf<typeof hpaFields>;

/** The configuration when no annotation is present. */
export const DEFAULT_HPA_CONFIG: HpaConfig = Object.freeze(
  Object.fromEntries(Object.entries(hpaFields).map(([name, spec]) => [name, spec.default])) as HpaConfig,
);
