import { AppsV1Api, CoreV1Api, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { createTestDeployment, startCluster, waitFor, type Cluster } from '@ebb/testing';
import { silentLogger, type Logger } from '@ebb/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayEndpoint } from '../gateway/target-route.ts';
import { KubeGatewayDiscovery } from './kube-discovery.ts';

// A private cluster: restarting the shared one would break the test files running beside this one.
let cluster: Cluster;
let discovery: KubeGatewayDiscovery | undefined;
beforeAll(async () => {
  cluster = await startCluster({ name: `eventgw-restart-${process.pid}`, nodes: 1 });
});
afterAll(async () => {
  await discovery?.stop();
  await cluster?.stop();
});

describe('watches across a kube-apiserver restart', () => {
  it('come back on their own and keep the endpoints current', async () => {
    const kc = cluster.kubeConfig();
    const namespace = 'restart';
    await kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: namespace } } });
    await waitFor(() => kc.makeApiClient(CoreV1Api).readNamespacedServiceAccount({ name: 'default', namespace }));
    await createTestDeployment(kc, { namespace, name: 'web', replicas: 1, annotations: { 'ebb.dev/eventgw.host': 'web.example.com' } });
    const warnings: string[] = [];
    const logger: Logger = { ...silentLogger, warn: (msg) => void warnings.push(msg) };
    const lists = new Map<string, readonly GatewayEndpoint[]>();
    discovery = new KubeGatewayDiscovery(kc, { namespaces: [namespace], logger });
    await discovery.start({ route: () => undefined, endpoints: (k, e) => void lists.set(k, e) });
    await waitFor(async () => (lists.get('restart/web')?.length === 1 ? true : undefined), { timeoutMs: 30_000, description: 'one endpoint' });

    await cluster.restartApiserver();
    await kc
      .makeApiClient(AppsV1Api)
      .patchNamespacedDeploymentScale({ name: 'web', namespace, body: { spec: { replicas: 2 } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));

    await waitFor(async () => (lists.get('restart/web')?.length === 2 ? true : undefined), { timeoutMs: 60_000, description: 'two endpoints after the restart' });
    expect(warnings).toContain('pods in restart watch interrupted; restarting');
  });
});
