import type { MetricNeed, PluginManifest, PolicyPlugin } from '@ebb/core';
import type { KpaConfig } from './kpa-config.ts';
import { resolveKpaDefaults, type KpaOptions } from './kpa-options.ts';
import { recommendKpa } from './kpa-recommend.ts';
import { createKpaConfigSchema } from './kpa-schema.ts';
import type { KpaState } from './kpa-state.ts';

/** The KPA plugin's manifest: id `kpa`, so its annotations are `ebb.dev/kpa.*`. */
export const KPA_MANIFEST: PluginManifest = {
  id: 'kpa',
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

/**
 * Creates the KPA policy plugin.
 * @param options cluster-wide defaults from the scaler's config (Knative's config-autoscaler); annotations on a
 *   target override them.
 * @throws EbbError `EBB_CONFIG_FILE_INVALID` when an option is out of range.
 */
export function createKpaPlugin(options: KpaOptions = {}): PolicyPlugin<KpaConfig, KpaState> {
  const defaults = resolveKpaDefaults(options);
  return {
    manifest: KPA_MANIFEST,
    config: createKpaConfigSchema(defaults),
    metrics: kpaMetricNeeds,
    recommend: recommendKpa,
  };
}
