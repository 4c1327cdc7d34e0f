import { AppsV1Api, DiscoveryV1Api, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { createTestDeployment, findFreePort, useTestNamespace, waitFor } from '@ebb/testing';
import { afterAll, describe, expect, it } from 'vitest';
import type { GatewayEndpoint, TargetRoute } from '../gateway/target-route.ts';
import type { DiscoveryListener } from './gateway-discovery.ts';
import { KubeGatewayDiscovery } from './kube-discovery.ts';

const ns = useTestNamespace('eventgw-discovery');
const stops: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const stop of stops) await stop();
});

/** A listener that keeps the latest route and endpoints per target. */
function latest(): DiscoveryListener & { routes: Map<string, TargetRoute | undefined>; lists: Map<string, readonly GatewayEndpoint[]> } {
  const routes = new Map<string, TargetRoute | undefined>();
  const lists = new Map<string, readonly GatewayEndpoint[]>();
  return { routes, lists, route: (k, r) => void routes.set(k, r), endpoints: (k, e) => void lists.set(k, e) };
}

async function patchAnnotations(name: string, annotations: Record<string, string | null>): Promise<void> {
  await ns.kubeConfig
    .makeApiClient(AppsV1Api)
    .patchNamespacedDeployment({ name, namespace: ns.name, body: { metadata: { annotations } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
}

const until = <T>(what: string, fn: () => T | undefined | false) => waitFor(async () => fn() || undefined, { timeoutMs: 30_000, description: what });

describe('KubeGatewayDiscovery', () => {
  it('routes only annotated Deployments, with their Ready pods as endpoints, and follows changes', async () => {
    const port = await findFreePort();
    const host = 'ebb.dev/eventgw.host';
    await createTestDeployment(ns.kubeConfig, { namespace: ns.name, name: 'web', replicas: 2, containerPort: port, annotations: { [host]: 'web.example.com', 'ebb.dev/eventgw.container-concurrency': '2' } });
    await createTestDeployment(ns.kubeConfig, { namespace: ns.name, name: 'private', replicas: 1, containerPort: port });
    const seen = latest();
    const discovery = new KubeGatewayDiscovery(ns.kubeConfig, { namespaces: [ns.name] });
    stops.push(() => discovery.stop());
    await discovery.start(seen);
    const key = `${ns.name}/web`;

    await until('route of web', () => seen.routes.get(key)?.containerConcurrency === 2);
    expect(seen.routes.get(key)).toMatchObject({ hosts: ['web.example.com'], pathPrefix: '/', queueLength: 1000 });
    const endpoints = await until('two ready endpoints', () => seen.lists.get(key)?.length === 2 && seen.lists.get(key));
    for (const e of endpoints) expect(e).toMatchObject({ address: expect.stringMatching(/^127\./), port, id: expect.stringMatching(/^web-/) });
    expect(seen.routes.has(`${ns.name}/private`)).toBe(false);

    await patchAnnotations('web', { 'ebb.dev/eventgw.container-concurrency': '3', 'ebb.dev/eventgw.path-prefix': '/api' });
    await until('the changed route', () => seen.routes.get(key)?.containerConcurrency === 3);
    expect(seen.routes.get(key)?.pathPrefix).toBe('/api');

    await patchAnnotations('web', { 'ebb.dev/eventgw.container-concurrency': 'lots' });
    await patchAnnotations('web', { 'ebb.dev/eventgw.queue-length': '7' });
    await new Promise((r) => setTimeout(r, 500));
    expect(seen.routes.get(key)?.containerConcurrency).toBe(3);
    expect(seen.routes.get(key)?.queueLength).toBe(1000);

    await ns.kubeConfig.makeApiClient(AppsV1Api).patchNamespacedDeploymentScale({ name: 'web', namespace: ns.name, body: { spec: { replicas: 1 } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    await until('one endpoint left', () => seen.lists.get(key)?.length === 1);

    await patchAnnotations('web', { [host]: null });
    await until('web no longer routed', () => seen.routes.has(key) && seen.routes.get(key) === undefined);
    expect(seen.lists.get(key)).toEqual([]);
  });

  it('can take endpoints from the EndpointSlices of a Service instead', async () => {
    await createTestDeployment(ns.kubeConfig, { namespace: ns.name, name: 'sliced', replicas: 0, annotations: { 'ebb.dev/eventgw.host': 'sliced.example.com', 'ebb.dev/eventgw.service': 'sliced-svc' } });
    const seen = latest();
    const discovery = new KubeGatewayDiscovery(ns.kubeConfig, { namespaces: [ns.name], endpointSource: 'endpoint-slices' });
    stops.push(() => discovery.stop());
    await discovery.start(seen);
    const key = `${ns.name}/sliced`;
    await until('route of sliced', () => seen.routes.get(key));
    expect(seen.lists.get(key)).toEqual([]);
    // The local cluster's pod IPs are loopback addresses, which EndpointSlices refuse; a hand-made slice stands in.
    const api = ns.kubeConfig.makeApiClient(DiscoveryV1Api);
    const slice = (ready: boolean) => ({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'sliced-svc-abc', labels: { 'kubernetes.io/service-name': 'sliced-svc' } },
      addressType: 'IPv4',
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      endpoints: [
        { addresses: ['10.9.0.1'], conditions: { ready }, targetRef: { kind: 'Pod', name: 'sliced-1', namespace: ns.name } },
        { addresses: ['10.9.0.2'], conditions: { ready: true, terminating: true }, targetRef: { kind: 'Pod', name: 'sliced-2', namespace: ns.name } },
      ],
    });
    await api.createNamespacedEndpointSlice({ namespace: ns.name, body: slice(true) });
    await until('the slice endpoint', () => seen.lists.get(key)?.length === 1);
    expect(seen.lists.get(key)).toEqual([{ id: 'sliced-1', address: '10.9.0.1', port: 8080 }]);
    await api.replaceNamespacedEndpointSlice({ name: 'sliced-svc-abc', namespace: ns.name, body: slice(false) });
    await until('no ready endpoint', () => seen.lists.get(key)?.length === 0);
  });
});
