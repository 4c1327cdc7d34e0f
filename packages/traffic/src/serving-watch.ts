import { CoreV1Api, DiscoveryV1Api, makeInformer, type Informer, type KubeConfig, type KubernetesObject, type ObjectCache, type V1EndpointSlice, type V1Pod, type V1Service } from '@kubernetes/client-node';
import type { Clock, Logger } from '@ebb/core';
import { ACTIVATOR_TARGET_LABEL, isPodServing, ResilientInformer } from '@ebb/plugin-eventgw';
import { SLICE_MANAGER } from './serving-manifests.ts';

/** Where the gateway's pods are: the Service's endpoints in Proxy mode. */
export interface GatewayPodsRef {
  readonly namespace: string;
  readonly labelSelector: string;
  /** The gateway's data port (where it serves requests), e.g. 8080. */
  readonly port: number;
}

/** What changed, so the owner can decide again for the targets concerned. */
export type ServingChange = { readonly kind: 'namespace'; readonly namespace: string } | { readonly kind: 'gateway' };

/**
 * The cluster as activator mode needs to see it, all from watches (no polling): Ebb's Services and EndpointSlices
 * (by label), the pods of the watched namespaces (for the targets' readiness), and the gateway's pods.
 */
export class ServingWatch {
  readonly services: ResilientInformer<V1Service>[] = [];
  readonly slices: ResilientInformer<V1EndpointSlice>[] = [];
  readonly pods: ResilientInformer<V1Pod>[] = [];
  readonly gateway: ResilientInformer<V1Pod> | undefined;
  private readonly gatewayRef: GatewayPodsRef | undefined;
  private readonly listeners: ((change: ServingChange) => void)[] = [];

  constructor(kc: KubeConfig, namespaces: readonly string[], gateway: GatewayPodsRef | undefined, clock: Clock, logger: Logger) {
    const core = kc.makeApiClient(CoreV1Api);
    const discovery = kc.makeApiClient(DiscoveryV1Api);
    const sliceSelector = `endpointslice.kubernetes.io/managed-by=${SLICE_MANAGER}`;
    for (const ns of namespaces.length ? namespaces : [undefined]) {
      const where = ns ? `in ${ns}` : 'in all namespaces';
      const services = ns
        ? makeInformer<V1Service>(kc, `/api/v1/namespaces/${ns}/services`, () => core.listNamespacedService({ namespace: ns, labelSelector: ACTIVATOR_TARGET_LABEL }), ACTIVATOR_TARGET_LABEL)
        : makeInformer<V1Service>(kc, '/api/v1/services', () => core.listServiceForAllNamespaces({ labelSelector: ACTIVATOR_TARGET_LABEL }), ACTIVATOR_TARGET_LABEL);
      const slices = ns
        ? makeInformer<V1EndpointSlice>(kc, `/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices`, () => discovery.listNamespacedEndpointSlice({ namespace: ns, labelSelector: sliceSelector }), sliceSelector)
        : makeInformer<V1EndpointSlice>(kc, '/apis/discovery.k8s.io/v1/endpointslices', () => discovery.listEndpointSliceForAllNamespaces({ labelSelector: sliceSelector }), sliceSelector);
      const pods = ns
        ? makeInformer<V1Pod>(kc, `/api/v1/namespaces/${ns}/pods`, () => core.listNamespacedPod({ namespace: ns }))
        : makeInformer<V1Pod>(kc, '/api/v1/pods', () => core.listPodForAllNamespaces());
      this.services.push(this.wrap(`activator Services ${where}`, services, clock, logger));
      this.slices.push(this.wrap(`activator EndpointSlices ${where}`, slices, clock, logger));
      this.pods.push(this.wrap(`pods ${where}`, pods, clock, logger));
    }
    this.gatewayRef = gateway;
    if (gateway) {
      const { namespace, labelSelector } = gateway;
      const informer = makeInformer<V1Pod>(kc, `/api/v1/namespaces/${namespace}/pods`, () => core.listNamespacedPod({ namespace, labelSelector }), labelSelector);
      for (const event of ['add', 'update', 'delete'] as const) informer.on(event, () => this.emit({ kind: 'gateway' }));
      this.gateway = new ResilientInformer(`gateway pods (${labelSelector}) in ${namespace}`, informer, clock, logger);
    }
  }

  /** Registers a listener for changes that may change a target's endpoints or mode. */
  onChange(listener: (change: ServingChange) => void): void {
    this.listeners.push(listener);
  }

  /** Whether the scaler was told where the gateway's pods are. */
  gatewayConfigured(): boolean {
    return this.gatewayRef !== undefined;
  }

  /** Ready gateway pods with their data port. */
  gatewayEndpoints(): { pod: string; namespace: string; address: string; port: number }[] {
    const ref = this.gatewayRef;
    if (!ref || !this.gateway) return [];
    return this.gateway.cache
      .list(ref.namespace)
      .filter(isPodServing)
      .map((p) => ({ pod: p.metadata?.name ?? '', namespace: ref.namespace, address: p.status?.podIP ?? '', port: ref.port }))
      .sort((a, b) => a.address.localeCompare(b.address));
  }

  service(namespace: string, name: string): V1Service | undefined {
    return find(this.services, namespace, name);
  }

  slice(namespace: string, name: string): V1EndpointSlice | undefined {
    return find(this.slices, namespace, name);
  }

  podsIn(namespace: string): readonly V1Pod[] {
    return this.pods.flatMap((i) => i.cache.list(namespace));
  }

  async start(): Promise<void> {
    await Promise.all([...this.services, ...this.slices, ...this.pods, ...(this.gateway ? [this.gateway] : [])].map((i) => i.start()));
  }

  async stop(): Promise<void> {
    await Promise.all([...this.services, ...this.slices, ...this.pods, ...(this.gateway ? [this.gateway] : [])].map((i) => i.stop()));
  }

  private wrap<T extends KubernetesObject>(what: string, informer: Informer<T> & ObjectCache<T>, clock: Clock, logger: Logger): ResilientInformer<T> {
    const changed = (o: T) => this.emit({ kind: 'namespace', namespace: o.metadata?.namespace ?? 'default' });
    informer.on('add', changed);
    informer.on('update', changed);
    informer.on('delete', changed);
    return new ResilientInformer(what, informer, clock, logger);
  }

  private emit(change: ServingChange): void {
    for (const l of this.listeners) l(change);
  }
}

function find<T extends KubernetesObject>(informers: readonly ResilientInformer<T>[], namespace: string, name: string): T | undefined {
  for (const i of informers) {
    const found = i.cache.get(name, namespace);
    if (found) return found;
  }
  return undefined;
}

