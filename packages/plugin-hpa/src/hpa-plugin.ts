import { EbbError, ErrorCodes, type CollectorProvider, type MetricCollector, type MetricNeed, type PolicyPlugin } from '@ebb/core';
import { createPodMetricsCollector, type PodMetricsCollectorOptions } from './collector/pod-metrics-collector.ts';
import type { HpaConfig } from './hpa-fields.ts';
import { createHpaConfigSchema } from './hpa-schema.ts';
import type { HpaState } from './hpa-state.ts';
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
   * Bring the metrics.k8s.io collector (as a `CollectorProvider`), publishing under this plugin's snapshot
   * name. A function is called when the scaler asks for the collectors (after it has loaded its Kubernetes
   * configuration), not when the plugin is created. Without it the plugin is pure and needs another source of
   * the pods snapshot (code only: not settable from the config file).
   */
  readonly podMetrics?: HpaPodMetricsSettings | (() => HpaPodMetricsSettings);
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
  const { podMetrics, ...decisionOptions } = options;
  const decision: HpaDecisionOptions = { ...DEFAULT_HPA_DECISION_OPTIONS, ...decisionOptions };
  const needs: readonly MetricNeed[] = [{ metric: decision.snapshotName, retentionMs: 0 }];
  const plugin: HpaPlugin = {
    manifest: {
      id: HPA_PLUGIN_ID,
      version: HPA_PLUGIN_VERSION,
      coreVersion: '^0.1.0',
      description: 'Kubernetes HPA algorithm on CPU and memory (metrics.k8s.io) with behavior policies',
    },
    config: createHpaConfigSchema(),
    // The plugin reads a snapshot, not a window: it asks for the snapshot by name and keeps no history.
    metrics: () => needs,
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
      collectors = [createPodMetricsCollector({ ...settings, snapshotName: decision.snapshotName })];
      return collectors;
    },
  };
  return { ...plugin, ...provider };
}
