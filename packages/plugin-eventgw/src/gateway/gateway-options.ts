import type { Clock, Logger } from '@ebb/core';
import type { KubeConfig } from '@kubernetes/client-node';
import type { GatewayDiscovery } from '../discovery/gateway-discovery.ts';
import type { EndpointSourceKind } from '../discovery/kube-discovery.ts';
import type { GatewayLimits } from './gateway-limits.ts';
import type { SlotCoordinationOptions } from '../coordination/slot-coordinator.ts';

/**
 * Options of `startGateway`. Every field is optional; the defaults suit a gateway Deployment in the cluster
 * (data plane on 0.0.0.0:8080, admin on 0.0.0.0:9090, in-cluster or `$KUBECONFIG` credentials).
 */
export interface GatewayOptions {
  /** Address of the data plane (default `0.0.0.0`). */
  readonly host?: string;
  /** Port of the data plane (default 8080; 0 = any free port, see `GatewayHandle.port`). */
  readonly port?: number;
  /** Address of the admin server: `/stats`, `/metrics`, `/healthz`, `/readyz` (default `0.0.0.0`). */
  readonly adminHost?: string;
  /** Port of the admin server (default 9090; 0 = any free port). */
  readonly adminPort?: number;
  /**
   * Base URL of the scaler, e.g. `http://ebb-scaler.ebb-system:8080`: a request that finds its target at zero
   * ready pods POSTs `/poke?target=ns/name` there at once. Without it, requests at zero still wait for a pod.
   */
  readonly scalerUrl?: string;
  /** Identity in `/stats` reports (default the host name, i.e. the pod name in a cluster). */
  readonly gatewayId?: string;
  /** Where routes and endpoints come from. Default: Kubernetes, through `kubeConfig`. */
  readonly discovery?: GatewayDiscovery;
  /** Kubernetes client configuration (default: `$KUBECONFIG`, `~/.kube/config`, then in-cluster). */
  readonly kubeConfig?: KubeConfig;
  /** Namespaces to watch for opted-in Deployments; empty or absent = all namespaces. */
  readonly namespaces?: readonly string[];
  /** Only Deployments matching this label selector are considered, e.g. `ebb.dev/autoscale=true` (default: all). */
  readonly labelSelector?: string;
  /**
   * How ready pods are found: `pods` (default) watches pods and matches the Deployment's selector;
   * `endpoint-slices` watches the EndpointSlices of a Service (annotation `ebb.dev/eventgw.service`).
   */
  readonly endpointSource?: EndpointSourceKind;
  /**
   * Route HTTPRoutes of Gateways whose GatewayClass has controllerName `ebb.dev/gateway` too (default true; only
   * when the gateway watches Kubernetes itself, i.e. without `discovery`). Needs the Gateway API CRDs.
   */
  readonly httpRoutes?: boolean;
  /** Client and backend protections; missing values take `DEFAULT_GATEWAY_LIMITS`. */
  readonly limits?: Partial<GatewayLimits>;
  /** Longest graceful drain on `stop()`, ms (default 30 000): then remaining requests are cut. */
  readonly drainTimeoutMs?: number;
  /** Also export Node process metrics (memory, CPU, event loop) with prefix `ebb_gateway_` (default true). */
  readonly processMetrics?: boolean;
  /** Time source for queue timeouts and reports (default the system clock). */
  readonly clock?: Clock;
  /** Default: silent. */
  readonly logger?: Logger;
  /**
   * Share each pod's containerConcurrency with the other gateway replicas of the same group through one
   * Lease per replica (needed whenever more than one replica routes the same targets). Absent: this replica
   * uses every slot of every pod, which is right only when it runs alone.
   */
  readonly coordination?: SlotCoordinationOptions;
  /**
   * Write each pod's requests in flight onto the pod (`controller.kubernetes.io/pod-deletion-cost`, summed over
   * replicas), so a scale-down deletes idle pods first. Needs `get` and `patch` on pods. Default: true with
   * Kubernetes discovery, false with a custom `discovery`.
   */
  readonly podDeletionCost?: boolean;
}

/** A running gateway. */
export interface GatewayHandle {
  /** Port the data plane listens on. */
  readonly port: number;
  /** Port the admin server listens on. */
  readonly adminPort: number;
  /** Identity used in `/stats` reports. */
  readonly gatewayId: string;
  /**
   * Graceful shutdown: readiness turns 503, the listener closes, idle connections close, queued and in-flight
   * requests finish (answers carry `Connection: close`); after `drainTimeoutMs` whatever is left is cut
   * (queued requests get 503). Then discovery stops and the admin server closes. Idempotent.
   */
  stop(options?: { readonly drainTimeoutMs?: number }): Promise<void>;
}
