/** Shared pieces of the KPA benchmarks: the plugin with parsed annotations, a metric store, one decision. */
import { ANNOTATION_PREFIX, MetricStore, scalingConfigSchema, type ScalingConfig } from '@ebb/core';
import { createKpaPlugin, type KpaConfig, type KpaPlugin, type KpaState } from '../src/index.ts';

/** The plugin and a target's parsed configuration. */
export interface BenchTarget {
  readonly plugin: KpaPlugin;
  readonly config: KpaConfig;
  readonly scaling: ScalingConfig;
}

/** Parses `annotations` with a default KPA plugin, as the scaler does when a Deployment changes. */
export function benchTarget(annotations: Record<string, string>): BenchTarget {
  const plugin = createKpaPlugin();
  const parsed = plugin.config.parse(annotations, `${ANNOTATION_PREFIX}kpa.`);
  const scaling = scalingConfigSchema.parse(annotations, ANNOTATION_PREFIX);
  if (!parsed.ok || !scaling.ok) throw new Error(`invalid annotations: ${JSON.stringify(annotations)}`);
  return { plugin, config: parsed.value, scaling: scaling.value };
}

/** A store keeping `metric` for `target` as long as the KPA asks (its stable window). */
export function benchStore(t: BenchTarget, key: string): MetricStore {
  const store = new MetricStore();
  for (const need of t.plugin.metrics?.(t.config) ?? []) store.need(key, need);
  return store;
}

/** One KPA decision for `key` at `nowMs` with `ready` pods; returns the recommended replicas (-1 without data). */
export function decide(t: BenchTarget, store: MetricStore, key: string, nowMs: number, ready: number, state: KpaState | undefined): { replicas: number; state: KpaState | undefined; inPanic: boolean } {
  const out = t.plugin.recommend({
    nowMs,
    target: { namespace: 'bench', name: key },
    config: t.config,
    scaling: t.scaling,
    replicas: { current: ready, ready },
    metrics: store.view(key),
    state,
  });
  const r = out.recommendation;
  return { replicas: r.kind === 'replicas' ? r.replicas : -1, state: out.state, inPanic: r.kind === 'replicas' && r.details?.['inPanic'] === true };
}
