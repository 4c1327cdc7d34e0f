import { CoreV1Api, CustomObjectsApi, PatchStrategy, setHeaderOptions, type KubeConfig, type V1Deployment } from '@kubernetes/client-node';
import { silentLogger, type Clock, type Logger, type TargetKey } from '@ebb/core';
import { parseEventGatewayConfig } from '../../config/eventgw-config.ts';
import { requestsPerPod } from '../../policy/recommend-eventgw.ts';
import { routeKeyOf, type CompiledRoutes } from '../compile-routes.ts';
import { GATEWAY_API_GROUP, type HTTPRoute } from '../gateway-api-types.ts';
import { parseRolloutConfig } from './rollout-config.ts';
import { progressRollout, type RolloutEvent, type VersionView } from './rollout-progress.ts';
import { readRolloutState, ROLLOUT_STATE_ANNOTATION, splitRuleIndex, writeRolloutState, type Split } from './rollout-state.ts';
import { weightsToPercents } from './split-change.ts';

/** What the driver reads besides the routes: fresh Deployments and the demand the gateways report. */
export interface RolloutDriverDeps {
  readonly clock: Clock;
  readonly logger?: Logger;
  /** The Deployment of a version as the watch caches it now (its Ready pods move with every scale). */
  readonly deployment: (key: TargetKey) => V1Deployment | undefined;
  /** Requests in flight to a version now (undefined: no figures). */
  readonly inFlight?: (key: TargetKey) => number | undefined;
}

/** Whether a route has rollout keys or a rollout state: the routes the driver looks at. */
export function hasRollout(route: HTTPRoute): boolean {
  return Object.keys(route.metadata?.annotations ?? {}).some((k) => k.startsWith('ebb.dev/rollout-') || k === 'serving.knative.dev/rollout-duration');
}

/**
 * The declared split of an accepted route: its split rule's weights as percents by version, undefined when a
 * backend of that rule does not resolve (no rollout then: the spec weights apply as they are).
 */
export function declaredSplit(route: HTTPRoute, compiled: CompiledRoutes): Split | undefined {
  const rules = route.spec?.rules ?? [];
  const index = splitRuleIndex(rules);
  const rule = compiled.rules.find((r) => r.route === routeKeyOf(route) && r.ruleIndex === index);
  const refs = rules[index]?.backendRefs ?? [];
  if (!rule || rule.backends.some((b) => b.key === undefined)) return undefined;
  const weights = refs.map((b, i) => ({ key: rule.backends[i]?.key ?? '', weight: b.weight ?? 1 }));
  return Object.fromEntries(weightsToPercents(weights).map((s) => [s.key, s.percent]));
}

/**
 * Applies gradual rollouts: for every accepted route with rollout keys, one {@link progressRollout} decision from
 * the cluster's state, written back to the route's `ebb.dev/rollout-state` annotation (with the route's
 * resourceVersion: a write racing a change of the route fails and the next pass decides again), and its Events
 * recorded on the route. Call {@link RolloutDriver.pass} from the one status writer only. Never throws.
 */
export class RolloutDriver {
  private readonly custom: CustomObjectsApi;
  private readonly core: CoreV1Api;
  private readonly d: RolloutDriverDeps;
  private readonly logger: Logger;
  private seq = 0;
  /** Routes whose last write failed for another reason than a conflict (warned once until a write succeeds). */
  private readonly failing = new Set<string>();

  constructor(kc: KubeConfig, deps: RolloutDriverDeps) {
    this.custom = kc.makeApiClient(CustomObjectsApi);
    this.core = kc.makeApiClient(CoreV1Api);
    this.d = deps;
    this.logger = deps.logger ?? silentLogger;
  }

  /** One decision per route with rollout keys; resolves with the number of routes written. */
  async pass(routes: readonly HTTPRoute[], compiled: CompiledRoutes): Promise<number> {
    let written = 0;
    for (const route of routes) {
      if (!hasRollout(route)) continue;
      const plan = compiled.statuses.get(routeKeyOf(route));
      const accepted = plan?.parents.some((p) => p.conditions.some((c) => c.type === 'Accepted' && c.status === 'True'));
      const declared = accepted ? declaredSplit(route, compiled) : undefined;
      if (!declared) continue;
      const parsed = parseRolloutConfig(route.metadata?.annotations ?? {});
      const config = parsed.ok ? parsed.value : { durationMs: 0, maxSurgePods: 0, progressDeadlineMs: 0 };
      const state = readRolloutState(route);
      const keys = new Set([...Object.keys(declared), ...Object.keys(state?.current ?? {})]);
      const versions = new Map<TargetKey, VersionView>([...keys].map((k) => [k, this.version(k)]));
      const next = progressRollout({ nowMs: this.d.clock.now(), config, declared, state, versions });
      const text = next.state ? writeRolloutState(next.state) : undefined;
      if (text === route.metadata?.annotations?.[ROLLOUT_STATE_ANNOTATION]) continue;
      if (!(await this.writeState(route, text))) continue;
      written++;
      for (const e of next.events) await this.event(route, e);
    }
    return written;
  }

  private version(key: TargetKey): VersionView {
    const d = this.d.deployment(key);
    const config = parseEventGatewayConfig(d?.metadata?.annotations ?? {});
    return {
      readyPods: d?.status?.readyReplicas ?? 0,
      specPods: d?.spec?.replicas ?? 0,
      perPod: config.ok ? requestsPerPod(config.value) : 1,
      inFlight: Math.max(0, this.d.inFlight?.(key) ?? 0),
    };
  }

  /** Merge-patches the state annotation (null removes it); false on a conflict or any failure. */
  private async writeState(route: HTTPRoute, text: string | undefined): Promise<boolean> {
    const meta = route.metadata;
    const body = { metadata: { resourceVersion: meta?.resourceVersion, annotations: { [ROLLOUT_STATE_ANNOTATION]: text ?? null } } };
    try {
      await this.custom.patchNamespacedCustomObject(
        { group: GATEWAY_API_GROUP, version: 'v1', namespace: meta?.namespace ?? '', plural: 'httproutes', name: meta?.name ?? '', body, fieldManager: 'ebb' },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      this.failing.delete(routeKeyOf(route));
      return true;
    } catch (e) {
      const code = (e as { code?: number }).code;
      // A conflict or a route gone: the watch brings the new state. Anything else (no RBAC: 403) is said once.
      if (code !== 409 && code !== 404 && !this.failing.has(routeKeyOf(route))) {
        this.failing.add(routeKeyOf(route));
        const hint = code === 403 ? ' (RBAC: the scaler needs patch on httproutes, see gatewayApi.enabled in the chart); the gateways keep the split the route has meanwhile' : '';
        this.logger.warn(`could not write the rollout state of a route${hint}`, { route: routeKeyOf(route), error: String(e) });
      }
      return false;
    }
  }

  /** Records a core/v1 Event on the route; failures are logged, never thrown. */
  private async event(route: HTTPRoute, e: RolloutEvent): Promise<void> {
    const now = new Date(this.d.clock.now());
    const namespace = route.metadata?.namespace ?? '';
    const name = route.metadata?.name ?? '';
    try {
      await this.core.createNamespacedEvent({
        namespace,
        body: {
          metadata: { name: `${name}.${now.getTime().toString(16)}${(this.seq++ % 4096).toString(16)}`, namespace },
          involvedObject: { apiVersion: `${GATEWAY_API_GROUP}/v1`, kind: 'HTTPRoute', name, namespace, ...(route.metadata?.uid ? { uid: route.metadata.uid } : {}) },
          type: e.type,
          reason: e.reason,
          message: e.message.length > 1000 ? `${e.message.slice(0, 997)}...` : e.message,
          source: { component: 'ebb-scaler' },
          reportingComponent: 'ebb-scaler',
          reportingInstance: 'ebb-scaler',
          firstTimestamp: now,
          lastTimestamp: now,
          count: 1,
        },
      });
    } catch (err) {
      this.logger.warn('could not record a route event', { route: `${namespace}/${name}`, reason: e.reason, error: String(err) });
    }
  }
}
