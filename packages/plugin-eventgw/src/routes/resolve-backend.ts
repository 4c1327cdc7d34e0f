import { targetKey, type TargetKey, type TargetRef } from '@ebb/core';
import type { DeploymentView, HTTPBackendRef, ServiceView } from './gateway-api-types.ts';

/** A backendRef resolved to the Deployment (one version) whose pods its Service selects. */
export interface ResolvedBackend {
  readonly ok: true;
  readonly ref: TargetRef;
  readonly key: TargetKey;
  /** Pod port from the Service's numeric `targetPort` (or its `port` without one); 0: a named target port. */
  readonly podPort: number;
  /** The Service's name (its EndpointSlices list the pods, for EndpointSlice discovery). */
  readonly service: string;
}

/** A backendRef that does not resolve, with the Gateway API's `ResolvedRefs` reason. */
export interface UnresolvedBackend {
  readonly ok: false;
  readonly reason: 'InvalidKind' | 'RefNotPermitted' | 'BackendNotFound';
  readonly message: string;
}

/** Whether a Service's selector picks pods with `labels` (a non-empty selector, every pair present). */
function selects(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/**
 * Resolves one backendRef of a route in `routeNamespace`: a core Service (group "", kind Service) in the route's
 * namespace (cross-namespace references need a ReferenceGrant, which the gateway does not implement: refused
 * with RefNotPermitted), with the referenced port, whose selector picks the pods of exactly one Deployment the
 * gateway watches (one Deployment per version). Example: Service `coffee-v2` selecting `app=coffee,version=v2`
 * with Deployments `coffee-v1` (`app=coffee,version=v1`) and `coffee-v2` -> `shop/coffee-v2`.
 */
export function resolveBackend(
  b: HTTPBackendRef,
  routeNamespace: string,
  services: ReadonlyMap<string, ServiceView>,
  deployments: readonly DeploymentView[],
): ResolvedBackend | UnresolvedBackend {
  const group = b.group ?? '';
  const kind = b.kind ?? 'Service';
  const name = b.name ?? '';
  if (group !== '' || kind !== 'Service') {
    return { ok: false, reason: 'InvalidKind', message: `backendRef ${name}: kind "${kind}" of group "${group}" is not supported (allowed: core Services, group "" kind Service)` };
  }
  const namespace = b.namespace ?? routeNamespace;
  if (namespace !== routeNamespace) {
    return { ok: false, reason: 'RefNotPermitted', message: `backendRef ${namespace}/${name}: references to another namespace are not permitted (ReferenceGrant is not supported)` };
  }
  const svc = services.get(`${namespace}/${name}`);
  if (!svc) return { ok: false, reason: 'BackendNotFound', message: `backendRef ${name}: Service ${namespace}/${name} not found` };
  const port = svc.ports.find((p) => p.port === b.port);
  if (!port) return { ok: false, reason: 'BackendNotFound', message: `backendRef ${name}: Service ${namespace}/${name} has no port ${String(b.port)}` };
  const selector = svc.selector ?? {};
  if (Object.keys(selector).length === 0) {
    return { ok: false, reason: 'BackendNotFound', message: `backendRef ${name}: Service ${namespace}/${name} has no selector, so its pods are not known` };
  }
  const picked = deployments.filter((d) => d.namespace === namespace && selects(selector, d.podLabels)).map((d) => d.name).sort();
  if (picked.length !== 1) {
    const which = picked.length === 0 ? 'no Ebb-managed Deployment' : `${picked.length} Deployments (${picked.join(', ')}); each version needs a Service of its own`;
    return { ok: false, reason: 'BackendNotFound', message: `backendRef ${name}: Service ${namespace}/${name} selects the pods of ${which}` };
  }
  const ref = { namespace, name: picked[0] ?? '' };
  const podPort = typeof port.targetPort === 'number' ? port.targetPort : port.targetPort === undefined ? port.port : 0;
  return { ok: true, ref, key: targetKey(ref), podPort, service: name };
}
