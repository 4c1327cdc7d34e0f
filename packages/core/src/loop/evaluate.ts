import { STATUS_ANNOTATION } from '../contracts/config.ts';
import type { MetricsView } from '../contracts/metrics.ts';
import type { LoopObserver } from '../contracts/observe.ts';
import { MAX_PERSIST_CHARS, type Recommendation } from '../contracts/plugin.ts';
import type { CombineRequest, CombineResult, PluginRecommendation } from '../scaling/combine-types.ts';
import type { Decision } from './decision.ts';
import type { TargetEntry } from './target-registry.ts';
import { readPersisted } from './target-status.ts';

/** The combination step (max, bounds, scale-down delay, scale-to-zero), injected so the loop stays generic. */
export type Combiner = (request: CombineRequest) => CombineResult;

/** Checks what a plugin returned; a malformed answer is treated like a throw. */
function checkRecommendation(r: Recommendation): Recommendation {
  if (r.kind === 'replicas' && !(Number.isInteger(r.replicas) && r.replicas >= 0)) {
    throw new Error(`recommended replicas must be an integer >= 0, got ${String(r.replicas)}`);
  }
  if (r.kind !== 'replicas' && r.kind !== 'no-opinion' && r.kind !== 'no-data') throw new Error(`unknown recommendation kind ${String((r as { kind: unknown }).kind)}`);
  return r;
}

/** Checks what a plugin asked to persist; too long or not a string is treated like a throw. */
function checkPersist(persist: unknown): string | undefined {
  if (persist === undefined) return undefined;
  if (typeof persist !== 'string' || persist.length > MAX_PERSIST_CHARS) {
    const what = typeof persist === 'string' ? `${persist.length} characters` : typeof persist;
    throw new Error(`persist must be a string of at most ${MAX_PERSIST_CHARS} characters, got ${what}`);
  }
  return persist;
}

/**
 * Asks every enabled plugin, then combines. A plugin that throws (or answers malformed) makes the target hold
 * at its current size this tick; other targets are unaffected. With `keepState` false nothing is remembered
 * (used by `ebb explain`).
 */
export function evaluateTarget(
  entry: TargetEntry,
  o: {
    nowMs: number;
    metrics: MetricsView;
    combine: Combiner;
    keepState: boolean;
    onPluginError: (pluginId: string, error: string) => void;
    observer: LoopObserver;
    /** False: no route reaches the target (see `TargetReachability`); default reachable. */
    reachable?: boolean;
    /** A replica floor from outside the policies (see `TargetFloors`). */
    floor?: { readonly replicas: number; readonly reason: string } | undefined;
  },
): Decision {
  if (!entry.config.ok) throw new Error(`evaluateTarget called for ${entry.target.key} with invalid config`);
  const { scaling, plugins } = entry.config.value;
  const { target } = entry;
  const replicas = { current: target.specReplicas, ready: target.readyReplicas };
  const recommendations: PluginRecommendation[] = [];
  const failed: Array<{ pluginId: string; error: string }> = [];
  let wakeAtMs = Infinity;
  for (const { plugin, config } of plugins) {
    const pluginId = plugin.manifest.id;
    try {
      const state = entry.pluginState.get(pluginId);
      // What the plugin persisted, read from the status annotation once per entry, handed back until it has state.
      const persisted = state === undefined ? (entry.persisted ??= readPersisted(target, scaling.policies)).get(pluginId) : undefined;
      const input = { nowMs: o.nowMs, target: target.ref, config, scaling, replicas, metrics: o.metrics, state, ...(o.reachable === false ? { reachable: false } : {}) };
      const out = plugin.recommend(persisted === undefined ? input : { ...input, persisted });
      const recommendation = checkRecommendation(out.recommendation);
      const persist = checkPersist(out.persist);
      if (typeof out.wakeAtMs === 'number' && out.wakeAtMs > o.nowMs && out.wakeAtMs < wakeAtMs) wakeAtMs = out.wakeAtMs;
      if (o.keepState) {
        entry.pluginState.set(pluginId, out.state);
        if (persist !== undefined) (entry.persisted ??= readPersisted(target, scaling.policies)).set(pluginId, persist);
      }
      recommendations.push({ pluginId, recommendation });
      o.observer.recommendation(target.key, pluginId, recommendation);
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      failed.push({ pluginId, error });
      o.onPluginError(pluginId, error);
    }
  }
  const base = { nowMs: o.nowMs, current: replicas.current, ready: replicas.ready, scaling, recommendations, failed, ...(wakeAtMs < Infinity ? { wakeAtMs } : {}), ...(o.floor ? { floor: o.floor } : {}) };
  if (failed.length) {
    return { ...base, desired: replicas.current, applied: [], steps: [], hold: `holding: plugin ${failed.map((f) => f.pluginId).join(', ')} failed` };
  }
  const combined = o.combine({
    recommendations,
    scaling,
    currentReplicas: replicas.current,
    readyReplicas: replicas.ready,
    managedBefore: entry.target.annotations[STATUS_ANNOTATION] !== undefined,
    requestWaiting: entry.requestWaitingUntilMs !== undefined && o.nowMs <= entry.requestWaitingUntilMs,
    ...(o.reachable === false ? { reachable: false } : {}),
    ...(o.floor ? { floor: o.floor } : {}),
    nowMs: o.nowMs,
    state: entry.combineState,
  });
  if (o.keepState) entry.combineState = combined.state;
  return { ...base, desired: combined.desired, applied: combined.applied, steps: combined.steps, ...(combined.winner ? { winner: combined.winner } : {}) };
}
