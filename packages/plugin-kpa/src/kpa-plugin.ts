import { loadKubeConfig, type CollectorProvider, type MetricCollector, type MetricNeed, type PluginManifest, type PolicyPlugin } from '@ebb/core';
import type { KubeConfig } from '@kubernetes/client-node';
import { kpaConfigLookup, KPA_PLUGIN_ID } from './collectors/kpa-config-lookup.ts';
import { createPodScrapeCollector } from './collectors/pod-scrape-collector.ts';
import type { PodScrapeOptions } from './collectors/pod-scrape-options.ts';
import { createPromqlCollector } from './collectors/promql-collector.ts';
import type { PromqlOptions } from './collectors/promql-options.ts';
import type { KpaConfig } from './kpa-config.ts';
import { resolveKpaCollectorOptions } from './kpa-collector-options.ts';
import { resolveKpaDefaults, type KpaOptions } from './kpa-options.ts';
import { recommendKpa } from './kpa-recommend.ts';
import { createKpaConfigSchema } from './kpa-schema.ts';
import type { KpaState } from './kpa-state.ts';

/** The KPA plugin's manifest: id `kpa`, so its annotations are `ebb.dev/kpa.*`. */
export const KPA_MANIFEST: PluginManifest = {
  id: KPA_PLUGIN_ID,
  version: '0.1.0',
  coreVersion: '^0.1.0',
  description: "Knative's Pod Autoscaler: concurrency or RPS per pod over stable and panic windows, with rate limits.",
};

/**
 * The metric the KPA reads for a target, kept for at least the stable window (the panic window lies inside it).
 * A target whose class is not the KPA needs nothing.
 * Example: concurrency with a 60 s window -> `[{ metric: 'concurrency', retentionMs: 60000 }]`.
 */
export function kpaMetricNeeds(config: KpaConfig): readonly MetricNeed[] {
  return config.selected ? [{ metric: config.metric, retentionMs: config.stableWindowMs }] : [];
}

/** The KPA policy plugin. */
export type KpaPlugin = PolicyPlugin<KpaConfig, KpaState>;

/** Options that bring at least one collector. */
export type KpaOptionsWithCollectors = KpaOptions & ({ readonly pods: PodScrapeOptions | true } | { readonly prometheus: PromqlOptions });

/**
 * Creates the KPA policy plugin.
 *
 * With `pods` and/or `prometheus` in `options` the plugin also brings its collectors (as a `CollectorProvider`),
 * created once, on the first `collectors()` call — when the scaler starts, after loading its own configuration;
 * the pod watch then uses `options.kubeConfig` or, without it, `loadKubeConfig()`. Without them the plugin stays
 * pure and usable without Kubernetes (simulator, tests), and the metric windows are filled by other collectors.
 * @param options cluster-wide defaults from the scaler's config (Knative's config-autoscaler) and the collectors'
 *   settings; annotations on a target override the defaults.
 * @throws EbbError `EBB_CONFIG_FILE_INVALID` naming every invalid option.
 */
export function createKpaPlugin(options: KpaOptionsWithCollectors): KpaPlugin & CollectorProvider;
export function createKpaPlugin(options?: KpaOptions): KpaPlugin;
export function createKpaPlugin(options: KpaOptions = {}): KpaPlugin {
  const defaults = resolveKpaDefaults(options);
  const { sources, pods, prometheus } = resolveKpaCollectorOptions(options).value;
  const schema = createKpaConfigSchema(defaults, sources);
  const plugin: KpaPlugin = {
    manifest: KPA_MANIFEST,
    config: schema,
    metrics: kpaMetricNeeds,
    recommend: recommendKpa,
  };
  if (!pods && !prometheus) return plugin;
  let collectors: readonly MetricCollector[] | undefined;
  const provider: CollectorProvider = {
    collectors() {
      if (collectors) return collectors;
      const configOf = kpaConfigLookup(schema);
      const logger = options.logger ? { logger: options.logger } : {};
      const made: MetricCollector[] = [];
      if (pods) made.push(createPodScrapeCollector({ ...pods, configOf, kubeConfig: kubeConfigOf(options), ...logger }));
      if (prometheus) made.push(createPromqlCollector({ ...prometheus, configOf, ...logger }));
      collectors = made;
      return collectors;
    },
  };
  return { ...plugin, ...provider };
}

/** The credentials for the pod watch: given, produced by the given function, or found in the usual places. */
function kubeConfigOf(options: KpaOptions): KubeConfig {
  const given = options.kubeConfig;
  if (typeof given === 'function') return given();
  return given ?? loadKubeConfig().kc;
}
