import { CoreV1Api } from '@kubernetes/client-node';
import { once } from 'node:events';
import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDeployment } from './deployments.ts';
import { podNetworkFromEnv, ipInCidr } from './pod-network.ts';
import { firstContainerPort, nameOf, podIp, waitForReadyPods } from './pods.ts';
import { useTestNamespace } from './test-namespace.ts';

const ns = useTestNamespace('pod-ip');
const servers: Server[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

async function fetchText(host: string, port: number): Promise<string> {
  return await new Promise((resolve, reject) => {
    get({ host, port, path: '/', timeout: 2_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

describe('pod IPs on the local cluster', () => {
  // 127.0.0.0/8 unless EBB_CLUSTER_POD_NETWORK names a network routed to lo.
  const network = podNetworkFromEnv();

  it(`are addresses of ${network.cidr} from the node's pod CIDR that a server can bind and a client can reach`, async () => {
    const kc = ns.kubeConfig;
    const core = kc.makeApiClient(CoreV1Api);
    await createTestDeployment(kc, { namespace: ns.name, name: 'echo', replicas: 2, containerPort: 8080 });
    const pods = await waitForReadyPods(kc, { namespace: ns.name, labelSelector: 'app=echo', count: 2 });

    for (const pod of pods) {
      const ip = podIp(pod);
      const node = await core.readNode({ name: pod.spec?.nodeName ?? '' });
      expect(ipInCidr(ip, network.cidr)).toBe(true);
      expect(ipInCidr(ip, node.spec?.podCIDR ?? '0.0.0.0/32')).toBe(true);
      // Each pod's "container" is a server on its own IP and its declared port, answering with the pod name.
      const port = firstContainerPort(pod);
      const server = createServer((_req, res) => res.end(nameOf(pod)));
      servers.push(server);
      server.listen(port, ip);
      await once(server, 'listening');
      expect((server.address() as AddressInfo).address).toBe(ip);
    }

    // Same port, different pod IPs: each request reaches exactly the pod it was addressed to.
    for (const pod of pods) {
      expect(await fetchText(podIp(pod), firstContainerPort(pod))).toBe(nameOf(pod));
    }
  });
});
