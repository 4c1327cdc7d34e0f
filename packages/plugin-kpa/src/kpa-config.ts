import { Metrics } from '@ebb/core';
import {
  AGGREGATION_WEIGHTED_EXPONENTIAL,
  AGGREGATION_LINEAR,
  BUCKET_MS,
  KPA_CLASS,
  TARGET_MIN,
  isKpaMetric,
  type KpaAggregation,
  type KpaMetric,
} from './knative-constants.ts';
import type { KpaSettings } from './kpa-fields.ts';
import type { KpaDefaults } from './kpa-options.ts';
import type { MetricSource } from './metric-source.ts';

/**
 * The KPA's configuration for one target, fully resolved: what Knative splits between its `DeciderSpec`
 * (pkg/autoscaler/scaling) and its `MetricSpec` (the windows). Decisions read nothing else.
 */
export interface KpaConfig {
  /** The `autoscaling.knative.dev/class` value as written (default {@link KPA_CLASS}). */
  readonly autoscalerClass: string;
  /** True when the class is {@link KPA_CLASS}; otherwise the plugin gives no opinion. */
  readonly selected: boolean;
  /** The metric scaled on. */
  readonly metric: KpaMetric;
  /** Metric value per pod aimed at, after utilization (Knative `TargetValue`), >= 0.01; e.g. 100 x 0.7 = 70. */
  readonly targetPerPod: number;
  /** Metric value one pod can take (Knative `TotalValue`), used for the burst capacity; e.g. 100. */
  readonly totalPerPod: number;
  /** Spare capacity to keep, metric units; -1 = unlimited (gateway always in the path), 0 = none. */
  readonly targetBurstCapacity: number;
  /** Panic when desired panic pods / ready pods reaches this ratio (a fraction: 2 = 200 %). */
  readonly panicThreshold: number;
  /** Most a decision multiplies the ready pods by (> 1). */
  readonly maxScaleUpRate: number;
  /** Most a decision divides the ready pods by (> 1). */
  readonly maxScaleDownRate: number;
  /** Stable window, ms (whole seconds, 6 s..1 h). */
  readonly stableWindowMs: number;
  /** Panic window, ms (whole seconds, >= 1 s). */
  readonly panicWindowMs: number;
  /** How the windows are averaged. */
  readonly aggregation: KpaAggregation;
  /** Which collector records the metric (see `MetricSource`); decisions do not read it. */
  readonly metricSource: MetricSource;
  /** The target's own PromQL query for its metric, or undefined for the scaler's template. */
  readonly prometheusQuery: string | undefined;
}

/**
 * Resolves the target per pod as Knative's `ResolveMetricTarget` (pkg/reconciler/autoscaling/resources/target.go):
 * - base ("total"): rps -> the RPS default (200); concurrency -> containerConcurrency when > 0, else the
 *   concurrency default (100);
 * - an explicit `target` replaces it, but for concurrency never above a non-zero containerConcurrency (the hard
 *   limit wins over the soft target);
 * - target per pod = max(0.01, total x utilization).
 * Examples: nothing set -> 100 x 0.7 = 70; containerConcurrency 10 -> 10 x 0.7 = 7; target 50 with
 * containerConcurrency 10 -> min(50, 10) x 0.7 = 7; rps with target 10 -> 10 x 0.7 = 7.
 */
export function resolveMetricTarget(
  a: Pick<KpaSettings, 'target' | 'targetUtilization' | 'containerConcurrency'>,
  metric: KpaMetric,
  defaults: KpaDefaults,
): { readonly targetPerPod: number; readonly totalPerPod: number } {
  let total: number;
  let utilization: number;
  if (metric === Metrics.rps) {
    total = defaults.requestsPerSecondTargetDefault;
    utilization = defaults.targetUtilizationFraction;
  } else {
    total = a.containerConcurrency > 0 ? a.containerConcurrency : defaults.containerConcurrencyTargetDefault;
    utilization = defaults.containerConcurrencyTargetFraction;
  }
  if (a.target !== undefined) {
    total = metric === Metrics.concurrency && a.containerConcurrency > 0 ? Math.min(a.target, a.containerConcurrency) : a.target;
  }
  if (a.targetUtilization !== undefined) utilization = a.targetUtilization;
  return { targetPerPod: Math.max(TARGET_MIN, total * utilization), totalPerPod: total };
}

/**
 * Panic window as Knative's `MakeMetric`: stable window x percentage / 100, rounded to whole seconds, at least
 * one bucket (1 s). Examples: 60 s x 10 % = 6 s; 6 s x 10 % = 0.6 s -> 1 s; 15 s x 10 % = 1.5 s -> 2 s.
 */
export function panicWindowMs(stableWindowMs: number, panicWindowPercentage: number): number {
  const ms = (stableWindowMs * panicWindowPercentage) / 100;
  return Math.max(BUCKET_MS, Math.round(ms / BUCKET_MS) * BUCKET_MS);
}

/**
 * Turns parsed, normalised settings into a {@link KpaConfig}. When the class is not the KPA, the metric and
 * algorithm were not validated (as in Knative) and resolve to the defaults, unused since the plugin stays out.
 */
export function resolveKpaConfig(a: KpaSettings, defaults: KpaDefaults): KpaConfig {
  const metric: KpaMetric = isKpaMetric(a.metric) ? a.metric : Metrics.concurrency;
  const { targetPerPod, totalPerPod } = resolveMetricTarget(a, metric, defaults);
  return {
    autoscalerClass: a.autoscalerClass,
    selected: a.autoscalerClass === KPA_CLASS,
    metric,
    targetPerPod,
    totalPerPod,
    targetBurstCapacity: a.targetBurstCapacity,
    panicThreshold: a.panicThreshold,
    maxScaleUpRate: a.maxScaleUpRate,
    maxScaleDownRate: a.maxScaleDownRate,
    stableWindowMs: a.stableWindowMs,
    panicWindowMs: panicWindowMs(a.stableWindowMs, a.panicWindowPercentage),
    aggregation: a.aggregation === AGGREGATION_WEIGHTED_EXPONENTIAL ? AGGREGATION_WEIGHTED_EXPONENTIAL : AGGREGATION_LINEAR,
    metricSource: a.metricSource,
    prometheusQuery: a.prometheusQuery.trim() === '' ? undefined : a.prometheusQuery,
  };
}
