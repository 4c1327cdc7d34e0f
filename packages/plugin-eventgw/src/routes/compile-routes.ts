import type { TargetKey, TargetRef } from '@ebb/core';
import {
  EBB_GATEWAY_CONTROLLER,
  GATEWAY_API_GROUP,
  type DeploymentView,
  type Gateway,
  type GatewayClass,
  type HTTPRoute,
  type HTTPRouteRule,
  type ParentReference,
  type RouteCondition,
  type RouteKey,
  type RouteParentStatus,
  type ServiceView,
} from './gateway-api-types.ts';
import { attachToGateway, refersToGateway } from './route-parents.ts';
import { resolveBackend, type ResolvedBackend, type UnresolvedBackend } from './resolve-backend.ts';
import { unsupportedFields } from './unsupported-fields.ts';
import { rolloutCondition } from './rollout/rollout-condition.ts';
import { effectiveWeights, readRolloutState, splitRuleIndex, type RolloutState } from './rollout/rollout-state.ts';

/** What the routes are compiled from: the cluster's Gateway API objects, Services and watched Deployments. */
export interface RouteWorld {
  readonly gatewayClasses: readonly GatewayClass[];
  readonly gateways: readonly Gateway[];
  readonly routes: readonly HTTPRoute[];
  readonly services: readonly ServiceView[];
  readonly deployments: readonly DeploymentView[];
  /** Default {@link EBB_GATEWAY_CONTROLLER}. */
  readonly controllerName?: string;
}

/** One weighted backend of a rule; `key` undefined: it does not resolve (its share is answered with 500). */
export interface CompiledBackend {
  readonly key: TargetKey | undefined;
  readonly weight: number;
}

/** A path and header match of a rule (header names lower-case). */
export interface CompiledMatch {
  readonly pathType: 'PathPrefix' | 'Exact';
  /** Starts with `/`; a prefix without trailing `/` (except `/`). */
  readonly path: string;
  readonly headers: ReadonlyArray<{ readonly name: string; readonly value: string }>;
}

/** One rule of an accepted route, ready for request matching. */
export interface CompiledRule {
  readonly route: RouteKey;
  /** Rank of the route among all routes: older first, then by namespace/name (the API's tie-break). */
  readonly routeRank: number;
  readonly ruleIndex: number;
  /** Lower-case hostnames, wildcards, or `*` for any host. */
  readonly hostnames: readonly string[];
  readonly matches: readonly CompiledMatch[];
  readonly backends: readonly CompiledBackend[];
}

/** A Deployment that accepted routes send requests to, and the pod port their Service names. */
export interface RouteBackendTarget {
  readonly ref: TargetRef;
  readonly key: TargetKey;
  readonly podPort: number;
  /** The Service of the first backendRef that names it. */
  readonly service: string;
}

/** The status Ebb owns on one route: its entries for parents that are Ebb Gateways. */
export interface RouteStatusPlan {
  readonly namespace: string;
  readonly name: string;
  readonly parents: readonly RouteParentStatus[];
}

/** Everything the gateway and the scaler need from the routes. */
export interface CompiledRoutes {
  readonly rules: readonly CompiledRule[];
  /** Resolved backends of accepted routes, by target. */
  readonly backends: ReadonlyMap<TargetKey, RouteBackendTarget>;
  /** Targets some rule of an accepted route sends a share of its requests to (weight > 0). */
  readonly reachable: ReadonlySet<TargetKey>;
  /** Targets an accepted route references (whether or not it gets traffic). */
  readonly referenced: ReadonlySet<TargetKey>;
  /** Ebb's status entries per route (routes with no Ebb parent are absent). */
  readonly statuses: ReadonlyMap<RouteKey, RouteStatusPlan>;
  /** Accepted routes per listener of each Ebb Gateway (`namespace/name` -> listener name -> count). */
  readonly attachedRoutes: ReadonlyMap<string, ReadonlyMap<string, number>>;
}

function condition(type: string, ok: boolean, reason: string, message: string, generation: number | undefined): RouteCondition {
  return { type, status: ok ? 'True' : 'False', reason, message, ...(generation !== undefined ? { observedGeneration: generation } : {}) };
}

function createdMs(r: HTTPRoute): number {
  const t = r.metadata?.creationTimestamp;
  const ms = t === undefined ? NaN : new Date(t).getTime();
  return Number.isFinite(ms) ? ms : 0;
}

const keyOf = (r: ResolvedBackend | UnresolvedBackend | undefined): TargetKey | undefined => (r?.ok ? r.key : undefined);

/** The route's rollout state and the versions of its split rule (whose rules route with the effective split). */
interface EffectiveSplit {
  readonly state: RolloutState | undefined;
  readonly keys: ReadonlySet<TargetKey> | undefined;
}

function compileRule(rule: HTTPRouteRule, routeKey: RouteKey, routeRank: number, ruleIndex: number, hostnames: readonly string[], resolved: ReadonlyArray<ResolvedBackend | UnresolvedBackend>, split: EffectiveSplit): CompiledRule {
  const matches = (rule.matches?.length ? rule.matches : [{}]).map((m) => {
    const raw = m.path?.value ?? '/';
    const pathType = m.path?.type === 'Exact' ? 'Exact' : 'PathPrefix';
    const path = pathType === 'PathPrefix' ? raw.replace(/\/+$/, '') || '/' : raw;
    const headers = (m.headers ?? []).map((h) => ({ name: (h.name ?? '').toLowerCase(), value: h.value ?? '' }));
    return { pathType, path, headers } as const;
  });
  const refs = rule.backendRefs ?? [];
  const keys = refs.map((_, i) => keyOf(resolved[i]));
  const weights = effectiveWeights(keys, refs.map((b) => b.weight ?? 1), split.keys, split.state);
  const backends = keys.map((key, i) => ({ key, weight: weights[i] ?? 0 }));
  return { route: routeKey, routeRank, ruleIndex, hostnames, matches, backends };
}

/**
 * Compiles the HTTPRoutes attached to Gateways of the Ebb GatewayClass (controllerName `ebb.dev/gateway`) into
 * the gateway's rules, the targets they reach, and the route status Ebb owns. Pure: the same world gives the same
 * result. A route is accepted when at least one of its Ebb parents accepts it and it uses only supported fields
 * (otherwise Accepted False with UnsupportedValue naming each field: it is refused whole, never half-applied).
 * Backends that do not resolve keep their weight: their share of requests gets 500, as the API specifies.
 */
export function compileRoutes(world: RouteWorld): CompiledRoutes {
  const controller = world.controllerName ?? EBB_GATEWAY_CONTROLLER;
  const ours = new Set(world.gatewayClasses.filter((c) => c.spec?.controllerName === controller).map((c) => c.metadata?.name ?? ''));
  const gateways = new Map(world.gateways.filter((g) => ours.has(g.spec?.gatewayClassName ?? '')).map((g) => [`${g.metadata?.namespace ?? ''}/${g.metadata?.name ?? ''}`, g]));
  const services = new Map(world.services.map((s) => [`${s.namespace}/${s.name}`, s]));
  const routes = [...world.routes].sort((a, b) => createdMs(a) - createdMs(b) || routeKeyOf(a).localeCompare(routeKeyOf(b)));
  const rules: CompiledRule[] = [];
  const backends = new Map<TargetKey, RouteBackendTarget>();
  const reachable = new Set<TargetKey>();
  const referenced = new Set<TargetKey>();
  const statuses = new Map<RouteKey, RouteStatusPlan>();
  const attachedRoutes = new Map<string, Map<string, number>>();
  routes.forEach((route, rank) => {
    const namespace = route.metadata?.namespace ?? '';
    const key = routeKeyOf(route);
    const generation = route.metadata?.generation;
    const parents: Array<{ ref: ParentReference; gateway: Gateway }> = [];
    for (const ref of route.spec?.parentRefs ?? []) {
      const gateway = refersToGateway(ref) ? gateways.get(`${ref.namespace ?? namespace}/${ref.name}`) : undefined;
      if (gateway) parents.push({ ref, gateway });
    }
    if (parents.length === 0) return;
    const specRules = route.spec?.rules ?? [];
    const resolved = specRules.map((r) => (r.backendRefs ?? []).map((b) => resolveBackend(b, namespace, services, world.deployments)));
    const failures = resolved.flat().filter((r): r is UnresolvedBackend => !r.ok);
    const resolvedRefs = failures.length
      ? condition('ResolvedRefs', false, failures[0]?.reason ?? 'BackendNotFound', failures.map((f) => f.message).join('; '), generation)
      : condition('ResolvedRefs', true, 'ResolvedRefs', 'all backendRefs resolved', generation);
    const unsupported = unsupportedFields(route);
    const hostnames = new Set<string>();
    const statusParents: RouteParentStatus[] = parents.map(({ ref, gateway }) => {
      const attachment = attachToGateway(ref, gateway, namespace, route.spec?.hostnames ?? []);
      let accepted: RouteCondition;
      if (!attachment.accepted) accepted = condition('Accepted', false, attachment.reason, attachment.message, generation);
      else if (unsupported.length) accepted = condition('Accepted', false, 'UnsupportedValue', `route refused: ${unsupported.map((u) => u.message).join('; ')}`, generation);
      else {
        accepted = condition('Accepted', true, 'Accepted', 'route accepted by the Ebb gateway', generation);
        for (const h of attachment.hostnames) hostnames.add(h);
        const gwKey = `${gateway.metadata?.namespace ?? ''}/${gateway.metadata?.name ?? ''}`;
        const counts = attachedRoutes.get(gwKey) ?? new Map<string, number>();
        for (const l of attachment.listeners) counts.set(l, (counts.get(l) ?? 0) + 1);
        attachedRoutes.set(gwKey, counts);
      }
      const rollout = accepted.status === 'True' ? rolloutCondition(route, generation) : undefined;
      return { parentRef: { ...ref, group: ref.group ?? GATEWAY_API_GROUP, kind: ref.kind ?? 'Gateway' }, controllerName: controller, conditions: [accepted, resolvedRefs, ...(rollout ? [rollout] : [])] };
    });
    statuses.set(key, { namespace, name: route.metadata?.name ?? '', parents: statusParents });
    // A refused route routes nothing and makes no version unreachable (a typo must not scale a version down).
    if (hostnames.size === 0) return;
    for (const r of resolved.flat()) if (r.ok) referenced.add(r.key);
    const hosts = [...hostnames].sort();
    const splitResolved = resolved[splitRuleIndex(specRules)] ?? [];
    const split: EffectiveSplit = { state: readRolloutState(route), keys: splitResolved.every((r) => r.ok) ? new Set(splitResolved.map(keyOf).filter((k) => k !== undefined)) : undefined };
    specRules.forEach((rule, i) => {
      const compiled = compileRule(rule, key, rank, i, hosts, resolved[i] ?? [], split);
      rules.push(compiled);
      (resolved[i] ?? []).forEach((r, j) => {
        if (!r.ok) return;
        if (!backends.has(r.key)) backends.set(r.key, { ref: r.ref, key: r.key, podPort: r.podPort, service: r.service });
        if ((compiled.backends[j]?.weight ?? 0) > 0) reachable.add(r.key);
      });
    });
  });
  return { rules, backends, reachable, referenced, statuses, attachedRoutes };
}

/** `namespace/name` of a route. */
export function routeKeyOf(route: HTTPRoute): RouteKey {
  return `${route.metadata?.namespace ?? ''}/${route.metadata?.name ?? ''}`;
}
