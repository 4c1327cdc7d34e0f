import type { IncomingHttpHeaders } from 'node:http';
import type { GatewayTarget, GatewayTargets } from '../gateway/gateway-targets.ts';
import type { HttpRouteTable } from './http-route-table.ts';

/** Where a request goes: a target, an answer the gateway gives itself (a rule that cannot be served), or nowhere. */
export type TargetLookup =
  | { readonly kind: 'target'; readonly target: GatewayTarget }
  | { readonly kind: 'refused'; readonly status: 500 | 503; readonly message: string }
  | { readonly kind: 'none' };

/**
 * The target of a request: the rules of accepted HTTPRoutes first (a weighted draw among the matching rule's
 * backends), then the hosts of annotated Deployments. A rule whose drawn backend does not resolve answers 500, as
 * the Gateway API asks; a backend not yet known to this replica answers 503 (it is on its way from the watch).
 */
export function lookupTarget(targets: GatewayTargets, routes: HttpRouteTable | undefined, host: string, url: string, headers: IncomingHttpHeaders): TargetLookup {
  const pick = routes?.pick(host, url, headers);
  if (pick?.kind === 'error') return { kind: 'refused', status: pick.status, message: pick.message };
  if (pick) {
    const target = targets.get(pick.key);
    return target ? { kind: 'target', target } : { kind: 'refused', status: 503, message: `${pick.key} is not routed by this gateway yet` };
  }
  const route = targets.table.match(host, url);
  const target = route && targets.get(route.key);
  return target ? { kind: 'target', target } : { kind: 'none' };
}
