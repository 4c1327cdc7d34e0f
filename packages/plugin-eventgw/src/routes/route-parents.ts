import { GATEWAY_API_GROUP, type Gateway, type GatewayListener, type ParentReference } from './gateway-api-types.ts';
import { effectiveHostnames } from './route-hostnames.ts';

/** How one parentRef of a route attaches to an Ebb Gateway. */
export type ParentAttachment =
  | { readonly accepted: true; readonly hostnames: readonly string[]; readonly listeners: readonly string[] }
  | { readonly accepted: false; readonly reason: 'NoMatchingParent' | 'NotAllowedByListeners' | 'NoMatchingListenerHostname'; readonly message: string };

/** Whether a parentRef names a Gateway (group and kind default to the Gateway API's Gateway). */
export function refersToGateway(p: ParentReference): boolean {
  return (p.group ?? GATEWAY_API_GROUP) === GATEWAY_API_GROUP && (p.kind ?? 'Gateway') === 'Gateway';
}

/** Why a listener does not accept HTTPRoutes from `routeNamespace`, or undefined when it does. */
function refusal(l: GatewayListener, gatewayNamespace: string, routeNamespace: string): string | undefined {
  const name = l.name ?? '';
  if (l.protocol !== 'HTTP') return `listener ${name} has protocol ${String(l.protocol)} (HTTPRoutes attach to HTTP listeners here)`;
  const kinds = l.allowedRoutes?.kinds ?? [];
  if (kinds.length > 0 && !kinds.some((k) => (k.group ?? GATEWAY_API_GROUP) === GATEWAY_API_GROUP && k.kind === 'HTTPRoute')) return `listener ${name} does not allow HTTPRoutes`;
  const from = l.allowedRoutes?.namespaces?.from ?? 'Same';
  if (from === 'All') return undefined;
  if (from === 'Same') return routeNamespace === gatewayNamespace ? undefined : `listener ${name} allows routes from namespace ${gatewayNamespace} only`;
  return `listener ${name} allows routes by namespace selector, which the Ebb gateway does not support (use Same or All)`;
}

/**
 * Attaches a route in `routeNamespace` with `routeHostnames` to `gateway` through `parent`: the listeners named
 * by `sectionName` and `port` (all without them; none: NoMatchingParent), of those the ones that allow the route
 * (HTTP, kind HTTPRoute, namespaces Same or All; none: NotAllowedByListeners), and the hostnames the route then
 * serves (the union over those listeners of the Gateway API's intersection; none: NoMatchingListenerHostname).
 */
export function attachToGateway(parent: ParentReference, gateway: Gateway, routeNamespace: string, routeHostnames: readonly string[]): ParentAttachment {
  const gwName = `${gateway.metadata?.namespace ?? ''}/${gateway.metadata?.name ?? ''}`;
  const listeners = (gateway.spec?.listeners ?? []).filter(
    (l) => (parent.sectionName === undefined || l.name === parent.sectionName) && (parent.port === undefined || l.port === parent.port),
  );
  if (listeners.length === 0) {
    const which = [parent.sectionName && `sectionName ${parent.sectionName}`, parent.port !== undefined && `port ${parent.port}`].filter(Boolean).join(' and ');
    return { accepted: false, reason: 'NoMatchingParent', message: `Gateway ${gwName} has no listener with ${which}` };
  }
  const why = listeners.map((l) => refusal(l, gateway.metadata?.namespace ?? '', routeNamespace));
  const allowed = listeners.filter((_, i) => why[i] === undefined);
  if (allowed.length === 0) return { accepted: false, reason: 'NotAllowedByListeners', message: `Gateway ${gwName}: ${why.join('; ')}` };
  const perListener = allowed.map((l) => ({ name: l.name ?? '', hostnames: effectiveHostnames(routeHostnames, l.hostname) })).filter((l) => l.hostnames.length > 0);
  const hostnames = [...new Set(perListener.flatMap((l) => l.hostnames))];
  if (hostnames.length === 0) {
    return { accepted: false, reason: 'NoMatchingListenerHostname', message: `no hostname of the route matches a listener hostname of Gateway ${gwName}` };
  }
  return { accepted: true, hostnames, listeners: perListener.map((l) => l.name) };
}
