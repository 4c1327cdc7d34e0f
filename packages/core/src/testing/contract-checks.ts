import { ANNOTATION_PREFIX } from '../contracts/config.ts';
import type { MetricsView, Snapshot, WindowView } from '../contracts/metrics.ts';
import type { PolicyPlugin, RecommendInput, RecommendOutput, ReplicaCounts } from '../contracts/plugin.ts';
import { renderSchemaDocs } from '../config/schema-docs.ts';
import { parseScalingConfig } from '../config/scaling-schema.ts';
import { MetricStore } from '../metrics/metric-store.ts';
import { checkManifest } from '../plugins/manifest.ts';
import { PluginRegistry } from '../plugins/plugin-registry.ts';
import { CORE_VERSION } from '../version.ts';

/**
 * The checks of the plugin contract as plain functions that return problems (empty = the plugin keeps the
 * contract). `pluginContractSuite` runs them as vitest tests; they are separate so they can be tested themselves.
 */

/** One situation a plugin is asked to decide in. */
export interface ContractScenario {
  readonly name: string;
  /** Annotations of the target (full names, e.g. `ebb.dev/queue.per-pod`), on top of the suite's. */
  readonly annotations?: Readonly<Record<string, string>>;
  /** Replica counts; default 1 current, 1 ready. */
  readonly replicas?: ReplicaCounts;
  /** Per-second samples by metric name; the last value is at `nowMs`, the others one second apart before it. */
  readonly series?: Readonly<Record<string, readonly number[]>>;
  /** Snapshots by name, taken at `nowMs`. */
  readonly snapshots?: Readonly<Record<string, unknown>>;
}

/** Time of every scenario's decision (2026-01-01T00:00:00Z); the second step of a scenario is 2 s later. */
export const CONTRACT_NOW_MS = Date.UTC(2026, 0, 1);

/** A metrics view with no data at all: every window and snapshot is absent. */
export const emptyMetrics: MetricsView = Object.freeze({ window: (): WindowView | undefined => undefined, snapshot: <T>(): Snapshot<T> | undefined => undefined });

/**
 * A metrics view holding `series` (one sample per second, the last at `nowMs`) and `snapshots` (at `nowMs`),
 * kept in core's own `MetricStore`, exactly as collectors would have recorded them.
 */
export function metricsFrom(nowMs: number, series: Readonly<Record<string, readonly number[]>> = {}, snapshots: Readonly<Record<string, unknown>> = {}): MetricsView {
  const store = new MetricStore();
  const key = 'contract/target';
  for (const [metric, values] of Object.entries(series)) {
    store.need(key, { metric, retentionMs: (values.length + 1) * 1000 });
    values.forEach((v, i) => store.record(key, metric, v, nowMs - (values.length - 1 - i) * 1000));
  }
  for (const [name, value] of Object.entries(snapshots)) store.snapshot(key, name, value, nowMs);
  return store.view(key);
}

/** Checks the manifest against this core, and that a registry accepts the plugin (with its dependencies). */
export function manifestProblems(plugin: PolicyPlugin<unknown, unknown>, dependencies: readonly PolicyPlugin<unknown, unknown>[] = [], coreVersion = CORE_VERSION): string[] {
  try {
    checkManifest(plugin.manifest, coreVersion);
    PluginRegistry.of([plugin, ...dependencies], { coreVersion });
    return [];
  } catch (e) {
    return [errorText(e)];
  }
}

/** The plugin's annotation prefix, `ebb.dev/<id>.`. */
export const prefixOf = (plugin: PolicyPlugin<unknown, unknown>): string => `${ANNOTATION_PREFIX}${plugin.manifest.id}.`;

/**
 * Checks the config schema: the defaults (plus `annotations`) parse; every field has a key and a description;
 * every Ebb key it reads is in the plugin's own namespace; the reference docs name every key.
 */
export function configProblems(plugin: PolicyPlugin<unknown, unknown>, annotations: Readonly<Record<string, string>> = {}): string[] {
  const problems: string[] = [];
  const prefix = prefixOf(plugin);
  const parsed = plugin.config.parse(annotations, prefix);
  if (!parsed.ok) problems.push(`defaults do not parse: ${parsed.issues.map((i) => i.message).join('; ')}`);
  for (const [name, spec] of Object.entries(plugin.config.fields)) {
    if (!spec.description?.trim()) problems.push(`field ${name} (${spec.key}) has no description`);
  }
  const keys = plugin.config.keys(prefix);
  const own = `${ANNOTATION_PREFIX}${plugin.manifest.id}`;
  for (const key of keys.filter((k) => k.startsWith(ANNOTATION_PREFIX))) {
    if (key !== own && !key.startsWith(prefix)) problems.push(`key ${key} is outside the plugin's namespace ${prefix}*`);
  }
  const docs = renderSchemaDocs(`Plugin \`${plugin.manifest.id}\``, prefix, plugin.config);
  for (const key of keys.filter((k) => k.startsWith(ANNOTATION_PREFIX))) {
    if (!docs.includes(key)) problems.push(`the generated docs do not name ${key}`);
  }
  return problems;
}

/** The decision input of a scenario; undefined (with a problem) when its annotations do not parse. */
export function scenarioInput(plugin: PolicyPlugin<unknown, unknown>, scenario: ContractScenario, base: Readonly<Record<string, string>> = {}): { input?: RecommendInput<unknown, unknown>; problems: string[] } {
  const annotations = { ...base, ...scenario.annotations };
  const config = plugin.config.parse(annotations, prefixOf(plugin));
  const scaling = parseScalingConfig(annotations);
  if (!config.ok || !scaling.ok) {
    const issues = [...(config.ok ? [] : config.issues), ...(scaling.ok ? [] : scaling.issues)];
    return { problems: [`scenario "${scenario.name}": annotations do not parse: ${issues.map((i) => i.message).join('; ')}`] };
  }
  const input: RecommendInput<unknown, unknown> = {
    nowMs: CONTRACT_NOW_MS,
    target: { namespace: 'contract', name: 'target' },
    config: config.value,
    scaling: scaling.value,
    replicas: scenario.replicas ?? { current: 1, ready: 1 },
    metrics: scenario.series || scenario.snapshots ? metricsFrom(CONTRACT_NOW_MS, scenario.series, scenario.snapshots) : emptyMetrics,
    state: undefined,
  };
  return { input, problems: [] };
}

/** What a decision must never touch; each is replaced by a counter while `fn` runs. */
function watchingImpurity<T>(fn: () => T): { result?: T; error?: unknown; touched: string[] } {
  const touched: string[] = [];
  const g = globalThis as unknown as Record<string, unknown>;
  const saved: Array<[Record<string, unknown>, string, unknown]> = [];
  const watch = (owner: Record<string, unknown>, key: string, label: string, passThrough = true) => {
    const original = owner[key];
    if (typeof original !== 'function') return;
    saved.push([owner, key, original]);
    owner[key] = (...args: unknown[]) => {
      touched.push(label);
      return passThrough ? (original as (...a: unknown[]) => unknown).apply(owner, args) : undefined;
    };
  };
  watch(Date as unknown as Record<string, unknown>, 'now', 'Date.now (read the clock; use nowMs)');
  watch(performance as unknown as Record<string, unknown>, 'now', 'performance.now (read the clock; use nowMs)');
  watch(Math as unknown as Record<string, unknown>, 'random', 'Math.random (not deterministic)');
  watch(g, 'fetch', 'fetch (I/O)');
  for (const level of ['log', 'info', 'warn', 'error', 'debug']) watch(console as unknown as Record<string, unknown>, level, `console.${level} (logging)`, false);
  try {
    return { result: fn(), touched };
  } catch (error) {
    return { error, touched };
  } finally {
    for (const [owner, key, original] of saved.reverse()) owner[key] = original;
  }
}

/** Freezes an object graph (plain objects and arrays), so a decision that mutates its input throws. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as Record<string, unknown>)) deepFreeze(v);
  }
  return value;
}

/** Checks the shape of one answer: a known kind, a reason, and for `replicas` an integer >= 0. */
export function outputProblems(output: RecommendOutput<unknown> | undefined): string[] {
  const r = output?.recommendation;
  if (!r) return ['recommend returned no recommendation'];
  const problems: string[] = [];
  if (!['replicas', 'no-opinion', 'no-data'].includes(r.kind)) problems.push(`unknown kind ${JSON.stringify(r.kind)}: expected replicas, no-opinion or no-data`);
  if (typeof r.reason !== 'string' || !r.reason.trim()) problems.push('the recommendation has no reason');
  if (r.kind === 'replicas' && !(Number.isInteger(r.replicas) && r.replicas >= 0)) problems.push(`replicas ${r.replicas} is not an integer >= 0`);
  return problems;
}

/**
 * Runs two decisions in a row (the second 2 s later, with the first one's state), each twice on frozen copies of
 * the same input: the answers must be equal, valid, and made without reading the clock, randomness, I/O or logging.
 */
export function decisionProblems(plugin: PolicyPlugin<unknown, unknown>, input: RecommendInput<unknown, unknown>): string[] {
  const problems: string[] = [];
  let state: unknown = undefined;
  for (const [step, nowMs] of [[1, input.nowMs], [2, input.nowMs + 2000]] as const) {
    const at = `step ${step}`;
    const make = () => deepFreeze({ ...input, nowMs, state: state === undefined ? undefined : structuredClone(state) });
    const first = watchingImpurity(() => plugin.recommend(make()));
    const second = watchingImpurity(() => plugin.recommend(make()));
    for (const t of new Set([...first.touched, ...second.touched])) problems.push(`${at}: recommend used ${t}`);
    if (first.error !== undefined) {
      problems.push(`${at}: recommend threw: ${errorText(first.error)}`);
      return problems;
    }
    problems.push(...outputProblems(first.result).map((p) => `${at}: ${p}`));
    if (JSON.stringify(first.result) !== JSON.stringify(second.result)) {
      problems.push(`${at}: the same input gave different answers: ${JSON.stringify(first.result)} then ${JSON.stringify(second.result)}`);
    }
    for (const need of plugin.metrics?.(input.config) ?? []) {
      if (!need.metric || !(need.retentionMs > 0)) problems.push(`metrics() names ${JSON.stringify(need)}: expected a metric and a retention > 0 ms`);
    }
    state = first.result?.state;
  }
  return problems;
}

function errorText(e: unknown): string {
  return e instanceof Error ? `${(e as { code?: string }).code ? `${(e as { code?: string }).code}: ` : ''}${e.message}` : String(e);
}
