import type { TargetKey } from '@ebb/core';
import type { GatewayEndpoint, TargetRoute } from '../gateway/target-route.ts';
import type { DiscoveryListener, GatewayDiscovery } from './gateway-discovery.ts';

/**
 * A discovery whose routes and endpoints are set by calls: for running the gateway without Kubernetes (a
 * fixed set of backends) and for tests of the data plane. Changes made before `start` are reported by it.
 */
export class StaticDiscovery implements GatewayDiscovery {
  private listener: DiscoveryListener | undefined;
  private readonly routes = new Map<TargetKey, TargetRoute>();
  private readonly endpointLists = new Map<TargetKey, readonly GatewayEndpoint[]>();

  async start(listener: DiscoveryListener): Promise<void> {
    this.listener = listener;
    for (const r of this.routes.values()) listener.route(r.key, r);
    for (const [k, e] of this.endpointLists) listener.endpoints(k, e);
  }

  async stop(): Promise<void> {
    this.listener = undefined;
  }

  /** Routes `route.key` by `route`. */
  setRoute(route: TargetRoute): void {
    this.routes.set(route.key, route);
    this.listener?.route(route.key, route);
  }

  /** Stops routing `key`. */
  removeRoute(key: TargetKey): void {
    this.routes.delete(key);
    this.listener?.route(key, undefined);
  }

  /** Sets the ready endpoints of `key`. */
  setEndpoints(key: TargetKey, endpoints: readonly GatewayEndpoint[]): void {
    this.endpointLists.set(key, endpoints);
    this.listener?.endpoints(key, endpoints);
  }
}
