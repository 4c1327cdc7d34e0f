/**
 * The parts of the Gateway API (`gateway.networking.k8s.io/v1`) objects the gateway reads, as plain JSON the
 * apiserver serves. Field names follow the API; everything is optional as it may arrive from any client (the
 * CRD's defaults are applied by the apiserver, and re-applied here where the route compiler needs them).
 */

/** The API group of the Gateway API. */
export const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';

/**
 * The `spec.controllerName` of a GatewayClass whose Gateways Ebb's gateway implements. Route status entries
 * written by Ebb carry it as their `controllerName`.
 */
export const EBB_GATEWAY_CONTROLLER = 'ebb.dev/gateway';

/** Object metadata as the route compiler reads it. */
export interface ObjectMetaView {
  readonly name?: string;
  readonly namespace?: string;
  readonly generation?: number;
  readonly creationTimestamp?: string | Date;
  readonly resourceVersion?: string;
  readonly uid?: string;
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface GatewayClass {
  readonly metadata?: ObjectMetaView;
  readonly spec?: { readonly controllerName?: string };
  readonly status?: { readonly conditions?: readonly RouteCondition[] };
}

export interface GatewayListener {
  readonly name?: string;
  readonly hostname?: string;
  readonly port?: number;
  readonly protocol?: string;
  readonly allowedRoutes?: {
    readonly namespaces?: { readonly from?: string };
    readonly kinds?: ReadonlyArray<{ readonly group?: string; readonly kind?: string }>;
  };
}

export interface Gateway {
  readonly metadata?: ObjectMetaView;
  readonly spec?: { readonly gatewayClassName?: string; readonly listeners?: readonly GatewayListener[] };
  readonly status?: {
    readonly conditions?: readonly RouteCondition[];
    readonly listeners?: ReadonlyArray<{ readonly name: string; readonly supportedKinds: ReadonlyArray<{ readonly group: string; readonly kind: string }>; readonly attachedRoutes: number; readonly conditions: readonly RouteCondition[] }>;
  };
}

/** A `parentRefs[]` entry of a route (also `status.parents[].parentRef`). */
export interface ParentReference {
  readonly group?: string;
  readonly kind?: string;
  readonly namespace?: string;
  readonly name: string;
  readonly sectionName?: string;
  readonly port?: number;
}

export interface HTTPHeaderMatch {
  readonly type?: string;
  readonly name?: string;
  readonly value?: string;
}

export interface HTTPRouteMatch {
  readonly path?: { readonly type?: string; readonly value?: string };
  readonly headers?: readonly HTTPHeaderMatch[];
  readonly [field: string]: unknown;
}

export interface HTTPBackendRef {
  readonly group?: string;
  readonly kind?: string;
  readonly name?: string;
  readonly namespace?: string;
  readonly port?: number;
  readonly weight?: number;
  readonly [field: string]: unknown;
}

export interface HTTPRouteRule {
  readonly name?: string;
  readonly matches?: readonly HTTPRouteMatch[];
  readonly backendRefs?: readonly HTTPBackendRef[];
  readonly [field: string]: unknown;
}

/** A condition as Kubernetes API conventions define it. */
export interface RouteCondition {
  readonly type: string;
  readonly status: 'True' | 'False' | 'Unknown';
  readonly reason: string;
  readonly message: string;
  readonly observedGeneration?: number;
  readonly lastTransitionTime?: string;
}

/** One `status.parents[]` entry of a route. */
export interface RouteParentStatus {
  readonly parentRef: ParentReference;
  readonly controllerName: string;
  readonly conditions: readonly RouteCondition[];
}

export interface HTTPRoute {
  readonly metadata?: ObjectMetaView;
  readonly spec?: {
    readonly parentRefs?: readonly ParentReference[];
    readonly hostnames?: readonly string[];
    readonly rules?: readonly HTTPRouteRule[];
    readonly [field: string]: unknown;
  };
  readonly status?: { readonly parents?: readonly RouteParentStatus[] };
}

/** A Service as the route compiler reads it: the selector and the ports. */
export interface ServiceView {
  readonly namespace: string;
  readonly name: string;
  /** Absent or empty: a selector-less Service (its pods are not known from a selector). */
  readonly selector?: Readonly<Record<string, string>>;
  readonly ports: ReadonlyArray<{ readonly port: number; readonly targetPort?: number | string }>;
}

/** A Deployment the gateway may route to (one the gateway watches), as the route compiler reads it. */
export interface DeploymentView {
  readonly namespace: string;
  readonly name: string;
  /** The pod template's labels. */
  readonly podLabels: Readonly<Record<string, string>>;
}

/** `namespace/name` of a route, the key of its status. */
export type RouteKey = string;
