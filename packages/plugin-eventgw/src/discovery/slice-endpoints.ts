import { DiscoveryV1Api, makeInformer, type KubeConfig, type V1EndpointSlice } from '@kubernetes/client-node';
import type { Clock, Logger, TargetKey } from '@ebb/core';
import type { GatewayEndpoint } from '../gateway/target-route.ts';
import { sortEndpoints, type EndpointsChanged, type EndpointSpec, type EndpointTracker } from './endpoint-tracker.ts';
import { FALLBACK_POD_PORT } from './pod-endpoints.ts';
import { ResilientInformer } from './resilient-informer.ts';

/** The label that ties an EndpointSlice to its Service. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/**
 * The ready endpoints a set of EndpointSlices lists: endpoints whose `ready` condition is not false and that are
 * not terminating, at `port` when > 0, else the slice port named `http`, else its first port. An endpoint's id
 * is its pod name (targetRef), else its address.
 */
export function sliceEndpoints(slices: readonly V1EndpointSlice[], port: number): GatewayEndpoint[] {
  const out = new Map<string, GatewayEndpoint>();
  for (const slice of slices) {
    const slicePort = port > 0 ? port : ((slice.ports ?? []).find((p) => p.name === 'http') ?? slice.ports?.[0])?.port;
    for (const e of slice.endpoints ?? []) {
      const address = e.addresses[0];
      if (!address || e.conditions?.ready === false || e.conditions?.terminating === true) continue;
      const id = e.targetRef?.name ?? address;
      out.set(id, { id, address, port: slicePort ?? FALLBACK_POD_PORT });
    }
  }
  return sortEndpoints(out.values());
}

/**
 * Ready endpoints from the EndpointSlices (discovery.k8s.io/v1) of a Service: the Kubernetes-native way, and
 * the lighter watch in large clusters. Needs a Service selecting the Deployment's pods, named by the
 * annotation `ebb.dev/eventgw.service` (default: the Deployment's name).
 */
export class SliceEndpoints implements EndpointTracker {
  private readonly informers: ResilientInformer<V1EndpointSlice>[] = [];
  private readonly specs = new Map<TargetKey, EndpointSpec>();
  private readonly changed: EndpointsChanged;

  constructor(kc: KubeConfig, namespaces: readonly string[], changed: EndpointsChanged, clock: Clock, logger: Logger) {
    this.changed = changed;
    const api = kc.makeApiClient(DiscoveryV1Api);
    for (const namespace of namespaces.length ? namespaces : [undefined]) {
      const path = namespace ? `/apis/discovery.k8s.io/v1/namespaces/${namespace}/endpointslices` : '/apis/discovery.k8s.io/v1/endpointslices';
      const informer = makeInformer<V1EndpointSlice>(kc, path, () =>
        namespace ? api.listNamespacedEndpointSlice({ namespace }) : api.listEndpointSliceForAllNamespaces(),
      );
      for (const verb of ['add', 'update', 'delete'] as const) informer.on(verb, (s) => this.onSlice(s));
      this.informers.push(new ResilientInformer(`EndpointSlices in ${namespace ?? 'all namespaces'}`, informer, clock, logger));
    }
  }

  async start(): Promise<void> {
    await Promise.all(this.informers.map((i) => i.start()));
  }

  async stop(): Promise<void> {
    await Promise.all(this.informers.map((i) => i.stop()));
  }

  track(spec: EndpointSpec): void {
    this.specs.set(spec.key, spec);
    this.report(spec);
  }

  untrack(key: TargetKey): void {
    this.specs.delete(key);
  }

  private report(spec: EndpointSpec): void {
    const slices = this.informers
      .flatMap((i) => i.cache.list(spec.namespace))
      .filter((s) => s.metadata?.labels?.[SERVICE_NAME_LABEL] === spec.service);
    this.changed(spec.key, sliceEndpoints(slices, spec.port));
  }

  private onSlice(slice: V1EndpointSlice): void {
    const service = slice.metadata?.labels?.[SERVICE_NAME_LABEL];
    for (const spec of this.specs.values()) {
      if (spec.namespace === slice.metadata?.namespace && spec.service === service) this.report(spec);
    }
  }
}
