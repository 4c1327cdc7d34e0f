import type { CrossFieldIssue } from '@ebb/core';
import { KPA_CLASS, type KpaMetric } from './knative-constants.ts';

/**
 * Where a target's `concurrency` or `rps` comes from, chosen per target with `ebb.dev/kpa.metric-source`, so that
 * exactly one collector records a target's metric (two would add up in the same second):
 * - `pods`: the KPA's pod-scraping collector reads the target's pods (Knative's way);
 * - `prometheus`: the KPA's PromQL collector queries a Prometheus server;
 * - `external`: neither; another collector records the metric (the event gateway's stats, or a plugin's own).
 */
export const METRIC_SOURCES = ['pods', 'prometheus', 'external'] as const;
/** One of {@link METRIC_SOURCES}. */
export type MetricSource = (typeof METRIC_SOURCES)[number];

/** Which metric sources this scaler runs, so that a target asking for a missing one is reported, not left without data. */
export interface KpaMetricSources {
  /** Source of a target that does not name one (default `external`). */
  readonly defaultSource: MetricSource;
  /** Sources a collector exists for; `external` is always allowed. */
  readonly available: readonly MetricSource[];
  /** Metrics the PromQL collector has a query template for (a target may bring its own query instead). */
  readonly prometheusTemplates: readonly KpaMetric[];
}

/** No KPA collector configured: every target reads metrics some other collector records. */
export const EXTERNAL_METRICS_ONLY: KpaMetricSources = { defaultSource: 'external', available: ['external'], prometheusTemplates: [] };

/** The fields {@link validateMetricSource} reads. */
export interface MetricSourceFields {
  readonly autoscalerClass: string;
  readonly metric: string;
  readonly metricSource: string;
  readonly prometheusQuery: string;
}

/**
 * Cross-field checks of the metric source for a KPA-class target: the source must be one this scaler runs, and a
 * `prometheus` target needs a query (its own, or the scaler's template for its metric).
 * Example: `ebb.dev/kpa.metric-source: prometheus` on a scaler without `pluginOptions.kpa.prometheus` ->
 * `metric source prometheus is not configured in this scaler`.
 */
export function validateMetricSource(value: MetricSourceFields, sources: KpaMetricSources): CrossFieldIssue[] {
  if (value.autoscalerClass !== KPA_CLASS) return [];
  const source = value.metricSource;
  if (source !== 'external' && !(sources.available as readonly string[]).includes(source)) {
    const option = source === 'pods' ? 'pluginOptions.kpa.pods' : 'pluginOptions.kpa.prometheus';
    return [
      {
        field: 'metricSource',
        message: `metric source ${source} is not configured in this scaler (${option})`,
        allowed: [...new Set<string>([...sources.available, 'external'])].join(', '),
      },
    ];
  }
  if (source === 'prometheus' && value.prometheusQuery.trim() === '' && !(sources.prometheusTemplates as readonly string[]).includes(value.metric)) {
    return [
      {
        field: 'prometheusQuery',
        related: ['metricSource', 'metric'],
        message: `no PromQL query for metric ${value.metric}: the scaler has no template for it (pluginOptions.kpa.prometheus.queries.${value.metric}), so the target must set one`,
        allowed: 'a PromQL expression',
      },
    ];
  }
  return [];
}
