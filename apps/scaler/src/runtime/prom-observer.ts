import type { ConfigIssue, LoopObserver, Recommendation, TargetKey } from '@ebb/core';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Splits a target key into Prometheus labels. */
function labels(target: TargetKey): { namespace: string; name: string } {
  const i = target.indexOf('/');
  return { namespace: target.slice(0, i), name: target.slice(i + 1) };
}

/**
 * The scaler's Prometheus metrics on its own registry (never the global one): desired and current replicas,
 * each plugin's recommendation, tick duration, scale actions, config errors, collector and plugin errors, and
 * the process defaults. Series of a target are removed when it goes away.
 */
export class PromObserver implements LoopObserver {
  readonly registry = new Registry();
  private readonly desired = new Gauge({ name: 'ebb_desired_replicas', help: 'Desired replicas after combination', labelNames: ['namespace', 'name'], registers: [this.registry] });
  private readonly current = new Gauge({ name: 'ebb_current_replicas', help: 'spec.replicas of the target', labelNames: ['namespace', 'name'], registers: [this.registry] });
  private readonly recommended = new Gauge({
    name: 'ebb_plugin_recommended_replicas',
    help: 'Replicas recommended by each plugin (NaN for no opinion / no data; see ebb_plugin_recommendation_kind)',
    labelNames: ['namespace', 'name', 'plugin'],
    registers: [this.registry],
  });
  private readonly kind = new Gauge({
    name: 'ebb_plugin_recommendation_kind',
    help: '1 for the kind of the latest recommendation of each plugin (replicas, no-opinion, no-data)',
    labelNames: ['namespace', 'name', 'plugin', 'kind'],
    registers: [this.registry],
  });
  private readonly tickSeconds = new Histogram({
    name: 'ebb_tick_duration_seconds',
    help: 'Duration of one decision tick of one target',
    buckets: [0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.25, 1],
    registers: [this.registry],
  });
  private readonly scaleActions = new Counter({ name: 'ebb_scale_actions_total', help: 'Scale actions taken', labelNames: ['namespace', 'name', 'direction', 'result'], registers: [this.registry] });
  private readonly configErrors = new Gauge({ name: 'ebb_config_errors', help: 'Number of configuration problems of a target (0 when valid)', labelNames: ['namespace', 'name'], registers: [this.registry] });
  private readonly collectorErrors = new Counter({ name: 'ebb_collector_errors_total', help: 'Failed collector rounds or per-target collections', labelNames: ['collector'], registers: [this.registry] });
  private readonly pluginErrors = new Counter({ name: 'ebb_plugin_errors_total', help: 'Plugins that threw during a decision', labelNames: ['plugin'], registers: [this.registry] });
  /** 1 while this replica leads (per lease). */
  readonly leader = new Gauge({ name: 'ebb_leader', help: '1 while this replica holds the lease', labelNames: ['lease'], registers: [this.registry] });

  /** Plugins seen per target, to remove their series when the target goes away. */
  private readonly pluginsOf = new Map<TargetKey, Set<string>>();

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  tick(_target: TargetKey, durationMs: number): void {
    this.tickSeconds.observe(durationMs / 1000);
  }

  recommendation(target: TargetKey, pluginId: string, rec: Recommendation): void {
    const l = { ...labels(target), plugin: pluginId };
    let seen = this.pluginsOf.get(target);
    if (!seen) this.pluginsOf.set(target, (seen = new Set()));
    seen.add(pluginId);
    this.recommended.set(l, rec.kind === 'replicas' ? rec.replicas : Number.NaN);
    for (const kind of ['replicas', 'no-opinion', 'no-data']) this.kind.set({ ...l, kind }, kind === rec.kind ? 1 : 0);
  }

  replicas(target: TargetKey, desired: number, current: number): void {
    this.desired.set(labels(target), desired);
    this.current.set(labels(target), current);
  }

  scaled(target: TargetKey, from: number, to: number, result: 'ok' | 'error'): void {
    this.scaleActions.inc({ ...labels(target), direction: to > from ? 'up' : 'down', result });
  }

  configIssues(target: TargetKey, issues: readonly ConfigIssue[]): void {
    this.configErrors.set(labels(target), issues.length);
  }

  collectorError(collectorId: string): void {
    this.collectorErrors.inc({ collector: collectorId });
  }

  pluginError(_target: TargetKey, pluginId: string): void {
    this.pluginErrors.inc({ plugin: pluginId });
  }

  forget(target: TargetKey): void {
    const l = labels(target);
    for (const m of [this.desired, this.current, this.configErrors]) m.remove(l);
    for (const plugin of this.pluginsOf.get(target) ?? []) {
      this.recommended.remove({ ...l, plugin });
      for (const kind of ['replicas', 'no-opinion', 'no-data']) this.kind.remove({ ...l, plugin, kind });
    }
    this.pluginsOf.delete(target);
    for (const direction of ['up', 'down']) for (const result of ['ok', 'error']) this.scaleActions.remove({ ...l, direction, result });
  }
}
