import type { Clock } from './clock.ts';
import type { ConfigSchema } from './config.ts';
import type { MetricCollector, MetricNeed, MetricsView } from './metrics.ts';
import type { TargetRef } from './target.ts';
import type { ScalingConfig } from './scaling.ts';

/** Typed manifest that every plugin declares; checked at registration (start-up), not at the first tick. */
export interface PluginManifest {
  /** Unique id, lower-case kebab, e.g. `kpa`; also its annotation sub-namespace `ebb.dev/kpa.*`. */
  readonly id: string;
  /** The plugin's own semver version. */
  readonly version: string;
  /** Semver range of `@ebb/core` versions the plugin supports, e.g. `^0.1.0`. */
  readonly coreVersion: string;
  /** Ids of plugins that must also be registered. */
  readonly dependencies?: readonly string[];
  /** One line for `ebb explain` and docs. */
  readonly description: string;
}

/** Replica counts as the cluster shows them. */
export interface ReplicaCounts {
  /** `spec.replicas` of the Deployment. */
  readonly current: number;
  /** Ready pods of the target (including reserve pods, when present). */
  readonly ready: number;
}

/** The immutable input of one decision. Plugins read nothing else: no I/O, no clock, no logging. */
export interface RecommendInput<C, S> {
  readonly nowMs: number;
  readonly target: TargetRef;
  /** This plugin's parsed configuration. */
  readonly config: C;
  /** The target's common scaling configuration (bounds, scale-to-zero, ...). */
  readonly scaling: ScalingConfig;
  readonly replicas: ReplicaCounts;
  readonly metrics: MetricsView;
  /** The state returned by this plugin's previous decision for this target; undefined at first. */
  readonly state: S | undefined;
  /**
   * While `state` is undefined (first decision after a start or a change of leader): the last
   * {@link RecommendOutput.persist} of this plugin for this target, as the target's status annotation keeps it.
   */
  readonly persisted?: string;
  /**
   * False when no route can send the target requests (a version at weight 0 without a tag, Knative's unreachable
   * revision): a plugin may then drop limits that only protect traffic (the KPA's scale-down rate). Absent or true:
   * reachable, as every plain Deployment is.
   */
  readonly reachable?: boolean;
}

/** A plugin's answer. */
export type Recommendation =
  /** A replica count (integer >= 0) and a human reason, e.g. `concurrency 42 / target 7 per pod`. */
  | { readonly kind: 'replicas'; readonly replicas: number; readonly reason: string; readonly details?: Readonly<Record<string, number | string | boolean>> }
  /** The plugin does not care now (e.g. outside every cron window). */
  | { readonly kind: 'no-opinion'; readonly reason: string }
  /** The plugin would care but has no data (blocks every scale-down). */
  | { readonly kind: 'no-data'; readonly reason: string };

/** What `recommend` returns: the recommendation and the state to keep for the next decision. */
export interface RecommendOutput<S> {
  readonly recommendation: Recommendation;
  readonly state?: S;
  /**
   * Optional: a small string (at most {@link MAX_PERSIST_CHARS} characters) that must survive a restart of the
   * scaler or a change of leader. Core keeps the newest one in the target's status annotation (written when it
   * changes, so change it rarely) and hands it back as {@link RecommendInput.persisted}. Undefined keeps the
   * previous one.
   */
  readonly persist?: string;
  /**
   * Optional: when (ms since the epoch) this plugin's answer will change with no new metric sample (a keep-alive
   * ends, a pre-warm begins). Core runs a decision for the target then, as a {@link SchedulingPlugin}'s poke would;
   * the next decision's answer replaces it. Ignored unless after `nowMs`.
   */
  readonly wakeAtMs?: number;
}

/** Longest {@link RecommendOutput.persist} a plugin may ask core to keep for one target, in characters (4 KiB). */
export const MAX_PERSIST_CHARS = 4096;

/** A policy plugin: a typed manifest, a config schema, the metrics it needs, and a pure decision. */
export interface PolicyPlugin<C = unknown, S = unknown> {
  readonly manifest: PluginManifest;
  /** Keys under `ebb.dev/<id>.` (and aliases). */
  readonly config: ConfigSchema<C>;
  /** Metrics the plugin reads for a target with config `config`, and how much history it needs. */
  metrics?(config: C): readonly MetricNeed[];
  /** Pure: same input, same output. */
  recommend(input: RecommendInput<C, S>): RecommendOutput<S>;
}

/** Context of {@link SchedulingPlugin.schedule}. */
export interface ScheduleContext<C> {
  readonly target: TargetRef;
  readonly config: C;
  readonly clock: Clock;
  /** Runs a decision tick for the target at once. */
  poke(reason: string): void;
}

/**
 * Optional capability: a plugin that knows when its answer will change (cron window boundaries) and pokes the
 * loop then. Called when a target's config is parsed; `dispose` when it changes or the target goes away.
 */
export interface SchedulingPlugin<C = unknown> {
  schedule(ctx: ScheduleContext<C>): { dispose(): void };
}

/** Type guard for {@link SchedulingPlugin}. */
export function isSchedulingPlugin<C>(p: PolicyPlugin<C, unknown>): p is PolicyPlugin<C, unknown> & SchedulingPlugin<C> {
  return typeof (p as Partial<SchedulingPlugin<C>>).schedule === 'function';
}

/** Optional capability: a plugin that brings its own metric collectors. */
export interface CollectorProvider {
  collectors(): readonly MetricCollector[];
}

/** Type guard for {@link CollectorProvider}. */
export function isCollectorProvider(p: object): p is CollectorProvider {
  return typeof (p as Partial<CollectorProvider>).collectors === 'function';
}
