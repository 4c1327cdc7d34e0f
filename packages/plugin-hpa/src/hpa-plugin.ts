import { EbbError, ErrorCodes, type CollectorProvider, type MetricCollector, type MetricNeed, type PolicyPlugin } from '@ebb/core';
import { createCustomMetricsCollector } from './collector/custom-metrics-collector.ts';
import { createPodMetricsCollector, type PodMetricsCollectorOptions } from './collector/pod-metrics-collector.ts';
import type { HpaPrometheusOptions } from './collector/promql-readers.ts';
import type { HpaConfig } from './hpa-fields.ts';
import { createHpaConfigSchema } from './hpa-schema.ts';
import type { HpaState } from './hpa-state.ts';
import { metricTargets } from './metric-target.ts';
import { DEFAULT_HPA_DECISION_OPTIONS, recommendHpa, type HpaDecisionOptions } from './recommend.ts';

/** The plugin's id, also its annotation sub-namespace `ebb.dev/hpa.*`. */
export const HPA_PLUGIN_ID = 'hpa';
/** The plugin's version. */
export const HPA_PLUGIN_VERSION = '0.1.0';

/** Settings of the collector the plugin brings: those of {@link createPodMetricsCollector} but the snapshot name. */
export type HpaPodMetricsSettings = Omit<PodMetricsCollectorOptions, 'snapshotName'>;

/** Options of {@link createHpaPlugin}; every field is optional. */
export interface HpaPluginOptions extends Partial<HpaDecisionOptions> {
  /**
   * Bring the metrics.k8s.io collector and the custom/external metrics collector (as a `CollectorProvider`),
   * publishing under this plugin's snapshot names. A function is called when the scaler asks for the collectors (after it has loaded its Kubernetes
   * configuration), not when the plugin is created. Without it the plugin is pure and needs another source of
   * the pods snapshot (code only: not settable from the config file).
   */
  readonly podMetrics?: HpaPodMetricsSettings | (() => HpaPodMetricsSettings);
  /**
   * The Prometheus server that metrics with a PromQL `query` in `ebb.dev/hpa.metrics` are read from (settable in
   * the config file as `pluginOptions.hpa.prometheus: {url, timeoutMs}`). Used by the collectors `podMetrics` brings.
   */
  readonly prometheus?: HpaPrometheusOptions;
}

/** Checks `prometheus` (from code or the config file): a mapping with an http(s) `url` and an optional `timeoutMs`. */
function checkPrometheus(prometheus: unknown): HpaPrometheusOptions | undefined {
  if (prometheus === undefined) return undefined;
  const p = prometheus as Partial<HpaPrometheusOptions> | null;
  let url: URL | undefined;
  try {
    url = typeof p?.url === 'string' ? new URL(p.url) : undefined;
  } catch {
    url = undefined;
  }
  const timeoutOk = p?.timeoutMs === undefined || (Number.isInteger(p.timeoutMs) && p.timeoutMs > 0);
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !timeoutOk || typeof p !== 'object') {
    throw new EbbError(
      ErrorCodes.CONFIG_FILE_INVALID,
      `pluginOptions.hpa.prometheus: expected {url: http(s)://host:port, timeoutMs?: integer > 0}, got ${JSON.stringify(prometheus)}`,
    );
  }
  return p as HpaPrometheusOptions;
}

/** The HPA policy plugin. */
export type HpaPlugin = PolicyPlugin<HpaConfig, HpaState>;

/**
 * Creates the HPA policy plugin: the Kubernetes HorizontalPodAutoscaler algorithm on CPU and memory, with
 * behavior policies, deciding from the pod metrics snapshot (see `PodMetricsSnapshot`) that a metrics.k8s.io
 * collector publishes. The decision is pure; its memory lives in {@link HpaState}. With `podMetrics` the plugin
 * also brings that collector ({@link createPodMetricsCollector}), created once on the first `collectors()` call.
 */
export function createHpaPlugin(options: HpaPluginOptions & Required<Pick<HpaPluginOptions, 'podMetrics'>>): HpaPlugin & CollectorProvider;
export function createHpaPlugin(options?: HpaPluginOptions): HpaPlugin;
export function createHpaPlugin(options: HpaPluginOptions = {}): HpaPlugin {
  const { podMetrics, prometheus: prometheusOption, ...decisionOptions } = options;
  const prometheus = checkPrometheus(prometheusOption);
  const decision: HpaDecisionOptions = { ...DEFAULT_HPA_DECISION_OPTIONS, ...decisionOptions };
  const podsNeed: readonly MetricNeed[] = [{ metric: decision.snapshotName, retentionMs: 0 }];
  const customNeed: MetricNeed = { metric: decision.customSnapshotName, retentionMs: 0 };
  const bothNeeds: readonly MetricNeed[] = [...podsNeed, customNeed];
  const plugin: HpaPlugin = {
    manifest: {
      id: HPA_PLUGIN_ID,
      version: HPA_PLUGIN_VERSION,
      coreVersion: '^0.1.0',
      description: 'Kubernetes HPA algorithm on CPU, memory (metrics.k8s.io), Pods, Object and External metrics (custom and external metrics APIs) with behavior policies',
    },
    config: createHpaConfigSchema(),
    // The plugin reads snapshots, not windows: it asks for them by name and keeps no history. CPU and memory
    // come from the pods snapshot; Pods, Object and External metrics from the custom metrics snapshot.
    metrics: (config) => {
      if (!config.metrics?.custom.length) return podsNeed;
      return metricTargets(config).length > 0 ? bothNeeds : [customNeed];
    },
    recommend: (input) => recommendHpa(input, decision),
  };
  if (podMetrics === undefined) return plugin;
  let collectors: readonly MetricCollector[] | undefined;
  const provider: CollectorProvider = {
    collectors() {
      if (collectors) return collectors;
      const settings = typeof podMetrics === 'function' ? podMetrics() : podMetrics;
      if (typeof (settings as Partial<HpaPodMetricsSettings> | undefined)?.kubeConfig?.makeApiClient !== 'function') {
        throw new EbbError(ErrorCodes.CONFIG_FILE_INVALID, 'hpa: podMetrics needs a KubeConfig (set in code, not in the config file)');
      }
      collectors = [
        createPodMetricsCollector({ ...settings, snapshotName: decision.snapshotName }),
        createCustomMetricsCollector({ ...settings, snapshotName: decision.customSnapshotName, ...(prometheus ? { prometheus } : {}) }),
      ];
      return collectors;
    },
  };
  return { ...plugin, ...provider };
}
