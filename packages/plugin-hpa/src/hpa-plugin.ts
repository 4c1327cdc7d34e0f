import type { MetricNeed, PolicyPlugin } from '@ebb/core';
import type { HpaConfig } from './hpa-fields.ts';
import { createHpaConfigSchema } from './hpa-schema.ts';
import type { HpaState } from './hpa-state.ts';
import { DEFAULT_HPA_DECISION_OPTIONS, recommendHpa, type HpaDecisionOptions } from './recommend.ts';

/** The plugin's id, also its annotation sub-namespace `ebb.dev/hpa.*`. */
export const HPA_PLUGIN_ID = 'hpa';
/** The plugin's version. */
export const HPA_PLUGIN_VERSION = '0.1.0';

/** Options of {@link createHpaPlugin}; every field is optional. */
export type HpaPluginOptions = Partial<HpaDecisionOptions>;

/**
 * Creates the HPA policy plugin: the Kubernetes HorizontalPodAutoscaler algorithm on CPU and memory, with
 * behavior policies, deciding from the pod metrics snapshot (see `PodMetricsSnapshot`) that a metrics.k8s.io
 * collector publishes. The plugin is pure; its memory lives in {@link HpaState}.
 */
export function createHpaPlugin(options: HpaPluginOptions = {}): PolicyPlugin<HpaConfig, HpaState> {
  const decision: HpaDecisionOptions = { ...DEFAULT_HPA_DECISION_OPTIONS, ...options };
  const needs: readonly MetricNeed[] = [{ metric: decision.snapshotName, retentionMs: 0 }];
  return {
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
}
