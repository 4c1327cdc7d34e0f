import { CoreV1Api, DiscoveryV1Api } from '@kubernetes/client-node';
import { once } from 'node:events';
import { createServer, get, type Server } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDeployment } from './deployments.ts';
import { podNetworkFromEnv } from './pod-network.ts';
import { nameOf, podIp, waitForReadyPods } from './pods.ts';
import { useTestNamespace } from './test-namespace.ts';
import { waitFor } from './wait-for.ts';

const ns = useTestNamespace('slices');
const network = podNetworkFromEnv();
const servers: Server[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

/** A Deployment `web` with 2 Ready pods and a Service `web` in front of it; returns the pods. */
async function serviceWithTwoPods() {
  const kc = ns.kubeConfig;
  await createTestDeployment(kc, { namespace: ns.name, name: 'web', replicas: 2, containerPort: 8080 });
  await kc.makeApiClient(CoreV1Api).createNamespacedService({
    namespace: ns.name,
    body: { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } },
  });
  return await waitForReadyPods(kc, { namespace: ns.name, labelSelector: 'app=web', count: 2 });
}

describe(`EndpointSlices with pod network ${network.cidr}`, () => {
  if (network.loopback) {
    // Kubernetes rejects loopback endpoint addresses, so with the default pod network a Service has no
    // EndpointSlices; code that discovers pods through them needs EBB_CLUSTER_POD_NETWORK (see README).
    it('are not published, because the apiserver rejects loopback endpoint addresses', async () => {
      await serviceWithTwoPods();
      const core = ns.kubeConfig.makeApiClient(CoreV1Api);
      const warning = await waitFor(
        async () =>
          (await core.listNamespacedEvent({ namespace: ns.name })).items.find(
            (e) => e.involvedObject.name === 'web' && e.reason === 'FailedToUpdateEndpointSlices',
          ),
        { timeoutMs: 20_000, description: 'the FailedToUpdateEndpointSlices event on Service web' },
      );
      expect(warning.type).toBe('Warning');
      expect(warning.message).toContain('may not be in the loopback range');
      const slices = await ns.kubeConfig
        .makeApiClient(DiscoveryV1Api)
        .listNamespacedEndpointSlice({ namespace: ns.name, labelSelector: 'kubernetes.io/service-name=web' });
      expect(slices.items.flatMap((s) => s.endpoints ?? [])).toEqual([]); // at most an empty placeholder slice
    });
  } else {
    it('list the ready pods, and each published address reaches its pod', async () => {
      const pods = await serviceWithTwoPods();
      const discovery = ns.kubeConfig.makeApiClient(DiscoveryV1Api);
      const endpoints = await waitFor(
        async () => {
          const slices = await discovery.listNamespacedEndpointSlice({
            namespace: ns.name,
            labelSelector: 'kubernetes.io/service-name=web',
          });
          const ready = slices.items.flatMap((s) => (s.endpoints ?? []).filter((e) => e.conditions?.ready));
          return ready.length === 2 ? { ready, port: slices.items[0]?.ports?.[0]?.port } : undefined;
        },
        { timeoutMs: 20_000, description: 'EndpointSlices of Service web with 2 ready endpoints' },
      );
      expect(endpoints.ready.map((e) => e.addresses[0]).sort()).toEqual(pods.map(podIp).sort());
      expect(endpoints.port).toBe(8080);
      for (const pod of pods) {
        const server = createServer((_req, res) => res.end(nameOf(pod)));
        servers.push(server);
        server.listen(8080, podIp(pod));
        await once(server, 'listening');
      }
      for (const endpoint of endpoints.ready) {
        const body = await new Promise<string>((resolve, reject) => {
          get({ host: endpoint.addresses[0], port: endpoints.port, timeout: 2_000 }, (res) => {
            let text = '';
            res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
            res.on('end', () => resolve(text));
          }).on('error', reject);
        });
        expect(body).toBe(endpoint.targetRef?.name);
      }
    });
  }
});
