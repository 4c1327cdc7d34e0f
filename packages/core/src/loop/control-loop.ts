import type { Actuator, EventSink, ScaleTarget, StatusWriter, TargetSource, TargetStatus } from '../contracts/cluster.ts';
import type { Clock } from '../contracts/clock.ts';
import type { ConfigSchema } from '../contracts/config.ts';
import type { MetricCollector, MetricNeed, MetricSink, MetricsView } from '../contracts/metrics.ts';
import { noopObserver, silentLogger, type Logger, type LoopObserver } from '../contracts/observe.ts';
import type { PolicyPlugin } from '../contracts/plugin.ts';
import type { TargetReachability } from '../contracts/reachability.ts';
import type { TargetFloors } from '../contracts/floors.ts';
import type { ScalingConfig } from '../contracts/scaling.ts';
import type { TargetInfo, TargetKey } from '../contracts/target.ts';
import { CollectorRunner } from './collector-runner.ts';
import { decisionReason, type Decision } from './decision.ts';
import { evaluateTarget, type Combiner } from './evaluate.ts';
import { TargetRegistry, type TargetEntry } from './target-registry.ts';
import { TickScheduler } from './tick-scheduler.ts';
import { readStatus, statusFingerprint } from './target-status.ts';

/** Fingerprint of the status the Deployment carries now ('' when none). */
function statusFingerprintOf(target: ScaleTarget): string {
  const existing = readStatus(target);
  return existing ? statusFingerprint(existing) : '';
}

/** The metric store as the loop uses it. */
export interface LoopMetricStore extends MetricSink {
  setNeeds(target: TargetKey, needs: readonly MetricNeed[]): void;
  view(target: TargetKey): MetricsView;
  forget(target: TargetKey): void;
}

/** Dependencies of {@link ControlLoop}: plain typed deps, wired by the app (or the simulator). */
export interface ControlLoopDeps {
  readonly clock: Clock;
  readonly source: TargetSource;
  readonly actuator: Actuator;
  readonly events: EventSink;
  readonly status: StatusWriter;
  /** Registered policy plugins by id (validated at start-up). */
  readonly plugins: ReadonlyMap<string, PolicyPlugin<unknown, unknown>>;
  readonly scalingSchema: ConfigSchema<ScalingConfig>;
  readonly combine: Combiner;
  readonly store: LoopMetricStore;
  readonly collectors?: readonly MetricCollector[];
  readonly observer?: LoopObserver;
  readonly logger?: Logger;
  /** Decision period per target in ms (default 2000). */
  readonly tickIntervalMs?: number;
  /** Whether this replica acts on a target (leader election / sharding); default: always. */
  readonly owns?: (key: TargetKey) => boolean;
  /** Ebb annotation keys read elsewhere (never reported as unknown). */
  readonly extraKeys?: readonly string[];
  /** Which targets routes reach (default: every target). */
  readonly reachability?: TargetReachability;
  /** Replica floors from outside the policies, e.g. a rollout's (default: none). */
  readonly floors?: TargetFloors;
}

/**
 * The control loop: one decision tick per target every `tickIntervalMs` (spread over the interval), collectors
 * on their own cadence, and `poke` for an immediate tick. A tick reads only the informer cache and the metric
 * windows; it writes only when the desired count differs (scale) or the status fingerprint changes.
 */
export class ControlLoop {
  readonly registry: TargetRegistry;
  private readonly d: Required<Omit<ControlLoopDeps, 'collectors' | 'extraKeys' | 'reachability' | 'floors'>> & Pick<ControlLoopDeps, 'collectors' | 'extraKeys' | 'reachability' | 'floors'>;
  private readonly scheduler: TickScheduler;
  private readonly collectors: CollectorRunner;
  private unsubscribe: (() => void) | undefined;
  /** Writes of ticks in progress (scale, Events, status), awaited by {@link ControlLoop.stop}. */
  private readonly acting = new Set<Promise<void>>();

  constructor(deps: ControlLoopDeps) {
    this.d = { observer: noopObserver, logger: silentLogger, tickIntervalMs: 2000, owns: () => true, ...deps };
    this.registry = new TargetRegistry({
      clock: deps.clock,
      plugins: deps.plugins,
      scalingSchema: deps.scalingSchema,
      store: deps.store,
      events: deps.events,
      observer: this.d.observer,
      logger: this.d.logger,
      extraKeys: deps.extraKeys ?? [],
      poke: (key, reason) => this.poke(key, reason),
      owns: this.d.owns,
    });
    this.scheduler = new TickScheduler({ clock: deps.clock, intervalMs: this.d.tickIntervalMs, onTick: (keys) => keys.forEach((k) => void this.tick(k)) });
    this.collectors = new CollectorRunner({
      clock: deps.clock,
      collectors: deps.collectors ?? [],
      sink: deps.store,
      targetsNeeding: (metrics) => this.registry.targetsNeeding(metrics),
      logger: this.d.logger,
      observer: this.d.observer,
    });
  }

  /** Starts watching targets, ticking and collecting. */
  async start(): Promise<void> {
    this.unsubscribe = this.d.source.subscribe((event, target) => {
      if (event === 'delete') {
        this.registry.remove(target.key);
        this.scheduler.remove(target.key);
        return;
      }
      this.registry.upsert(target);
      this.scheduler.add(target.key);
    });
    await this.d.actuator.start?.();
    await this.d.source.start();
    for (const t of this.d.source.list()) {
      this.registry.upsert(t);
      this.scheduler.add(t.key);
    }
    this.scheduler.start();
    this.collectors.start();
  }

  /** Stops ticks, collectors, schedules and the watch. */
  async stop(): Promise<void> {
    this.scheduler.stop();
    this.unsubscribe?.();
    this.registry.clear();
    // No tick starts from here on; the writes of those in progress finish before stop resolves, so a replica that
    // releases its Lease next never writes after its successor started.
    await Promise.allSettled([...this.acting]);
    await this.collectors.stop();
    await this.d.source.stop();
    await this.d.actuator.stop?.();
  }

  /** Runs a tick for `key` at once (a request arrived at zero, a cron boundary). */
  poke(key: TargetKey, reason: string): void {
    this.d.logger.debug('poke', { target: key, reason });
    void this.tick(key);
  }

  /**
   * A request waits at the gateway for `key` (typically at zero pods): remember it for two ticks, so the
   * decision wakes the target even before any metric window shows the request, and tick at once.
   */
  wake(key: TargetKey, reason: string): void {
    const entry = this.registry.get(key);
    if (entry) entry.requestWaitingUntilMs = this.d.clock.now() + 2 * this.d.tickIntervalMs;
    this.poke(key, reason);
  }

  /** The targets collectors would serve for `metrics`. */
  targetsNeeding(metrics: readonly string[]): readonly TargetInfo[] {
    return this.registry.targetsNeeding(metrics);
  }

  /** Evaluates a target without acting or keeping state (for `ebb explain`). */
  explain(key: TargetKey): Decision | { readonly invalid: readonly string[] } | undefined {
    const entry = this.registry.get(key);
    if (!entry) return undefined;
    if (!entry.config.ok) return { invalid: entry.config.issues.map((i) => i.message) };
    return this.evaluate(entry, false);
  }

  /**
   * One decision for one target: evaluate, then scale when desired differs from spec. Ticks of one target never
   * overlap; a poke during a tick runs one more tick right after.
   */
  async tick(key: TargetKey): Promise<Decision | undefined> {
    const entry = this.registry.get(key);
    if (!entry || !entry.config.ok || !this.d.owns(key)) return undefined;
    if (entry.running) {
      entry.again = true;
      return undefined;
    }
    entry.running = true;
    try {
      const started = performance.now();
      const decision = this.evaluate(entry, true);
      this.d.observer.tick(key, performance.now() - started);
      this.armWake(entry, decision.wakeAtMs);
      const acting = this.act(entry, decision);
      this.acting.add(acting);
      try {
        await acting;
      } finally {
        this.acting.delete(acting);
      }
      return decision;
    } catch (e) {
      this.d.logger.error('tick failed', { target: key, error: e instanceof Error ? e.message : String(e) });
      return undefined;
    } finally {
      entry.running = false;
      if (entry.again) {
        entry.again = false;
        void this.tick(key);
      }
    }
  }

  /** Runs a decision at `atMs` when a plugin asked for one (re-armed only when the time changes). */
  private armWake(entry: TargetEntry, atMs: number | undefined): void {
    if (entry.wake?.atMs === atMs) return;
    entry.wake?.timer.cancel();
    entry.wake = undefined;
    if (atMs === undefined) return;
    const key = entry.target.key;
    const timer = this.d.clock.setTimeout(() => {
      if (this.registry.get(key)?.wake?.timer !== timer) return;
      entry.wake = undefined;
      this.poke(key, 'a plugin asked for a decision now');
    }, atMs - this.d.clock.now());
    entry.wake = { atMs, timer };
  }

  private evaluate(entry: TargetEntry, keepState: boolean): Decision {
    return evaluateTarget(entry, {
      nowMs: this.d.clock.now(),
      metrics: this.d.store.view(entry.target.key),
      combine: this.d.combine,
      keepState,
      onPluginError: (pluginId, error) => {
        this.d.observer.pluginError(entry.target.key, pluginId);
        this.d.logger.error('plugin threw; target holds', { target: entry.target.key, plugin: pluginId, error });
      },
      observer: this.d.observer,
      reachable: this.d.reachability?.reachable(entry.target.key) ?? true,
      floor: this.d.floors?.floor(entry.target.key),
    });
  }

  private async act(entry: TargetEntry, decision: Decision): Promise<void> {
    const target: ScaleTarget = entry.target;
    this.d.observer.replicas(target.key, decision.desired, target.specReplicas);
    // A scale we wrote is not yet in the informer cache: do not act twice on the same object version.
    const settled = entry.scaledFromVersion !== target.resourceVersion;
    // An actuator with a per-tick hook (the reserve swap) runs it on every tick and may hold the scale.
    const hold = (await this.d.actuator.reconcile?.(target, decision.desired, decision.recommendations))?.hold;
    let current = target.specReplicas;
    // Decided on an object older than our last write: decide again once the watch delivers a newer one (the
    // stale object may even agree with the decision: spec 1 cached, 4 written, 1 wanted now).
    if (!settled) entry.tickWhenNewer = true;
    // Ownership is checked again right before any write: the tick may have awaited the reserve hook while this
    // replica's lease ran out.
    if (!this.d.owns(target.key)) return;
    if (decision.desired !== target.specReplicas && settled && hold === undefined) {
      const from = target.specReplicas;
      try {
        await this.d.actuator.scale(target, decision.desired);
        entry.scaledFromVersion = target.resourceVersion;
        current = decision.desired;
        entry.lastScaleTime = new Date(decision.nowMs).toISOString();
        this.d.observer.scaled(target.key, from, decision.desired, 'ok');
        const message = `New size: ${decision.desired}; reason: ${decisionReason(decision)}`;
        this.d.logger.info('scaled', { target: target.key, from, to: decision.desired, reason: decisionReason(decision) });
        await this.d.events.event(target, 'Normal', 'SuccessfulRescale', message);
      } catch (e) {
        this.d.observer.scaled(target.key, from, decision.desired, 'error');
        this.d.logger.error('scale failed', { target: target.key, from, to: decision.desired, error: e instanceof Error ? e.message : String(e) });
        await this.d.events.event(target, 'Warning', 'FailedRescale', `New size: ${decision.desired}; error: ${e instanceof Error ? e.message : String(e)}`);
        return;
      }
    }
    const status: TargetStatus = {
      desired: decision.desired,
      current,
      ...(decision.winner ? { winner: decision.winner.pluginId } : {}),
      recommendations: Object.fromEntries(
        decision.recommendations.map(({ pluginId, recommendation: r }) => [pluginId, { kind: r.kind, ...(r.kind === 'replicas' ? { replicas: r.replicas } : {}), reason: r.reason }]),
      ),
      applied: decision.applied,
      ...(entry.lastScaleTime ? { lastScaleTime: entry.lastScaleTime } : {}),
      ...(entry.persisted?.size ? { persist: Object.fromEntries(entry.persisted) } : {}),
    };
    // Written only when its fingerprint changes (first compared with what the Deployment already carries), so a
    // steady target costs no write.
    entry.statusFingerprint ??= statusFingerprintOf(target);
    const fingerprint = statusFingerprint(status);
    if (fingerprint === entry.statusFingerprint) return;
    entry.statusFingerprint = fingerprint;
    await this.d.status.write(target, status).catch((e: unknown) => {
      entry.statusFingerprint = undefined;
      this.d.logger.warn('status write failed', { target: target.key, error: e instanceof Error ? e.message : String(e) });
    });
  }
}
