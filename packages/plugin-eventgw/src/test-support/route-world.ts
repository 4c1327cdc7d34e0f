import type { DeploymentView, Gateway, GatewayClass, HTTPBackendRef, HTTPRoute, HTTPRouteRule, ServiceView } from '../routes/gateway-api-types.ts';
import { EBB_GATEWAY_CONTROLLER } from '../routes/gateway-api-types.ts';
import type { RouteWorld } from '../routes/compile-routes.ts';

/** Pure fixtures for route compilation: namespace `shop`, Gateway `web` of class `ebb`, versions `coffee-v1`/`-v2`. */
export const NS = 'shop';

export const ebbClass: GatewayClass = { metadata: { name: 'ebb' }, spec: { controllerName: EBB_GATEWAY_CONTROLLER } };
export const otherClass: GatewayClass = { metadata: { name: 'other' }, spec: { controllerName: 'example.com/other' } };

export function gateway(name = 'web', over: Partial<NonNullable<Gateway['spec']>> = {}, className = 'ebb'): Gateway {
  return { metadata: { namespace: NS, name }, spec: { gatewayClassName: className, listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }], ...over } };
}

export function version(v: string): { deployment: DeploymentView; service: ServiceView } {
  return {
    deployment: { namespace: NS, name: `coffee-${v}`, podLabels: { app: 'coffee', version: v } },
    service: { namespace: NS, name: `coffee-${v}`, selector: { app: 'coffee', version: v }, ports: [{ port: 80, targetPort: 8080 }] },
  };
}

export function backend(v: string, weight?: number, over: Partial<HTTPBackendRef> = {}): HTTPBackendRef {
  return { name: `coffee-${v}`, port: 80, ...(weight !== undefined ? { weight } : {}), ...over };
}

export function route(name: string, rules: HTTPRouteRule[], over: { hostnames?: string[]; parent?: string; generation?: number; created?: string } = {}): HTTPRoute {
  return {
    metadata: { namespace: NS, name, generation: over.generation ?? 1, creationTimestamp: over.created ?? '2026-01-01T00:00:00Z' },
    spec: { parentRefs: [{ name: over.parent ?? 'web' }], hostnames: over.hostnames ?? ['coffee.example.com'], rules },
  };
}

/** A world with both versions, Gateway `web`, and `routes`. */
export function world(routes: HTTPRoute[], over: Partial<RouteWorld> = {}): RouteWorld {
  const v1 = version('v1');
  const v2 = version('v2');
  return {
    gatewayClasses: [ebbClass, otherClass],
    gateways: [gateway(), gateway('foreign', {}, 'other')],
    routes,
    services: [v1.service, v2.service],
    deployments: [v1.deployment, v2.deployment],
    ...over,
  };
}
