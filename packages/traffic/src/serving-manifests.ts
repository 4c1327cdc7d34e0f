import type { V1EndpointSlice, V1Service } from '@kubernetes/client-node';
import { ACTIVATOR_TARGET_LABEL } from '@ebb/plugin-eventgw';
import type { SliceEndpoint, PublishedSlices } from './endpoint-plan.ts';

/** `endpointslice.kubernetes.io/managed-by` of Ebb's slices (the EndpointSlice controller leaves them alone). */
export const SLICE_MANAGER = 'activator.ebb.dev';
/** Label naming the role of one of Ebb's slices: `proxy` or `serve`. */
export const SLICE_ROLE_LABEL = 'ebb.dev/activator-slice';
/** The port name of the Service and of its slices. */
export const SERVING_PORT_NAME = 'http';

/** The Deployment a Service or slice belongs to, for owner references. */
export interface OwnerDeployment {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
}

/** The selector-less Service of a Deployment in activator mode. */
export function servingService(owner: OwnerDeployment, serviceName: string, port: number): V1Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: serviceName,
      namespace: owner.namespace,
      labels: { [ACTIVATOR_TARGET_LABEL]: owner.name, 'app.kubernetes.io/managed-by': 'ebb' },
      ownerReferences: [ownerReference(owner)],
    },
    // No selector: Ebb writes the EndpointSlices. Every port is named, so slices map to it by name.
    spec: { type: 'ClusterIP', ports: [{ name: SERVING_PORT_NAME, port, protocol: 'TCP' }] },
  };
}

/** Name of a Service's slice for one role, e.g. `coffee-ebb-serve`. */
export function sliceName(serviceName: string, role: keyof PublishedSlices): string {
  return `${serviceName}-${role}`;
}

/** One of the Service's two EndpointSlices with its whole content. All endpoints of a role share one port. */
export function servingSlice(owner: OwnerDeployment, serviceName: string, role: keyof PublishedSlices, endpoints: readonly SliceEndpoint[]): V1EndpointSlice {
  const port = endpoints[0]?.port;
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: sliceName(serviceName, role),
      namespace: owner.namespace,
      labels: {
        'kubernetes.io/service-name': serviceName,
        'endpointslice.kubernetes.io/managed-by': SLICE_MANAGER,
        [SLICE_ROLE_LABEL]: role,
        [ACTIVATOR_TARGET_LABEL]: owner.name,
      },
      ownerReferences: [ownerReference(owner)],
    },
    addressType: 'IPv4',
    // An empty slice keeps a port of `null`-less form: kube-proxy ignores a slice without endpoints.
    ports: port === undefined ? [] : [{ name: SERVING_PORT_NAME, port, protocol: 'TCP' }],
    endpoints: endpoints.map((e) => ({
      addresses: [e.address],
      conditions: { ready: true, serving: true, terminating: false },
      targetRef: { kind: 'Pod', name: e.pod },
    })),
  };
}

/** The endpoints a slice lists (ready ones), in the form {@link planEndpoints} compares. */
export function sliceEndpoints(slice: V1EndpointSlice): SliceEndpoint[] {
  const port = slice.ports?.find((p) => p.name === SERVING_PORT_NAME)?.port;
  if (port === undefined || port === null) return [];
  return (slice.endpoints ?? [])
    .filter((e) => e.conditions?.ready !== false)
    .flatMap((e) => e.addresses.slice(0, 1).map((address) => ({ pod: e.targetRef?.name ?? '', address, port })));
}

function ownerReference(owner: OwnerDeployment) {
  return { apiVersion: 'apps/v1', kind: 'Deployment', name: owner.name, uid: owner.uid, controller: true, blockOwnerDeletion: false };
}
