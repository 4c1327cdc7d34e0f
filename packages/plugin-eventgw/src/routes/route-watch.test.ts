import { AuthenticationV1TokenRequest, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { installGatewayApiCrds, useTestNamespace } from '@ebb/testing';
import { describe, expect, it } from 'vitest';
import type { RouteSnapshot } from './route-watch.ts';
import { KubeRouteWatch } from './route-watch.ts';

const ns = useTestNamespace('route-watch');

/** A KubeConfig for the cluster of `kc` that authenticates as ServiceAccount `name` (which is granted nothing). */
async function serviceAccountConfig(kc: KubeConfig, namespace: string, name: string): Promise<KubeConfig> {
  const core = kc.makeApiClient(CoreV1Api);
  await core.createNamespacedServiceAccount({ namespace, body: { metadata: { name } } });
  const request: AuthenticationV1TokenRequest = { spec: { audiences: [], expirationSeconds: 600 } };
  const token = (await core.createNamespacedServiceAccountToken({ namespace, name, body: request })).status?.token ?? '';
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('the test KubeConfig has no cluster');
  const out = new KubeConfig();
  out.loadFromOptions({ clusters: [cluster], users: [{ name, token }], contexts: [{ name, cluster: cluster.name, user: name, namespace }], currentContext: name });
  return out;
}

describe('KubeRouteWatch', () => {
  it('without the right to read the Gateway API, reports an empty snapshot and says why, instead of failing', async () => {
    await installGatewayApiCrds(ns.kubeConfig);
    const kc = await serviceAccountConfig(ns.kubeConfig, ns.name, 'nobody');
    const lines: string[] = [];
    const logger = { debug: () => undefined, info: (m: string) => void lines.push(m), warn: (m: string) => void lines.push(m), error: (m: string) => void lines.push(m) };
    const watch = new KubeRouteWatch(kc, { namespaces: [ns.name], logger });
    let seen: RouteSnapshot | undefined;
    try {
      await watch.start((s) => (seen = s));
      expect(seen?.compiled.rules).toEqual([]);
      expect(seen?.routes).toEqual([]);
      expect(lines).toEqual(['this ServiceAccount may not list gatewayclasses (RBAC: see gatewayApi.enabled in the chart): HTTPRoutes are not watched (looking again every 30 s)']);
    } finally {
      await watch.stop();
    }
  });
});
