import type { V1Deployment } from '@kubernetes/client-node';
import type { Clock } from '../contracts/clock.ts';
import type { Actuator, EventSink, ReconcileResult, ScaleTarget } from '../contracts/cluster.ts';
import type { ParseResult } from '../contracts/config.ts';
import { EbbError, ErrorCodes } from '../contracts/errors.ts';
import { silentLogger, type Logger } from '../contracts/observe.ts';
import type { TargetKey } from '../contracts/target.ts';
import { errorText, httpStatus } from '../kube/actuator.ts';
import type { ReserveClient } from './reserve-client.ts';
import { parseReserveConfig, type ReserveConfig } from './reserve-config.ts';
import { RESERVE_ROLE, RESERVE_ROLE_LABEL, reserveDeployment, reserveHash, reserveName } from './reserve-manifest.ts';
import { noopReserveObserver, type ReserveObserver } from './reserve-observer.ts';
import type { ReserveView } from './reserve-view.ts';
import type { ReserveWatch } from './reserve-watch.ts';
import { actionEvent, FOREIGN_RESERVE, stillPending, swapConfig, swapReserve, swapTarget, type PendingWrite } from './swap-inputs.ts';
import { planSwap, type ReservePhase, type SwapPlan } from './swap-plan.ts';

/** Dependencies of {@link ReserveActuator}. */
export interface ReserveActuatorDeps {
  /** The plain actuator that scales targets (the scale subresource). */
  readonly inner: Actuator;
  readonly client: ReserveClient;
  readonly watch: ReserveWatch;
  readonly clock: Clock;
  /** Events are recorded on the target Deployment. */
  readonly events: EventSink;
  readonly logger?: Logger;
  readonly observer?: ReserveObserver;
  /** How long a write of ours may stay invisible in the caches before the swap decides again, in ms (default 10 000). */
  readonly settleTimeoutMs?: number;
  /** How long a name found taken (create answered 409) is left alone before creating again, in ms (default 30 000). */
  readonly conflictRetryMs?: number;
}

/** What the swap remembers per target: only bookkeeping, never the state of the swap itself. */
interface Memo {
  pending?: PendingWrite;
  /** The target Deployment (for its template), fetched for the ScaleTarget resourceVersion `version`. */
  template?: { version: string; deployment: V1Deployment };
  /** The reserve hash of that template and shape (hashing a whole pod spec on every tick would dominate it). */
  hash?: { deployment: V1Deployment; shape: ReserveConfig['shape']; value: string };
  /** The problem last reported, so each is reported once. */
  reported?: string;
  /** The config issues last reported. */
  configReported?: string;
  phase?: ReservePhase;
  /** The last decision's hold, for the target version and desired count it was made for. */
  decided?: { version: string; desired: number; hold: string | undefined };
  /** Until when a taken name is left alone (ms). */
  conflictUntilMs?: number;
  seenMs: number;
}

/** Everything one decision found, for reporting and acting on it. */
interface Decision {
  readonly plan: SwapPlan;
  readonly memo: Memo;
  readonly config: ParseResult<ReserveConfig>;
  readonly view: ReserveView | undefined;
  readonly deployment: V1Deployment | undefined;
}

/** Forget targets not ticked for this long (deleted, or moved to another shard), in ms. */
const FORGET_AFTER_MS = 600_000;

/**
 * An {@link Actuator} decorator that keeps a reserve Deployment `<name>-reserve` instead of letting a target with
 * `ebb.dev/reserve: "true"` go to zero, and swaps back when demand returns (see `swap-plan.ts` for the state
 * machine and its guarantees, README.md for the annotations). On every tick `reconcile` derives the swap's state
 * from the caches only (the target from the loop, the reserve from {@link ReserveWatch}; the target's template is
 * read again only when its resourceVersion changed), takes at most one step, and holds the loop's scale to zero
 * until the reserve is Ready. Targets without a reserve pass straight through.
 */
export class ReserveActuator implements Actuator {
  private readonly d: Required<Omit<ReserveActuatorDeps, 'logger' | 'observer'>> & { logger: Logger; observer: ReserveObserver };
  private readonly memos = new Map<TargetKey, Memo>();
  private readonly configs = new WeakMap<object, ParseResult<ReserveConfig>>();
  private lastSweepMs = 0;

  constructor(deps: ReserveActuatorDeps) {
    this.d = { logger: silentLogger, observer: noopReserveObserver, settleTimeoutMs: 10_000, conflictRetryMs: 30_000, ...deps };
  }

  async start(): Promise<void> {
    await this.d.watch.start();
  }

  async stop(): Promise<void> {
    await this.d.watch.stop();
  }

  /** Scales the target; refuses to go to zero while the swap holds (a safety net: the loop asks `reconcile` first). */
  async scale(target: ScaleTarget, replicas: number): Promise<void> {
    if (replicas === 0) {
      const decided = this.memos.get(target.key)?.decided;
      const hold = decided?.version === target.resourceVersion && decided.desired === 0 ? decided.hold : (await this.decide(target, 0))?.plan.hold;
      if (hold !== undefined) throw new EbbError(ErrorCodes.SCALE_FAILED, `not scaling ${target.key} to zero: ${hold}`);
    }
    await this.d.inner.scale(target, replicas);
    const memo = this.memos.get(target.key);
    if (memo) memo.pending = { ...memo.pending, target: target.resourceVersion, atMs: this.d.clock.now() };
  }

  async reconcile(target: ScaleTarget, desired: number): Promise<ReconcileResult> {
    this.sweep();
    let decision: Decision | undefined;
    try {
      decision = await this.decide(target, desired);
      if (!decision) return {};
      decision.memo.decided = { version: target.resourceVersion, desired, hold: decision.plan.hold };
      await this.report(target, decision);
      if (decision.plan.action) await this.execute(target, decision);
      return decision.plan.hold === undefined ? {} : { hold: decision.plan.hold };
    } catch (e) {
      this.d.logger.error('reserve step failed', { target: target.key, error: errorText(e) });
      return desired === 0 ? { hold: `reserve step failed: ${errorText(e)}` } : {};
    }
  }

  /** Derives the swap's state from the caches and plans; undefined for a target that has nothing to do with a reserve. */
  private async decide(target: ScaleTarget, desired: number): Promise<Decision | undefined> {
    const config = this.configOf(target);
    const view = this.d.watch.get(target.ref.namespace, reserveName(target.ref.name));
    const now = this.d.clock.now();
    let memo = this.memos.get(target.key);
    const conflict = memo?.conflictUntilMs !== undefined && now < memo.conflictUntilMs;
    if (config.ok && !config.value.enabled && !view && !conflict) {
      if (memo) this.forget(target.key);
      return undefined;
    }
    if (!memo) this.memos.set(target.key, (memo = { seenMs: now }));
    memo.seenMs = now;
    let deployment: V1Deployment | undefined;
    let hash: string | undefined;
    if (config.ok && config.value.enabled && (view || desired === 0)) {
      deployment = await this.targetDeployment(target, memo);
      const shape = config.value.shape;
      if (memo.hash?.deployment !== deployment || memo.hash.shape !== shape) memo.hash = { deployment, shape, value: reserveHash(deployment, shape) };
      hash = memo.hash.value;
    }
    const reserve = view ? swapReserve(view, target, hash, now) : conflict ? FOREIGN_RESERVE : undefined;
    const settling = stillPending(memo.pending, target, view, now, this.d.settleTimeoutMs);
    if (!settling) delete memo.pending;
    const plan = planSwap({ desired, target: swapTarget(target), config: swapConfig(config), ...(reserve ? { reserve } : {}), settling });
    return { plan, memo, config, view, deployment };
  }

  /** Phase metric and log, config problems and swap problems (each once), as Events on the target. */
  private async report(target: ScaleTarget, { plan, memo, config, view }: Decision): Promise<void> {
    const { observer, logger, events } = this.d;
    observer.phase(target.key, plan.phase);
    if (plan.phase !== memo.phase) logger.info('reserve phase', { target: target.key, from: memo.phase ?? 'none', to: plan.phase, ...(plan.hold ? { hold: plan.hold } : {}) });
    memo.phase = plan.phase;
    const issues = config.ok ? undefined : config.issues.map((i) => i.message).join('; ');
    if (issues !== undefined && issues !== memo.configReported) {
      logger.warn('invalid reserve config; target does not go to zero', { target: target.key, issues });
      await events.event(target, 'Warning', 'InvalidReserveConfig', `${issues}; ${target.ref.name} does not go to zero until this is fixed`);
    }
    memo.configReported = issues;
    const problem = plan.problem;
    const signature = problem ? `${problem.reason}/${view?.uid ?? ''}/${view?.requestedAtMs ?? ''}` : undefined;
    if (signature === memo.reported) return;
    memo.reported = signature;
    observer.notReady(target.key, problem?.reason === 'ReserveNotReady');
    if (!problem) return;
    const reserve = reserveName(target.ref.name);
    let message = `reserve ${reserve}: ${problem.message}`;
    if (problem.reason === 'ReserveNotReady') {
      const selector = [...Object.entries(target.selector), [RESERVE_ROLE_LABEL, RESERVE_ROLE]].map(([k, v]) => `${k}=${v}`).join(',');
      const why = await this.d.client.podProblems(target.ref.namespace, selector, 3).catch((e: unknown) => [`pods could not be listed: ${errorText(e)}`]);
      const outcome =
        plan.action?.kind === 'scale-target'
          ? `${target.ref.name} is scaled to ${plan.action.replicas} until the reserve is Ready`
          : `${target.ref.name} stays up with ${target.specReplicas} replica${target.specReplicas === 1 ? '' : 's'} and does not go to zero`;
      message = `${message}; ${outcome}${why.length ? `; ${why.join('; ')}` : '; no pods found'}`;
    }
    logger.warn('reserve problem', { target: target.key, reason: problem.reason, message });
    await events.event(target, 'Warning', problem.reason, message);
  }

  /** Takes the plan's one step, records what the caches must show before the next decision, and reports it. */
  private async execute(target: ScaleTarget, { plan, memo, config, view, deployment }: Decision): Promise<void> {
    const action = plan.action;
    if (!action) return;
    const { namespace, name } = target.ref;
    const reserve = reserveName(name);
    const now = this.d.clock.now();
    const writtenFrom: PendingWrite = action.kind === 'scale-target' ? { target: target.resourceVersion, atMs: now } : { reserve: view?.resourceVersion ?? null, atMs: now };
    try {
      switch (action.kind) {
        case 'create':
        case 'update': {
          if (!deployment || !config.ok) return;
          const body = reserveDeployment(deployment, config.value.shape, action.replicas, now);
          if (action.kind === 'update' && view) {
            body.metadata = { ...body.metadata, resourceVersion: view.resourceVersion };
            await this.d.client.replace(body);
          } else await this.d.client.create(body);
          break;
        }
        case 'scale-reserve':
          if (!view) return;
          await this.d.client.scale(namespace, reserve, action.replicas, view.resourceVersion, action.replicas > 0 ? now : undefined);
          break;
        case 'delete-reserve':
          if (!view) return;
          await this.d.client.remove(namespace, reserve, view.uid);
          break;
        case 'scale-target':
          await this.d.inner.scale(target, action.replicas);
          break;
      }
    } catch (e) {
      this.d.observer.action(target.key, action.kind, 'error');
      if (httpStatus(e) === 409 && action.kind === 'create') {
        memo.conflictUntilMs = now + this.d.conflictRetryMs;
        this.d.logger.warn('reserve name taken', { target: target.key, reserve, error: errorText(e) });
        return;
      }
      // A conflict on an update, scale or delete: the cache was behind; the next tick decides again.
      if (httpStatus(e) === 409 || httpStatus(e) === 404) {
        this.d.logger.debug('reserve write raced; deciding again next tick', { target: target.key, action: action.kind, error: errorText(e) });
        return;
      }
      throw e;
    }
    memo.pending = { ...memo.pending, ...writtenFrom };
    this.d.observer.action(target.key, action.kind, 'ok');
    const ev = actionEvent(action, target, reserve);
    this.d.logger.info('reserve step', { target: target.key, action: action.kind, ...('replicas' in action ? { replicas: action.replicas } : {}), phase: plan.phase });
    await this.d.events.event(target, ev.type, ev.reason, ev.message);
  }

  /** Parsed reserve settings, once per annotations object (a new one comes with each new resourceVersion). */
  private configOf(target: ScaleTarget): ParseResult<ReserveConfig> {
    let parsed = this.configs.get(target.annotations);
    if (!parsed) this.configs.set(target.annotations, (parsed = parseReserveConfig(target.annotations)));
    return parsed;
  }

  /** The target Deployment for its template: read again only when the target's resourceVersion changed. */
  private async targetDeployment(target: ScaleTarget, memo: Memo): Promise<V1Deployment> {
    if (memo.template?.version === target.resourceVersion) return memo.template.deployment;
    const deployment = await this.d.client.readTarget(target.ref.namespace, target.ref.name);
    memo.template = { version: target.resourceVersion, deployment };
    return deployment;
  }

  private forget(key: TargetKey): void {
    this.memos.delete(key);
    this.d.observer.forget(key);
  }

  /** Drops bookkeeping (and metric series) of targets not ticked for a while. */
  private sweep(): void {
    const now = this.d.clock.now();
    if (now - this.lastSweepMs < 60_000) return;
    this.lastSweepMs = now;
    for (const [key, memo] of this.memos) if (now - memo.seenMs > FORGET_AFTER_MS) this.forget(key);
  }
}
