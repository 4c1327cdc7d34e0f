import { field, type ConfigOf } from '@ebb/core';
import {
  AGGREGATION_LINEAR,
  CONTAINER_CONCURRENCY_MAX,
  KPA_CLASS,
  PANIC_THRESHOLD_PERCENTAGE_MAX,
  PANIC_THRESHOLD_PERCENTAGE_MIN,
  PANIC_WINDOW_PERCENTAGE_MAX,
  PANIC_WINDOW_PERCENTAGE_MIN,
  TARGET_MIN,
  WINDOW_MAX_MS,
  WINDOW_MIN_MS,
  knativeKey,
} from './knative-constants.ts';
import type { KpaDefaults } from './kpa-options.ts';
import { EXTERNAL_METRICS_ONLY, METRIC_SOURCES, type KpaMetricSources, type MetricSource } from './metric-source.ts';

/**
 * The KPA's annotation keys, declared once: `ebb.dev/kpa.<key>`, then Knative's kebab-case name, then Knative's
 * legacy camelCase name where Knative had one (pkg/apis/autoscaling/register.go). Defaults are in the
 * annotation's own units (percent, ms); {@link normaliseKpaConfig} turns percentages into fractions afterwards.
 * `class`, `metric` and `metric-aggregation-algorithm` are plain strings checked across fields, because Knative
 * checks the metric and the algorithm only for the KPA class.
 */
export function kpaFields(defaults: KpaDefaults, sources: KpaMetricSources = EXTERNAL_METRICS_ONLY) {
  return {
    autoscalerClass: field<string>({
      key: 'class',
      aliases: [knativeKey('class')],
      type: { kind: 'string' },
      default: KPA_CLASS,
      description: `Autoscaler class. Only \`${KPA_CLASS}\` lets this plugin act; other classes get no opinion from it.`,
    }),
    metric: field<string>({
      key: 'metric',
      aliases: [knativeKey('metric')],
      type: { kind: 'string' },
      default: 'concurrency',
      description: 'Metric to scale on: `concurrency` (in-flight requests) or `rps` (requests per second).',
    }),
    target: field<number>({
      key: 'target',
      aliases: [knativeKey('target')],
      type: { kind: 'number', min: TARGET_MIN },
      // Only shown in docs: when no target key is written the default depends on the metric and containerConcurrency.
      default: defaults.containerConcurrencyTargetDefault,
      description:
        'Metric value per pod to aim for, before utilization (>= 0.01). Default: container-concurrency if set, ' +
        `else ${defaults.containerConcurrencyTargetDefault} for concurrency and ${defaults.requestsPerSecondTargetDefault} for rps.`,
    }),
    targetUtilization: field<number>({
      key: 'target-utilization-percentage',
      aliases: [knativeKey('target-utilization-percentage'), knativeKey('targetUtilizationPercentage')],
      type: { kind: 'number', min: 1, max: 100 },
      // Only shown in docs: when no key is written the default depends on the metric.
      default: Math.min(100, Math.max(1, round(defaults.containerConcurrencyTargetFraction * 100))),
      description:
        'Percentage of the target actually aimed at, 1..100. Default: ' +
        `${round(defaults.containerConcurrencyTargetFraction * 100)} for concurrency, ${round(defaults.targetUtilizationFraction * 100)} for rps.`,
    }),
    containerConcurrency: field<number>({
      key: 'container-concurrency',
      type: { kind: 'int', min: 0, max: CONTAINER_CONCURRENCY_MAX },
      default: 0,
      description:
        "Hard limit of in-flight requests per pod (Knative's containerConcurrency), 0..1000; 0 = unlimited. " +
        'When set, it is the default target and caps an explicit concurrency target.',
    }),
    stableWindowMs: field<number>({
      key: 'window',
      aliases: [knativeKey('window')],
      type: { kind: 'duration', minMs: WINDOW_MIN_MS, maxMs: WINDOW_MAX_MS, wholeSeconds: true },
      default: defaults.stableWindowMs,
      description: 'Stable window: the metric is averaged over it, 6s..1h in whole seconds.',
    }),
    panicWindowPercentage: field<number>({
      key: 'panic-window-percentage',
      aliases: [knativeKey('panic-window-percentage'), knativeKey('panicWindowPercentage')],
      type: { kind: 'number', min: PANIC_WINDOW_PERCENTAGE_MIN, max: PANIC_WINDOW_PERCENTAGE_MAX },
      default: defaults.panicWindowPercentage,
      description: 'Panic window as a percentage of the stable window, 1..100, rounded to whole seconds (at least 1s).',
    }),
    panicThreshold: field<number>({
      key: 'panic-threshold-percentage',
      aliases: [knativeKey('panic-threshold-percentage'), knativeKey('panicThresholdPercentage')],
      type: { kind: 'number', min: PANIC_THRESHOLD_PERCENTAGE_MIN, max: PANIC_THRESHOLD_PERCENTAGE_MAX },
      default: defaults.panicThresholdPercentage,
      description: 'Panic when the pods needed for the panic-window value reach this percentage of the ready pods, 110..1000.',
    }),
    targetBurstCapacity: field<number>({
      key: 'target-burst-capacity',
      aliases: [knativeKey('target-burst-capacity'), knativeKey('targetBurstCapacity')],
      // -1 or >= 0, checked across fields to give Knative's message ("invalid value: -11").
      type: { kind: 'number' },
      default: defaults.targetBurstCapacity,
      description:
        'Spare capacity (metric units) to keep before the gateway must stay in the request path: -1 = always, 0 = only at zero.',
    }),
    maxScaleUpRate: field<number>({
      key: 'max-scale-up-rate',
      type: { kind: 'number', min: 1, exclusiveMin: true },
      default: defaults.maxScaleUpRate,
      description: 'Most one decision may multiply the ready pods by (> 1); at least one pod more is always allowed.',
    }),
    maxScaleDownRate: field<number>({
      key: 'max-scale-down-rate',
      type: { kind: 'number', min: 1, exclusiveMin: true },
      default: defaults.maxScaleDownRate,
      description: 'Most one decision may divide the ready pods by (> 1).',
    }),
    aggregation: field<string>({
      key: 'metric-aggregation-algorithm',
      aliases: [knativeKey('metric-aggregation-algorithm'), knativeKey('metricAggregationAlgorithm')],
      type: { kind: 'string' },
      default: AGGREGATION_LINEAR,
      description: 'Window averaging: `linear`, or `weighted-exponential` (alias `weightedExponential`), where newer seconds weigh more.',
    }),
    metricSource: field<MetricSource>({
      key: 'metric-source',
      type: { kind: 'enum', values: METRIC_SOURCES },
      default: sources.defaultSource,
      description:
        'Where the metric comes from: `pods` (scrape the pods, as Knative does), `prometheus` (a PromQL query), or `external` ' +
        '(another collector, e.g. the event gateway). Default: the scaler\'s `pluginOptions.kpa.metricSource`, else `pods` ' +
        'when pod scraping is configured, else `prometheus` when a Prometheus is, else `external`.',
    }),
    prometheusQuery: field<string>({
      key: 'prometheus-query',
      type: { kind: 'string' },
      default: '',
      description:
        'PromQL expression for the target\'s metric when the source is `prometheus`, replacing the scaler\'s template; ' +
        '`{{namespace}}`, `{{name}}` and `{{selector}}` (the pod labels as matchers) are filled in.',
    }),
  };
}

/** The field declarations of the KPA schema. */
export type KpaFields = ReturnType<typeof kpaFields>;

/**
 * The KPA annotations as parsed and normalised, before resolution into a `KpaConfig`: `targetUtilization`
 * and `panicThreshold` are fractions (0.7, 2), `panicWindowPercentage` stays a percentage, windows are ms.
 * `target` and `targetUtilization` hold a placeholder default when not written; see {@link KpaSettings}.
 */
export type KpaAnnotations = ConfigOf<KpaFields>;

/** The fields whose default depends on other fields (the metric, containerConcurrency). */
export const DEPENDENT_DEFAULT_FIELDS = ['target', 'targetUtilization'] as const;

/** {@link KpaAnnotations} where `target` and `targetUtilization` are undefined when no key for them was written. */
export type KpaSettings = Omit<KpaAnnotations, (typeof DEPENDENT_DEFAULT_FIELDS)[number]> & {
  readonly target: number | undefined;
  readonly targetUtilization: number | undefined;
};

/**
 * Drops the placeholder defaults of `target` and `targetUtilization` unless one of their keys (Ebb key or a
 * Knative alias) is present in `annotations`. Core's parser needs an in-range default for every numeric field,
 * while Knative's default for these two depends on the metric and containerConcurrency; this restores "not
 * written" so that `resolveMetricTarget` can apply Knative's rules.
 */
export function withWrittenTargets(
  value: KpaAnnotations,
  fields: KpaFields,
  annotations: Readonly<Record<string, string>>,
  prefix: string,
): KpaSettings {
  const written = (name: (typeof DEPENDENT_DEFAULT_FIELDS)[number]): boolean =>
    [prefix + fields[name].key, ...(fields[name].aliases ?? [])].some((key) => annotations[key] !== undefined);
  return {
    ...value,
    target: written('target') ? value.target : undefined,
    targetUtilization: written('targetUtilization') ? value.targetUtilization : undefined,
  };
}

/** The value of every field when no annotation is present, before normalisation (placeholders included). */
export function kpaFieldDefaults(fields: KpaFields): KpaAnnotations {
  return Object.fromEntries(Object.entries(fields).map(([name, spec]) => [name, spec.default])) as KpaAnnotations;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
