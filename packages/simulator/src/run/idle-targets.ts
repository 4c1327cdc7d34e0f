import { Metrics, parseDuration, type Clock, type TimerHandle, type ControlLoop, type MetricStore, type ScaleTarget, type TargetEntry, type TargetKey } from '@ebb/core';
import { EVENTGW_CONGESTED_METRIC, EVENTGW_DEMAND_METRIC } from '@ebb/plugin-eventgw';
import type { ClusterModel } from '../model/cluster-model.ts';
import { stateText } from './state-text.ts';
import { warmSleepUntil } from './warm-sleep.ts';

/** The metrics the modelled gateway collector records for every target each round (see `recordRound`). */
export const GATEWAY_ROUND_METRICS = [EVENTGW_DEMAND_METRIC, EVENTGW_CONGESTED_METRIC, Metrics.concurrency, Metrics.rps] as const;

/** Options of {@link IdleTargets}. */
export interface IdleTargetsOptions {
  readonly model: ClusterModel;
  readonly store: MetricStore;
  readonly clock: Clock;
  /** The configuration's annotations, for the durations they set. */
  readonly annotations: Readonly<Record<string, string>>;
  /** false: nothing ever sleeps (the reference behaviour, for comparisons). */
  readonly enabled: boolean;
}

/** How much idle targets slept in one run. */
export interface IdleStats {
  /** Times a target fell asleep. */
  readonly sleeps: number;
  /** Of them, times a target with pods fell asleep until a known instant (see `warmSleepUntil`). */
  readonly warmSleeps: number;
  /** Target-time spent asleep, ms (over all targets). */
  readonly asleepMs: number;
  /** Target-time of the run, ms: targets x span. */
  readonly targetMs: number;
}

/**
 * Policies whose decision for an idle target depends only on its metric windows, its state and pokes: the KPA,
 * the gateway policy, cron (which pokes the loop at each window's edges) and prewarm (which asks for a decision at
 * the instants its windows open and close; a poke wakes a sleeping target). Targets with any other policy (the
 * HPA, plugins loaded by name) never sleep: a policy may change its answer with time alone.
 */
export const SLEEP_SAFE_POLICIES: ReadonlySet<string> = new Set(['kpa', 'eventgw', 'cron', 'prewarm']);

/** Shortest quiet time before a target may sleep, ms: as long as the longest default window (the KPA's 60 s). */
export const MIN_QUIET_MS = 60_000;

/** Margin added to the quiet time, ms. */
const QUIET_MARGIN_MS = 30_000;

function sleepSafe(config: TargetEntry['config']): boolean {
  return config.ok && config.value.scaling.policies.every((id) => SLEEP_SAFE_POLICIES.has(id));
}

/**
 * Idle targets that cost nothing until something can change them. A target *sleeps* after a decision when
 * - it is at zero in the model (spec 0, no pod, no request in flight or queued) and the decision is 0;
 * - it has had no request in flight or queued for the quiet time: the longest of {@link MIN_QUIET_MS}, every
 *   duration written in the configuration's annotations (windows, delays, keep-alive) and every metric window's
 *   retention, plus 30 s; and its plugins' and the combination's state holds no time within the quiet time (the
 *   time the combination last wanted pods does not count at zero: the grace period it starts needs pods);
 * - the decision left that state exactly as the previous one did (a fixed point: with only zeros in the windows
 *   every further decision is the same and changes nothing);
 * - its reserve, if it has one, is at rest (every pod it has is a Ready reserve pod; the reserve Deployment is
 *   part of the state compared), and it has only policies of {@link SLEEP_SAFE_POLICIES}.
 * A *warm* target (its pods all Ready, as many as its spec, no request, no reserve) sleeps under the same fixed
 * point, but only until a known instant before its answer could change (see `warmSleepUntil`: a keep-alive's or
 * a prewarm window's end, a cron boundary), when a timer wakes it.
 * While it sleeps the loop does not tick it (`owns` is false) and the gateway collector leaves it out. It wakes
 * before its next modelled event (an arrival) and before any poke (a cron boundary): the zeros the collector
 * would have recorded are written into its windows for the retention they keep, at the rounds' times, and its
 * gateway baseline is moved to the last round; then it ticks and is collected as if it had never slept.
 */
export class IdleTargets {
  private readonly sleeping: Uint8Array;
  /** Time of the last collector round each target took part in, ms. */
  private readonly lastRoundOf: Float64Array;
  /** State text after each target's previous decision (kept only while the target is at rest). */
  private readonly previous: Array<string | undefined>;
  private readonly byKey: Map<TargetKey, number>;
  private readonly quietMs: number;
  /** Each target's quiet time (see `quietOf`), NaN until its first decision at rest. */
  private readonly quietOfTarget: Float64Array;
  private lastRoundMs = -Infinity;
  private sleepers = 0;
  private sleeps = 0;
  private warmSleeps = 0;
  private asleepMs = 0;
  private readonly sleptAt: Float64Array;
  /** Before this time a target cannot sleep (its state held a time within the quiet time), ms. */
  private readonly notBefore: Float64Array;
  private loop: ControlLoop | undefined;
  /** The wake-up of each warm target asleep (see `warmSleepUntil`). */
  private readonly alarms: Array<TimerHandle | undefined>;
  /** Called at a wake with the target's index and the last round's time (the collector moves its baseline). */
  onWake: (index: number, lastRoundMs: number) => void = () => undefined;

  private readonly o: IdleTargetsOptions;

  constructor(o: IdleTargetsOptions) {
    this.o = o;
    const n = o.model.targets.length;
    this.sleeping = new Uint8Array(n);
    this.lastRoundOf = new Float64Array(n).fill(-Infinity);
    this.sleptAt = new Float64Array(n);
    this.notBefore = new Float64Array(n);
    this.previous = new Array<string | undefined>(n);
    this.alarms = new Array<TimerHandle | undefined>(n);
    this.quietOfTarget = new Float64Array(n).fill(NaN);
    this.byKey = new Map(o.model.keys.map((k, i) => [k, i]));
    const durations = Object.values(o.annotations).map((v) => parseDuration(v.trim()) ?? 0);
    this.quietMs = Math.max(MIN_QUIET_MS, ...durations);
  }

  /** The loop whose decisions are watched (set once it exists). */
  attach(loop: ControlLoop): void {
    this.loop = loop;
  }

  /** Targets asleep now. */
  get asleep(): number {
    return this.sleepers;
  }

  /** Whether the loop decides for `key` now (false while it sleeps). */
  owns(key: TargetKey): boolean {
    const i = this.byKey.get(key);
    return i === undefined || this.sleeping[i] === 0;
  }

  isAsleep(index: number): boolean {
    return this.sleeping[index] === 1;
  }

  /** A collector round at `nowMs` recorded the awake targets. */
  roundDone(nowMs: number, recorded: readonly number[]): void {
    this.lastRoundMs = nowMs;
    for (const i of recorded) this.lastRoundOf[i] = nowMs;
  }

  /** After a decision for `target` (its state is the new one): puts it to sleep when nothing can change it. */
  decided(target: ScaleTarget, desired: number): void {
    if (!this.o.enabled) return;
    const i = this.byKey.get(target.key);
    if (i === undefined) return;
    const now = this.o.clock.now();
    const t = this.o.model.targets[i]!;
    const entry = this.loop?.registry.get(target.key);
    const still = target.specReplicas === desired && t.spec === desired && t.inFlight === 0 && t.queued === 0;
    // At zero, with at most its reserve's pods, all Ready (the swap at rest).
    const idle = still && desired === 0 && t.d.pods.pods.every((p) => p.kind === 'reserve' && p.ready && !p.terminating);
    // Or warm: its pods all Ready, no request, until an instant known ahead (see `warmSleepUntil`).
    const warm = still && desired > 0 && !idle && entry !== undefined && this.warmAtRest(i, target, entry);
    if (!entry || !(idle || warm) || (idle && now - t.lastActiveMs < this.quietMs) || !sleepSafe(entry.config)) {
      this.previous[i] = undefined;
      return;
    }
    // Quiet: the longest duration configured and the longest window kept, plus a margin.
    const quietMs = this.quietOf(i, target.key);
    const untilMs = warm ? warmSleepUntil(entry, now, t.lastActiveMs, now - t.lastActiveMs >= quietMs) : undefined;
    if (warm && untilMs === undefined) {
      this.previous[i] = undefined;
      return;
    }
    if ((idle && now - t.lastActiveMs < quietMs) || now < this.notBefore[i]!) {
      this.previous[i] = undefined;
      return;
    }
    const reserve = this.o.model.reserveApi.get(target.ref.namespace, `${target.ref.name}-reserve`);
    // A warm target's combination state holds the decision's time (it wanted pods now): the same at every tick; a
    // request that waited at zero before its pods came up no longer counts. At zero, the time pods were last
    // wanted does not count either: the grace period it starts applies only to a target with pods.
    const combineState = { ...(entry.combineState as object), lastActiveMs: warm ? 'now' : 'at zero' };
    const waiting = warm && (entry.requestWaitingUntilMs ?? Infinity) < now ? 'past' : entry.requestWaitingUntilMs;
    const state = stateText([entry.pluginState, combineState, entry.persisted, waiting, entry.tickWhenNewer === true, entry.scaledFromVersion, reserve]);
    if (state.latestTimeMs >= now - quietMs) {
      // Not before that time is quiet too: the state is not written out again until then (it only sleeps later).
      this.notBefore[i] = state.latestTimeMs + quietMs;
      this.previous[i] = undefined;
      return;
    }
    const fixed = this.previous[i] === state.text;
    this.previous[i] = state.text;
    if (!fixed || this.lastRoundOf[i] !== this.lastRoundMs) return;
    this.sleeping[i] = 1;
    this.sleepers++;
    this.sleeps++;
    this.sleptAt[i] = now;
    if (!warm) return;
    this.warmSleeps++;
    this.alarms[i] = this.o.clock.setTimeout(() => this.wake(i), untilMs! - now);
  }

  /** The target's quiet time, ms (its windows' retention is set once its config is parsed, and a run never changes it). */
  private quietOf(i: number, key: TargetKey): number {
    let ms = this.quietOfTarget[i]!;
    if (Number.isNaN(ms)) {
      ms = Math.max(this.quietMs, ...GATEWAY_ROUND_METRICS.map((m) => this.o.store.retentionMs(key, m))) + QUIET_MARGIN_MS;
      this.quietOfTarget[i] = ms;
    }
    return ms;
  }

  /** A warm target at rest: its standard pods all Ready, as many as its spec, no reserve; the combination wanted pods now. */
  private warmAtRest(i: number, target: ScaleTarget, entry: TargetEntry): boolean {
    const t = this.o.model.targets[i]!;
    const pods = t.d.pods.pods;
    if (pods.length !== t.spec || !pods.every((p) => p.kind === 'standard' && p.ready && !p.terminating)) return false;
    if (this.o.model.reserveApi.has(target.ref.name)) return false;
    const combine = entry.combineState as { lastActiveMs?: unknown } | undefined;
    return combine?.lastActiveMs === this.o.clock.now();
  }

  /** Wakes the target `index` (before its event or a poke): fills its windows with the rounds it missed. */
  wake(index: number): void {
    if (this.sleeping[index] === 0) return;
    this.sleeping[index] = 0;
    this.sleepers--;
    this.alarms[index]?.cancel();
    this.alarms[index] = undefined;
    this.asleepMs += this.o.clock.now() - this.sleptAt[index]!;
    this.previous[index] = undefined;
    const key = this.o.model.keys[index]!;
    const from = this.lastRoundOf[index]!;
    const last = this.lastRoundMs;
    const needs = this.loop?.registry.get(key)?.needs;
    for (const metric of GATEWAY_ROUND_METRICS) {
      // The collector records only what the target's plugins read (see `modelledGatewayCollector`).
      if (needs && !needs.has(metric)) continue;
      const keep = this.o.store.retentionMs(key, metric);
      // Rounds are 1 s apart: only those still inside the window's retention are written.
      const first = Math.max(from + 1000, last - Math.ceil(keep / 1000) * 1000);
      for (let r = first; r <= last; r += 1000) this.o.store.record(key, metric, 0, r);
    }
    this.lastRoundOf[index] = last;
    this.onWake(index, last);
  }

  /** What slept, at the end of a run of `spanMs` ending at `endMs` (targets still asleep count until then). */
  stats(spanMs: number, endMs: number): IdleStats {
    let asleepMs = this.asleepMs;
    for (let i = 0; i < this.sleeping.length; i++) if (this.sleeping[i] === 1) asleepMs += Math.max(0, endMs - this.sleptAt[i]!);
    return { sleeps: this.sleeps, warmSleeps: this.warmSleeps, asleepMs, targetMs: spanMs * this.sleeping.length };
  }

  /** Wakes the target with `key`, if it sleeps. */
  wakeKey(key: TargetKey): void {
    const i = this.byKey.get(key);
    if (i !== undefined) this.wake(i);
  }
}
