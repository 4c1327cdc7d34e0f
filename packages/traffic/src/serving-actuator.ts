import { formatIssues, silentLogger, systemClock, type Actuator, type Clock, type EventSink, type Logger, type PluginRecommendation, type ReconcileResult, type ScaleTarget, type TargetKey } from '@ebb/core';
import { activatorTargetOf, parseEventGatewayConfig } from '@ebb/plugin-eventgw';
import { ACTIVATOR_PREFIX, parseActivatorConfig, servingServiceName, type ActivatorConfig } from './activator-config.ts';
import { planEndpoints, publishedMode, type PublishedSlices } from './endpoint-plan.ts';
import { servingService, sliceEndpoints, sliceName, type OwnerDeployment } from './serving-manifests.ts';
import { demandSeenOnlyByGateway, kpaBurstFigures, targetEndpoints } from './serving-inputs.ts';
import { decideServingMode, type ServingMode } from './serving-mode.ts';
import type { ServingWatch } from './serving-watch.ts';
import type { ServingWriter } from './serving-writer.ts';

/** Dependencies of {@link ServingActuator}. */
export interface ServingActuatorDeps {
  /** The actuator it decorates (the reserve swap around the plain one). */
  readonly inner: Actuator;
  readonly watch: ServingWatch;
  readonly writer: ServingWriter;
  readonly events: EventSink;
  /** Whether this replica acts on the target now (leader election, shards). */
  readonly owns: (key: TargetKey) => boolean;
  readonly logger?: Logger;
  readonly clock?: Clock;
}

/** After a failed start of the watches (RBAC, apiserver down), the next try waits this long, ms. */
const WATCH_RETRY_MS = 10_000;

/** What the last decision of the loop said about a target, for deciding again when the cluster changes. */
interface Memo {
  target: ScaleTarget;
  desired: number;
  recommendations: readonly PluginRecommendation[] | undefined;
  mode?: ServingMode;
  reported?: string;
}

/** Why a scale to zero waits. */
export const HOLD_FOR_PROXY = 'activator: the Service is switched to the gateway (Proxy mode) before the last pod goes';

/**
 * Activator mode (Knative's ServerlessService for plain Deployments): for each target that opts in, keeps a
 * selector-less Service whose EndpointSlices list the gateway's pods (Proxy) or the target's Ready pods (Serve).
 * It decides on every tick of the loop and again on every change of the pods, the gateway or the slices (no
 * polling), and it holds a scale to zero until the slices show Proxy mode. The mode is derived from what the
 * cluster shows, so a scaler that restarts mid-switch finishes it. Writes for one target never overlap.
 */
export class ServingActuator implements Actuator {
  private readonly memo = new Map<TargetKey, Memo>();
  /** The opt-in, parsed once per object version: most targets are not in activator mode, and ticks are frequent. */
  private readonly optIn = new Map<TargetKey, { version: string; enabled: boolean }>();
  private readonly running = new Map<TargetKey, Promise<ReconcileResult>>();
  private readonly listeners: ((key: TargetKey) => void)[] = [];
  private readonly logger: Logger;
  private readonly d: ServingActuatorDeps;
  /** The watches start with the first target that opts in: a scaler without one needs no Service/EndpointSlice access. */
  private watching: Promise<void> | undefined;
  private stopped = false;
  private watchRetryAtMs = 0;

  constructor(d: ServingActuatorDeps) {
    this.d = d;
    this.logger = d.logger ?? silentLogger;
    d.watch.onChange((change) => {
      for (const [key, memo] of this.memo) {
        if (change.kind === 'namespace' && memo.target.ref.namespace !== change.namespace) continue;
        void this.serialised(key).then((r) => {
          // A scale to zero held for the switch goes on as soon as the slices show it.
          if (memo.desired === 0 && r.hold === undefined && memo.target.specReplicas > 0) this.listeners.forEach((l) => l(key));
        });
      }
    });
  }

  /** Calls `listener` with a target whose held decision may now go ahead (the loop pokes it). */
  onChange(listener: (key: TargetKey) => void): void {
    this.listeners.push(listener);
  }

  scale(target: ScaleTarget, replicas: number): Promise<void> {
    return this.d.inner.scale(target, replicas);
  }

  async reconcile(target: ScaleTarget, desired: number, recommendations?: readonly PluginRecommendation[]): Promise<ReconcileResult> {
    const inner = await this.d.inner.reconcile?.(target, desired, recommendations);
    if (!this.optedIn(target)) {
      this.memo.delete(target.key);
      return inner ?? {};
    }
    const memo = this.memo.get(target.key) ?? { target, desired, recommendations };
    Object.assign(memo, { target, desired, recommendations });
    this.memo.set(target.key, memo);
    const own = await this.serialised(target.key);
    return inner?.hold !== undefined ? inner : own;
  }

  /** Whether the target asks for activator mode (an invalid config of a target that asks is reported, not ignored). */
  private optedIn(target: ScaleTarget): boolean {
    const cached = this.optIn.get(target.key);
    if (cached?.version === target.resourceVersion) return cached.enabled;
    const asked = target.annotations[`${ACTIVATOR_PREFIX}enabled`] !== undefined;
    const parsed = asked ? parseActivatorConfig(target.annotations) : undefined;
    const enabled = parsed !== undefined && (!parsed.ok || parsed.value.enabled);
    this.optIn.set(target.key, { version: target.resourceVersion, enabled });
    return enabled;
  }

  async start(): Promise<void> {
    await this.d.inner.start?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.watching) await this.watching.catch(() => undefined);
    await this.d.watch.stop();
    await Promise.allSettled(this.running.values());
    await this.d.inner.stop?.();
  }

  /** Runs {@link apply} for a target after any run in progress for it. */
  private serialised(key: TargetKey): Promise<ReconcileResult> {
    const previous = this.running.get(key) ?? Promise.resolve({});
    const next = previous.then(() => this.apply(key)).catch((e: unknown) => {
      this.logger.error('activator: unexpected failure', { target: key, error: e instanceof Error ? e.message : String(e) });
      return {};
    });
    this.running.set(key, next);
    void next.then(() => this.running.get(key) === next && this.running.delete(key));
    return next;
  }

  private async apply(key: TargetKey): Promise<ReconcileResult> {
    const memo = this.memo.get(key);
    if (!memo || !this.d.owns(key)) return {};
    const { target, desired } = memo;
    if (this.stopped) return {};
    const clock = this.d.clock ?? systemClock;
    if (!this.watching && clock.now() < this.watchRetryAtMs) return {};
    try {
      await (this.watching ??= this.d.watch.start());
    } catch (e) {
      this.watching = undefined;
      this.watchRetryAtMs = clock.now() + WATCH_RETRY_MS;
      await this.d.watch.stop();
      await this.report(memo, 'ActivatorWatchFailed', `activator mode cannot watch Services, EndpointSlices and pods (RBAC?): ${e instanceof Error ? e.message : String(e)}`);
      return {};
    }
    const activator = parseActivatorConfig(target.annotations);
    const gateway = parseEventGatewayConfig(target.annotations);
    if (!activator.ok || !gateway.ok) {
      const issues = [...(activator.ok ? [] : activator.issues), ...(gateway.ok ? [] : gateway.issues)];
      await this.report(memo, 'InvalidActivatorConfig', `activator mode left as it is: ${formatIssues(issues)}`);
      return {};
    }
    if (!this.d.watch.gatewayConfigured()) {
      await this.report(memo, 'ActivatorNotConfigured', "activator mode needs the scaler's `activator.gatewayPods` (where the gateway's pods are); nothing is done");
      return {};
    }
    const serviceName = servingServiceName(target.ref.name, activator.value);
    const ready = await this.ensureService(memo, serviceName, activator.value);
    if (!ready) return {};
    const targetPods = targetEndpoints(target, this.d.watch.podsIn(target.ref.namespace), gateway.value.port);
    const decision = decideServingMode({
      desired,
      readyPods: targetPods.length,
      targetBurstCapacity: activator.value.targetBurstCapacity,
      burst: kpaBurstFigures(memo.recommendations),
      containerConcurrency: gateway.value.containerConcurrency,
      serveWithConcurrencyLimit: activator.value.serveWithConcurrencyLimit,
      demandSeenOnlyByGateway: demandSeenOnlyByGateway(memo.recommendations),
    });
    const plan = planEndpoints(decision.mode, this.published(target.ref.namespace, serviceName), targetPods, this.d.watch.gatewayEndpoints());
    const owner = ownerOf(target);
    for (const write of plan.writes) {
      if (!this.d.owns(key)) return {};
      try {
        await this.d.writer.writeSlice(owner, serviceName, write.slice, write.endpoints, this.d.watch.slice(owner.namespace, sliceName(serviceName, write.slice)));
      } catch (e) {
        await this.report(memo, 'ActivatorWriteFailed', `could not write EndpointSlice ${sliceName(serviceName, write.slice)}: ${e instanceof Error ? e.message : String(e)}`);
        return desired === 0 ? { hold: HOLD_FOR_PROXY } : {};
      }
    }
    memo.reported = undefined;
    if (plan.mode !== memo.mode) {
      const reason = plan.fallback ?? decision.reason;
      this.logger.info('activator mode', { target: key, mode: plan.mode, reason });
      if (memo.mode !== undefined || plan.writes.length) await this.d.events.event(target, 'Normal', 'ActivatorMode', `${plan.mode === 'serve' ? 'Serve' : 'Proxy'}: ${reason}`);
      memo.mode = plan.mode;
    }
    if (desired === 0 && target.specReplicas > 0 && publishedMode(this.published(target.ref.namespace, serviceName)) !== 'proxy') return { hold: HOLD_FOR_PROXY };
    return {};
  }

  /** The Service exists and is ours (created now if missing). False (reported) when it cannot be used. */
  private async ensureService(memo: Memo, name: string, config: ActivatorConfig): Promise<boolean> {
    const { target } = memo;
    const existing = this.d.watch.service(target.ref.namespace, name);
    try {
      if (!existing) {
        const created = await this.d.writer.createService(servingService(ownerOf(target), name, config.port), target.key);
        if (created === 'taken') {
          await this.report(memo, 'ActivatorServiceTaken', `Service ${name} exists and is not Ebb's: activator mode left off (set ebb.dev/activator.service to another name)`);
          return false;
        }
        return true;
      }
      if (activatorTargetOf(existing) !== target.key) {
        await this.report(memo, 'ActivatorServiceTaken', `Service ${name} exists and is not Ebb's for this Deployment: activator mode left off (set ebb.dev/activator.service to another name)`);
        return false;
      }
      if (existing.spec?.ports?.[0]?.port !== config.port) await this.d.writer.setServicePort(existing, config.port);
      return true;
    } catch (e) {
      await this.report(memo, 'ActivatorWriteFailed', `could not write Service ${name}: ${e instanceof Error ? e.message : String(e)}`);
      return false;
    }
  }

  private published(namespace: string, serviceName: string): PublishedSlices {
    const proxy = this.d.watch.slice(namespace, sliceName(serviceName, 'proxy'));
    const serve = this.d.watch.slice(namespace, sliceName(serviceName, 'serve'));
    return { proxy: proxy && sliceEndpoints(proxy), serve: serve && sliceEndpoints(serve) };
  }

  /** A Warning Event and a log line, once per distinct problem. */
  private async report(memo: Memo, reason: string, message: string): Promise<void> {
    if (memo.reported === message) return;
    memo.reported = message;
    this.logger.warn(message, { target: memo.target.key });
    await this.d.events.event(memo.target, 'Warning', reason, message);
  }
}

function ownerOf(target: ScaleTarget): OwnerDeployment {
  return { namespace: target.ref.namespace, name: target.ref.name, uid: target.uid };
}
