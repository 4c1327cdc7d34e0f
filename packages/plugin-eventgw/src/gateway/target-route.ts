import { targetKey, type TargetKey, type TargetRef } from '@ebb/core';
import type { EventGatewayConfig } from '../config/eventgw-config.ts';

/** How the gateway talks to a target's pods: HTTP/1.1, or HTTP/2 over cleartext with prior knowledge. */
export type BackendProtocol = 'http1' | 'h2c';

/** How the gateway routes to one opted-in target. */
export interface TargetRoute {
  readonly ref: TargetRef;
  readonly key: TargetKey;
  /** Lower-case host names, without port. Empty: the target is not routed. */
  readonly hosts: readonly string[];
  /** `/` or a prefix without trailing slash, matched on a `/` boundary. */
  readonly pathPrefix: string;
  /** Most in-flight requests per pod; 0 = unlimited. */
  readonly containerConcurrency: number;
  /** Most requests waiting in this replica's queue for the target. */
  readonly queueLength: number;
  /** Longest wait in the queue, ms. */
  readonly queueTimeoutMs: number;
  /** How the pods are spoken to (default `http1`). */
  readonly protocol?: BackendProtocol;
  /** The target is a backend of an HTTPRoute: routed (through the route's rules) even without hosts of its own. */
  readonly httpRouteBackend?: boolean;
}

/** One ready pod the gateway may forward to. */
export interface GatewayEndpoint {
  /** Stable identity for per-pod slot counting, e.g. the pod name (a new pod is a new endpoint). */
  readonly id: string;
  /** IP address (v4 or v6) of the pod. */
  readonly address: string;
  readonly port: number;
}

/** The route of a target whose annotations parsed to `config`. */
export function routeFromConfig(ref: TargetRef, config: EventGatewayConfig): TargetRoute {
  return {
    ref,
    key: targetKey(ref),
    hosts: config.hosts,
    pathPrefix: config.pathPrefix,
    containerConcurrency: config.containerConcurrency,
    queueLength: config.queueLength,
    queueTimeoutMs: config.queueTimeoutMs,
    protocol: config.protocol,
  };
}

/** Two routes route the same way (used to skip no-op updates). */
export function sameRoute(a: TargetRoute, b: TargetRoute): boolean {
  return (
    a.key === b.key &&
    a.pathPrefix === b.pathPrefix &&
    a.containerConcurrency === b.containerConcurrency &&
    a.queueLength === b.queueLength &&
    a.queueTimeoutMs === b.queueTimeoutMs &&
    (a.protocol ?? 'http1') === (b.protocol ?? 'http1') &&
    (a.httpRouteBackend ?? false) === (b.httpRouteBackend ?? false) &&
    a.hosts.length === b.hosts.length &&
    a.hosts.every((h, i) => h === b.hosts[i])
  );
}

/** Two endpoint lists hold the same endpoints in the same order. */
export function sameEndpoints(a: readonly GatewayEndpoint[], b: readonly GatewayEndpoint[]): boolean {
  return a.length === b.length && a.every((e, i) => e.id === b[i]?.id && e.address === b[i]?.address && e.port === b[i]?.port);
}
