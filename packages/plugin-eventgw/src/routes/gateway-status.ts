import { EBB_GATEWAY_CONTROLLER, GATEWAY_API_GROUP, type Gateway, type GatewayListener, type RouteCondition } from './gateway-api-types.ts';
import { withTransitionTimes } from './route-status.ts';

/** One `status.listeners[]` entry of a Gateway. */
export interface ListenerStatus {
  readonly name: string;
  readonly supportedKinds: ReadonlyArray<{ readonly group: string; readonly kind: string }>;
  readonly attachedRoutes: number;
  readonly conditions: readonly RouteCondition[];
}

/** The status Ebb writes on a Gateway of its class. */
export interface GatewayStatusPlan {
  readonly conditions: readonly RouteCondition[];
  readonly listeners: readonly ListenerStatus[];
}

function condition(type: string, ok: boolean, reason: string, message: string, observedGeneration: number | undefined): RouteCondition {
  return { type, status: ok ? 'True' : 'False', reason, message, ...(observedGeneration !== undefined ? { observedGeneration } : {}) };
}

/** A GatewayClass of controllerName `ebb.dev/gateway`: Accepted. */
export function gatewayClassConditions(generation: number | undefined): RouteCondition[] {
  return [condition('Accepted', true, 'Accepted', `handled by the Ebb gateway (controllerName ${EBB_GATEWAY_CONTROLLER})`, generation)];
}

function listenerStatus(l: GatewayListener, attached: number, generation: number | undefined): ListenerStatus {
  const name = l.name ?? '';
  if (l.protocol !== 'HTTP') {
    const why = `protocol ${String(l.protocol)} is not supported by the Ebb gateway (HTTP only; terminate TLS in front)`;
    return { name, supportedKinds: [], attachedRoutes: 0, conditions: [condition('Accepted', false, 'UnsupportedProtocol', why, generation), condition('Programmed', false, 'Invalid', why, generation), condition('ResolvedRefs', true, 'ResolvedRefs', 'no references to resolve', generation)] };
  }
  const kinds = l.allowedRoutes?.kinds ?? [];
  const httpRoutes = kinds.length === 0 || kinds.some((k) => (k.group ?? GATEWAY_API_GROUP) === GATEWAY_API_GROUP && k.kind === 'HTTPRoute');
  const resolved = httpRoutes
    ? condition('ResolvedRefs', true, 'ResolvedRefs', 'route kinds resolved', generation)
    : condition('ResolvedRefs', false, 'InvalidRouteKinds', 'allowedRoutes.kinds names no kind the Ebb gateway supports (HTTPRoute)', generation);
  return {
    name,
    supportedKinds: httpRoutes ? [{ group: GATEWAY_API_GROUP, kind: 'HTTPRoute' }] : [],
    attachedRoutes: attached,
    conditions: [
      condition('Accepted', true, 'Accepted', 'listener accepted', generation),
      condition('Programmed', true, 'Programmed', "served on the Ebb gateway's data port", generation),
      resolved,
    ],
  };
}

/**
 * The status of a Gateway of the Ebb class: each listener (HTTP: Accepted and Programmed, served on the gateway's
 * data port, with the number of accepted routes attached; any other protocol: UnsupportedProtocol), and the
 * Gateway Accepted and Programmed when at least one listener is (else ListenersNotValid / Invalid).
 */
export function gatewayStatusPlan(gateway: Gateway, attached: ReadonlyMap<string, number> | undefined): GatewayStatusPlan {
  const generation = gateway.metadata?.generation;
  const listeners = (gateway.spec?.listeners ?? []).map((l) => listenerStatus(l, attached?.get(l.name ?? '') ?? 0, generation));
  const ok = listeners.some((l) => l.conditions[0]?.status === 'True');
  const conditions = ok
    ? [condition('Accepted', true, 'Accepted', 'accepted by the Ebb gateway', generation), condition('Programmed', true, 'Programmed', "served by the Ebb gateway's replicas", generation)]
    : [condition('Accepted', false, 'ListenersNotValid', 'no listener the Ebb gateway can serve (HTTP)', generation), condition('Programmed', false, 'Invalid', 'no listener the Ebb gateway can serve (HTTP)', generation)];
  return { conditions, listeners };
}

interface StatusWithConditions {
  readonly conditions?: readonly RouteCondition[];
  readonly listeners?: readonly ListenerStatus[];
}

/** Canonical text of conditions (and listeners), for comparing what is there with what should be. */
function text(s: StatusWithConditions): string {
  const cond = (c: readonly RouteCondition[] = []) => c.map((x) => [x.type, x.status, x.reason, x.message, x.observedGeneration, x.lastTransitionTime]);
  return JSON.stringify([cond(s.conditions), (s.listeners ?? []).map((l) => [l.name, l.supportedKinds.map((k) => [k.group, k.kind]), l.attachedRoutes, cond(l.conditions)])]);
}

/**
 * The status to write, with transition times kept while a condition's status stays; undefined when `existing`
 * already says exactly that (no write). `planned.listeners` absent: a GatewayClass (conditions only).
 */
export function nextObjectStatus(existing: StatusWithConditions | undefined, planned: { readonly conditions: readonly RouteCondition[]; readonly listeners?: readonly ListenerStatus[] }, nowIso: string): StatusWithConditions | undefined {
  const conditions = withTransitionTimes(planned.conditions, existing?.conditions ?? [], nowIso);
  const listeners = planned.listeners?.map((l) => ({ ...l, conditions: withTransitionTimes(l.conditions, existing?.listeners?.find((e) => e.name === l.name)?.conditions ?? [], nowIso) }));
  const next = { conditions, ...(listeners ? { listeners } : {}) };
  const current = { conditions: existing?.conditions ?? [], ...(listeners ? { listeners: existing?.listeners ?? [] } : {}) };
  return text(next) === text(current) ? undefined : next;
}
