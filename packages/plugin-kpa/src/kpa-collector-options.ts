import { resolvePodScrapeOptions, type ResolvedPodScrapeOptions } from './collectors/pod-scrape-options.ts';
import { resolvePromqlOptions, type ResolvedPromqlOptions } from './collectors/promql-options.ts';
import { KPA_METRICS } from './knative-constants.ts';
import type { KpaOptions } from './kpa-options.ts';
import { METRIC_SOURCES, type KpaMetricSources, type MetricSource } from './metric-source.ts';

/** The collectors the KPA plugin brings, resolved from {@link KpaOptions}. */
export interface KpaCollectorSettings {
  /** Which metric sources targets may name, and the default. */
  readonly sources: KpaMetricSources;
  /** Pod-scraping settings; undefined when `pods` is not set (no such collector). */
  readonly pods: ResolvedPodScrapeOptions | undefined;
  /** PromQL settings; undefined when `prometheus` is not set (no such collector). */
  readonly prometheus: ResolvedPromqlOptions | undefined;
}

/**
 * Resolves the collector part of the KPA options: which collectors to run, their settings, and the metric source
 * of targets that name none (`metricSource`, else `pods` when pod scraping is set, else `prometheus` when a
 * Prometheus is, else `external`).
 * @returns the settings and every problem found (empty when valid).
 */
export function resolveKpaCollectorOptions(options: KpaOptions): { value: KpaCollectorSettings; problems: string[] } {
  const problems: string[] = [];
  // `false` (or absent) leaves a collector out, so a config file can switch one off without deleting its settings.
  const off = (v: unknown): boolean => v === undefined || v === false;
  const pods = off(options.pods) ? undefined : take(resolvePodScrapeOptions(options.pods), problems);
  const prometheus = off(options.prometheus) ? undefined : take(resolvePromqlOptions(options.prometheus), problems);
  const available: MetricSource[] = [...(pods ? (['pods'] as const) : []), ...(prometheus ? (['prometheus'] as const) : []), 'external'];
  let defaultSource: MetricSource = available[0] ?? 'external';
  const wanted = options.metricSource;
  if (wanted !== undefined) {
    if (!(METRIC_SOURCES as readonly string[]).includes(wanted)) {
      problems.push(`pluginOptions.kpa.metricSource: invalid value ${JSON.stringify(wanted)}: expected one of ${METRIC_SOURCES.join(', ')}`);
    } else if (!available.includes(wanted)) {
      problems.push(`pluginOptions.kpa.metricSource: ${wanted} needs pluginOptions.kpa.${wanted === 'pods' ? 'pods' : 'prometheus'}; configured sources: ${available.join(', ')}`);
    } else defaultSource = wanted;
  }
  const kc = options.kubeConfig;
  if (kc !== undefined && (typeof kc !== 'object' || kc === null) && typeof kc !== 'function') {
    problems.push('pluginOptions.kpa.kubeConfig: expected a KubeConfig or a function returning one (code only; not settable in the config file)');
  }
  const prometheusTemplates = prometheus ? KPA_METRICS.filter((m) => prometheus.queries[m] !== undefined) : [];
  return { value: { sources: { defaultSource, available, prometheusTemplates }, pods, prometheus }, problems };
}

function take<T>(result: { value: T; problems: string[] }, problems: string[]): T {
  problems.push(...result.problems);
  return result.value;
}
