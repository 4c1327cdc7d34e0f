import { CoreV1Api, makeInformer, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import type { Clock, Logger, TargetKey } from '@ebb/core';
import type { GatewayEndpoint } from '../gateway/target-route.ts';
import { sortEndpoints, type EndpointsChanged, type EndpointSpec, type EndpointTracker } from './endpoint-tracker.ts';
import { selectorMatches } from './label-selector.ts';
import { ResilientInformer } from './resilient-informer.ts';

/** Port used when neither the annotation nor the pod names one. */
export const FALLBACK_POD_PORT = 80;

/** True when the pod can take requests: Ready condition True, not being deleted, with an IP. */
export function isPodServing(pod: V1Pod): boolean {
  return (
    !pod.metadata?.deletionTimestamp &&
    !!pod.status?.podIP &&
    (pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false)
  );
}

/** The pod's port: `port` when > 0, else its container port named `http`, else its first container port. */
export function podPort(pod: V1Pod, port: number): number {
  if (port > 0) return port;
  const ports = (pod.spec?.containers ?? []).flatMap((c) => c.ports ?? []);
  return (ports.find((p) => p.name === 'http') ?? ports[0])?.containerPort ?? FALLBACK_POD_PORT;
}

/**
 * Ready endpoints from a pod watch (the default): a target's endpoints are its Ready pods matching the
 * Deployment's selector. Needs no Service and sees the Ready edge directly (one hop less than EndpointSlices).
 * One informer per watched namespace (or one for all); updates are incremental per pod.
 */
export class PodEndpoints implements EndpointTracker {
  private readonly informers: ResilientInformer<V1Pod>[] = [];
  private readonly specs = new Map<TargetKey, EndpointSpec>();
  private readonly ready = new Map<TargetKey, Map<string, GatewayEndpoint>>();
  private readonly byNamespace = new Map<string, Set<TargetKey>>();
  private readonly changed: EndpointsChanged;

  constructor(kc: KubeConfig, namespaces: readonly string[], changed: EndpointsChanged, clock: Clock, logger: Logger) {
    this.changed = changed;
    const core = kc.makeApiClient(CoreV1Api);
    for (const namespace of namespaces.length ? namespaces : [undefined]) {
      const informer = namespace
        ? makeInformer<V1Pod>(kc, `/api/v1/namespaces/${namespace}/pods`, () => core.listNamespacedPod({ namespace }))
        : makeInformer<V1Pod>(kc, '/api/v1/pods', () => core.listPodForAllNamespaces());
      informer.on('add', (p) => this.onPod(p, false));
      informer.on('update', (p) => this.onPod(p, false));
      informer.on('delete', (p) => this.onPod(p, true));
      this.informers.push(new ResilientInformer(`pods in ${namespace ?? 'all namespaces'}`, informer, clock, logger));
    }
  }

  async start(): Promise<void> {
    await Promise.all(this.informers.map((i) => i.start()));
  }

  async stop(): Promise<void> {
    await Promise.all(this.informers.map((i) => i.stop()));
  }

  track(spec: EndpointSpec): void {
    this.untrack(spec.key);
    this.specs.set(spec.key, spec);
    const keys = this.byNamespace.get(spec.namespace) ?? new Set<TargetKey>();
    keys.add(spec.key);
    this.byNamespace.set(spec.namespace, keys);
    const pods = this.informers.flatMap((i) => i.cache.list(spec.namespace));
    const next = new Map<string, GatewayEndpoint>();
    for (const pod of pods) {
      const ep = this.endpointOf(spec, pod);
      if (ep) next.set(ep.id, ep);
    }
    this.ready.set(spec.key, next);
    this.changed(spec.key, sortEndpoints(next.values()));
  }

  untrack(key: TargetKey): void {
    const spec = this.specs.get(key);
    if (!spec) return;
    this.specs.delete(key);
    this.ready.delete(key);
    this.byNamespace.get(spec.namespace)?.delete(key);
  }

  private endpointOf(spec: EndpointSpec, pod: V1Pod): GatewayEndpoint | undefined {
    if (!isPodServing(pod) || !selectorMatches(spec.selector, pod.metadata?.labels)) return undefined;
    return { id: pod.metadata?.name ?? '', address: pod.status?.podIP ?? '', port: podPort(pod, spec.port) };
  }

  private onPod(pod: V1Pod, deleted: boolean): void {
    const namespace = pod.metadata?.namespace;
    const name = pod.metadata?.name;
    if (!namespace || !name) return;
    for (const key of this.byNamespace.get(namespace) ?? []) {
      const spec = this.specs.get(key);
      const endpoints = this.ready.get(key);
      if (!spec || !endpoints) continue;
      const ep = deleted ? undefined : this.endpointOf(spec, pod);
      const before = endpoints.get(name);
      if (ep && before && ep.address === before.address && ep.port === before.port) continue;
      if (!ep && !before) continue;
      if (ep) endpoints.set(name, ep);
      else endpoints.delete(name);
      this.changed(spec.key, sortEndpoints(endpoints.values()));
    }
  }
}
