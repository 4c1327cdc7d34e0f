import type { KubeConfig } from '@kubernetes/client-node';
import { silentLogger, systemClock, type Clock, type Logger, type TargetFloor, type TargetFloors, type TargetKey, type TargetReachability, type TimerHandle } from '@ebb/core';
import { RolloutDriver } from './rollout/rollout-driver.ts';
import { changedFloors, rolloutFloors } from './rollout/rollout-floors.ts';
import { readRolloutState, type RolloutState } from './rollout/rollout-state.ts';
import { routeKeyOf } from './compile-routes.ts';
import { changedTargets, unreachableTargets } from './route-reachability.ts';
import { RouteStatusWriter } from './route-status-writer.ts';
import { KubeRouteWatch, type RouteSnapshot } from './route-watch.ts';

/** How often the status writer checks every route again (a new leader, a write that failed), ms. */
const STATUS_RESYNC_MS = 30_000;

/** How often the status writer takes the rollout decisions (time steps, Ready pods, deadlines), ms. */
const ROLLOUT_PERIOD_MS = 1000;

/** Options of {@link RouteController}. */
export interface RouteControllerOptions {
  /** Namespaces to watch; empty or absent = all. */
  readonly namespaces?: readonly string[];
  /** Whether this replica writes route status now (the one writer: the scaler's leader). */
  readonly writesStatus: () => boolean;
  /** Requests in flight to a version now (a rollout step prepares the pods of its share of them). */
  readonly inFlight?: (key: TargetKey) => number | undefined;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

/**
 * The scaler's side of HTTPRoutes: the same watch and compilation as the gateway's, turned into which targets
 * are reachable (for the control loop) and into route status (written by the leader only, only where it
 * differs). Never fails the scaler: without the Gateway API CRDs (or the right to read them) every target is
 * reachable and nothing is written. The status writer also drives gradual rollouts (see {@link RolloutDriver});
 * every replica applies the floors the routes' rollout states hold.
 */
export class RouteController implements TargetReachability, TargetFloors {
  private readonly watch: KubeRouteWatch;
  private readonly writer: RouteStatusWriter;
  private readonly driver: RolloutDriver;
  private floors: ReadonlyMap<TargetKey, TargetFloor> = new Map();
  private rolling: Promise<void> | undefined;
  private rolloutTimer: TimerHandle | undefined;
  private readonly o: RouteControllerOptions;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private unreachable: ReadonlySet<TargetKey> = new Set();
  private snapshot: RouteSnapshot | undefined;
  private writing: Promise<void> | undefined;
  private again = false;
  private resync: TimerHandle | undefined;
  private retry: TimerHandle | undefined;
  private stopped = false;
  private readonly listeners = new Set<(changed: readonly TargetKey[]) => void>();

  constructor(kc: KubeConfig, options: RouteControllerOptions) {
    this.o = options;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.watch = new KubeRouteWatch(kc, { ...(options.namespaces ? { namespaces: options.namespaces } : {}), clock: this.clock, logger: this.logger });
    this.writer = new RouteStatusWriter(kc, { clock: this.clock, logger: this.logger });
    this.driver = new RolloutDriver(kc, { clock: this.clock, logger: this.logger, deployment: (k) => this.watch.deployment(k), ...(options.inFlight ? { inFlight: options.inFlight } : {}) });
  }

  floor(key: TargetKey): TargetFloor | undefined {
    return this.floors.get(key);
  }

  reachable(key: TargetKey): boolean {
    return !this.unreachable.has(key);
  }

  /** Targets no route reaches now, sorted. */
  unreachableTargets(): TargetKey[] {
    return [...this.unreachable].sort();
  }

  /** The routes with a rollout state now (`namespace/name`, sorted), from the newest snapshot. */
  rollouts(): Array<{ route: string; state: RolloutState }> {
    return (this.snapshot?.routes ?? []).flatMap((r) => {
      const state = readRolloutState(r);
      return state ? [{ route: routeKeyOf(r), state }] : [];
    }).sort((a, b) => a.route.localeCompare(b.route));
  }

  /** Calls `listener` with the targets whose reachability or rollout floor changed (to decide for them at once). */
  onChange(listener: (changed: readonly TargetKey[]) => void): void {
    this.listeners.add(listener);
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.startWatch();
    this.scheduleResync();
    this.scheduleRollouts();
  }

  /** Starts the watch; on failure every target stays reachable and the watch is tried again 30 s later. */
  private async startWatch(): Promise<void> {
    try {
      await this.watch.start((s) => this.apply(s));
    } catch (e) {
      this.logger.warn('HTTPRoutes are not watched: every target counts as reachable (trying again in 30 s)', { error: String(e) });
      this.retry = this.clock.setTimeout(() => void (this.stopped || this.startWatch()), STATUS_RESYNC_MS);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.resync?.cancel();
    this.retry?.cancel();
    this.rolloutTimer?.cancel();
    await this.watch.stop();
    await this.writing;
    await this.rolling;
  }

  private apply(s: RouteSnapshot): void {
    this.snapshot = s;
    const next = unreachableTargets(s.compiled, s.deployments);
    const changed = changedTargets(this.unreachable, next);
    this.unreachable = next;
    if (changed.length) this.logger.info('route reachability changed', { unreachable: [...next].sort(), changed });
    const floors = rolloutFloors(s.routes);
    const moved = changedFloors(this.floors, floors);
    this.floors = floors;
    const poke = [...new Set([...changed, ...moved])].sort();
    if (poke.length) for (const l of this.listeners) l(poke);
    this.writeStatus();
    this.driveRollouts();
  }

  /** One rollout pass over the newest snapshot (status writer only), one at a time. */
  private driveRollouts(): void {
    if (this.stopped || this.rolling || !this.snapshot || !this.o.writesStatus()) return;
    const { routes, compiled } = this.snapshot;
    this.rolling = this.driver.pass(routes, compiled).then(
      () => void (this.rolling = undefined),
      () => void (this.rolling = undefined),
    );
  }

  private scheduleRollouts(): void {
    if (this.stopped) return;
    this.rolloutTimer = this.clock.setTimeout(() => {
      this.driveRollouts();
      this.scheduleRollouts();
    }, ROLLOUT_PERIOD_MS);
  }

  /** Writes status from the newest snapshot; one write pass at a time, another after it when asked meanwhile. */
  private writeStatus(): void {
    if (this.stopped || !this.snapshot || !this.o.writesStatus()) return;
    if (this.writing) {
      this.again = true;
      return;
    }
    const snapshot = this.snapshot;
    this.writing = this.writer.write(snapshot).then(() => {
      this.writing = undefined;
      if (this.again) {
        this.again = false;
        this.writeStatus();
      }
    });
  }

  private scheduleResync(): void {
    if (this.stopped) return;
    this.resync = this.clock.setTimeout(() => {
      this.writeStatus();
      this.scheduleResync();
    }, STATUS_RESYNC_MS);
  }
}
