import type { TargetKey } from '@ebb/core';
import type { GatewayEndpoint, TargetRoute } from '../gateway/target-route.ts';

/** What a {@link GatewayDiscovery} tells the gateway. Calls may come in any order and be repeated. */
export interface DiscoveryListener {
  /** `key` is routed by `route` now, or (undefined) no longer routed. */
  route(key: TargetKey, route: TargetRoute | undefined): void;
  /** The ready endpoints of `key` now (empty: none ready). */
  endpoints(key: TargetKey, endpoints: readonly GatewayEndpoint[]): void;
}

/**
 * Where the gateway learns which targets opted in and which of their pods are ready. The Kubernetes
 * implementation watches Deployments and pods (or EndpointSlices); others can feed a fixed set.
 */
export interface GatewayDiscovery {
  /** Starts watching; resolves once the initial state has been reported to `listener`. */
  start(listener: DiscoveryListener): Promise<void>;
  /** Stops watching. */
  stop(): Promise<void>;
}
