import { createHash } from 'node:crypto';
import type { EventSink, ScaleTarget } from '../contracts/cluster.ts';
import type { Clock, TimerHandle } from '../contracts/clock.ts';
import { STATUS_ANNOTATION, type ConfigSchema, type ParseResult } from '../contracts/config.ts';
import type { MetricNeed } from '../contracts/metrics.ts';
import type { Logger, LoopObserver } from '../contracts/observe.ts';
import { isSchedulingPlugin, type PolicyPlugin } from '../contracts/plugin.ts';
import type { ScalingConfig } from '../contracts/scaling.ts';
import type { TargetInfo, TargetKey } from '../contracts/target.ts';
import { ParseCache } from './parse-cache.ts';
import { parseTargetConfig, type TargetConfig } from './target-config.ts';

/** What the loop keeps per target. */
export interface TargetEntry {
  target: ScaleTarget;
  info: TargetInfo;
  /** Digest of the annotations the config came from (the status annotation excluded); see {@link configSourceOf}. */
  configSource: string;
  config: ParseResult<TargetConfig>;
  /** Metric and snapshot names the enabled plugins read. */
  needs: ReadonlySet<string>;
  /** Each plugin's state from its previous decision. */
  readonly pluginState: Map<string, unknown>;
  combineState: unknown;
  /** What plugins persist (`RecommendOutput.persist`) by id; read from the status annotation at the first decision. */
  persisted?: Map<string, string>;
  schedules: Array<{ dispose(): void }>;
  /** The decision a plugin asked for (`RecommendOutput.wakeAtMs`): when, and its timer. */
  wake?: { readonly atMs: number; readonly timer: TimerHandle };
  running: boolean;
  again: boolean;
  /** resourceVersion the last scale was based on; the next scale waits for a newer one. */
  scaledFromVersion?: string;
  /**
   * A tick wanted to scale but the cache did not show our last scale yet: the next newer version ticks the target
   * at once, so that a decision made on a poke (a cron boundary, a request at zero) does not wait for the period.
   */
  tickWhenNewer?: boolean;
  lastScaleTime?: string;
  /** Until when (ms) a request is known to wait at the gateway for this target (set by `ControlLoop.wake`). */
  requestWaitingUntilMs?: number;
  /** Fingerprint of the status last written (or found on the Deployment); undefined until the first tick. */
  statusFingerprint?: string;
}

/** Dependencies of {@link TargetRegistry}. */
export interface TargetRegistryDeps {
  readonly clock: Clock;
  readonly plugins: ReadonlyMap<string, PolicyPlugin<unknown, unknown>>;
  readonly scalingSchema: ConfigSchema<ScalingConfig>;
  readonly store: { setNeeds(target: TargetKey, needs: readonly MetricNeed[]): void; forget(target: TargetKey): void };
  readonly events: EventSink;
  readonly observer: LoopObserver;
  readonly logger: Logger;
  readonly extraKeys: readonly string[];
  readonly poke: (key: TargetKey, reason: string) => void;
  /** Whether this replica acts on the target; only then does it record Events (replicas that do not lead stay quiet). */
  readonly owns: (key: TargetKey) => boolean;
}

/**
 * Fingerprint of a target's configuration annotations: everything but Ebb's own status. Kept as a SHA-1 digest
 * (28 characters) rather than the annotations themselves, which run to hundreds of bytes per target (a cron
 * schedule, behavior YAML) and are already held by the informer cache.
 */
function configSourceOf(annotations: Readonly<Record<string, string>>): string {
  const entries = JSON.stringify(Object.entries(annotations).filter(([k]) => k !== STATUS_ANNOTATION).sort(([a], [b]) => (a < b ? -1 : 1)));
  return createHash('sha1').update(entries).digest('base64');
}

/**
 * The targets the loop knows, with their parsed config. Annotations are parsed only when they change (not on
 * every resourceVersion: Ebb's own status writes and the controller's status updates leave them alone). Invalid
 * config is reported once per change (Warning Event `InvalidConfig`, metric, log) and the target is left as it
 * is until the config is fixed.
 */
export class TargetRegistry {
  private readonly entries = new Map<TargetKey, TargetEntry>();
  private readonly parseCache = new ParseCache();
  private readonly d: TargetRegistryDeps;

  constructor(deps: TargetRegistryDeps) {
    this.d = deps;
  }

  get(key: TargetKey): TargetEntry | undefined {
    return this.entries.get(key);
  }

  keys(): IterableIterator<TargetKey> {
    return this.entries.keys();
  }

  size(): number {
    return this.entries.size;
  }

  /** Targets with valid config whose plugins read one of `metrics`. */
  targetsNeeding(metrics: readonly string[]): TargetInfo[] {
    const out: TargetInfo[] = [];
    for (const e of this.entries.values()) if (e.config.ok && metrics.some((m) => e.needs.has(m))) out.push(e.info);
    return out;
  }

  upsert(target: ScaleTarget): void {
    const existing = this.entries.get(target.key);
    const source = configSourceOf(target.annotations);
    if (existing && existing.configSource === source) {
      const caughtUp = existing.tickWhenNewer === true && target.resourceVersion !== existing.target.resourceVersion;
      existing.target = target;
      existing.info = infoOf(target, existing.config);
      if (caughtUp) {
        existing.tickWhenNewer = false;
        this.d.poke(target.key, 'the cache shows the last scale: deciding again');
      }
      return;
    }
    const config = parseTargetConfig(target.annotations, this.d.plugins, this.d.scalingSchema, this.d.extraKeys, this.parseCache);
    const entry: TargetEntry = existing ?? {
      target,
      info: infoOf(target, config),
      configSource: source,
      config,
      needs: new Set(),
      pluginState: new Map(),
      combineState: undefined,
      schedules: [],
      running: false,
      again: false,
    };
    entry.target = target;
    entry.configSource = source;
    entry.config = config;
    entry.info = infoOf(target, config);
    this.entries.set(target.key, entry);
    this.applyConfig(entry, existing !== undefined);
  }

  remove(key: TargetKey): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    for (const s of entry.schedules) s.dispose();
    entry.wake?.timer.cancel();
    this.entries.delete(key);
    this.d.store.forget(key);
    this.d.observer.forget(key);
  }

  clear(): void {
    for (const key of [...this.entries.keys()]) this.remove(key);
  }

  private applyConfig(entry: TargetEntry, wasKnown: boolean): void {
    for (const s of entry.schedules) s.dispose();
    entry.schedules = [];
    const { target, config } = entry;
    if (!config.ok) {
      // Keep the windows (a fix restores the target with its history); collectors skip it meanwhile.
      entry.needs = new Set();
      this.d.observer.configIssues(target.key, config.issues);
      const text = config.issues.map((i) => i.message).join('; ');
      this.d.logger.warn('invalid config; target left as it is', { target: target.key, issues: config.issues });
      if (this.d.owns(target.key)) void this.d.events.event(target, 'Warning', 'InvalidConfig', text);
      return;
    }
    this.d.observer.configIssues(target.key, []);
    if (wasKnown) this.d.logger.info('config applied', { target: target.key, policies: config.value.scaling.policies });
    const needs: MetricNeed[] = [];
    for (const { plugin, config: pc } of config.value.plugins) {
      needs.push(...(plugin.metrics?.(pc) ?? []));
      if (isSchedulingPlugin(plugin)) {
        entry.schedules.push(plugin.schedule({ target: target.ref, config: pc, clock: this.d.clock, poke: (reason) => this.d.poke(target.key, reason) }));
      }
    }
    this.d.store.setNeeds(target.key, needs);
    entry.needs = new Set(needs.map((n) => n.metric));
    for (const id of [...entry.pluginState.keys()]) if (!config.value.scaling.policies.includes(id)) entry.pluginState.delete(id);
    for (const id of [...(entry.persisted?.keys() ?? [])]) if (!config.value.scaling.policies.includes(id)) entry.persisted?.delete(id);
  }
}

function infoOf(target: ScaleTarget, config: ParseResult<TargetConfig>): TargetInfo {
  return {
    ref: target.ref,
    key: target.key,
    selector: target.selector,
    policies: config.ok ? config.value.scaling.policies : [],
    annotations: target.annotations,
  };
}
