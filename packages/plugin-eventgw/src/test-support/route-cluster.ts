import { CoreV1Api, CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { request, Agent } from 'node:http';
import { EBB_GATEWAY_CONTROLLER, GATEWAY_API_GROUP, type HTTPRoute } from '../routes/gateway-api-types.ts';

/** Creates GatewayClass `className` (controllerName `ebb.dev/gateway`; cluster-wide) and Gateway `web` in `namespace`. */
export async function createEbbGateway(kc: KubeConfig, namespace: string, className: string): Promise<void> {
  const api = kc.makeApiClient(CustomObjectsApi);
  await api.createClusterCustomObject({ group: GATEWAY_API_GROUP, version: 'v1', plural: 'gatewayclasses', body: { apiVersion: `${GATEWAY_API_GROUP}/v1`, kind: 'GatewayClass', metadata: { name: className }, spec: { controllerName: EBB_GATEWAY_CONTROLLER } } });
  await api.createNamespacedCustomObject({
    group: GATEWAY_API_GROUP,
    version: 'v1',
    namespace,
    plural: 'gateways',
    body: { apiVersion: `${GATEWAY_API_GROUP}/v1`, kind: 'Gateway', metadata: { name: 'web' }, spec: { gatewayClassName: className, listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] } },
  });
}

/** Deletes GatewayClass `className`. */
export async function deleteGatewayClass(kc: KubeConfig, className: string): Promise<void> {
  await kc.makeApiClient(CustomObjectsApi).deleteClusterCustomObject({ group: GATEWAY_API_GROUP, version: 'v1', plural: 'gatewayclasses', name: className });
}

/** A Service `name` selecting `app=<deployment>` with port 80 -> `targetPort`. */
export async function createVersionService(kc: KubeConfig, namespace: string, name: string, deployment: string, targetPort: number): Promise<void> {
  await kc.makeApiClient(CoreV1Api).createNamespacedService({ namespace, body: { metadata: { name }, spec: { selector: { app: deployment }, ports: [{ port: 80, targetPort }] } } });
}

/** Creates or replaces HTTPRoute `route.metadata.name` in `namespace`. */
export async function applyRoute(kc: KubeConfig, namespace: string, route: HTTPRoute): Promise<void> {
  const api = kc.makeApiClient(CustomObjectsApi);
  const name = route.metadata?.name ?? '';
  const body = { apiVersion: `${GATEWAY_API_GROUP}/v1`, kind: 'HTTPRoute', ...route, metadata: { ...route.metadata, namespace } };
  try {
    const existing = (await api.getNamespacedCustomObject({ group: GATEWAY_API_GROUP, version: 'v1', namespace, plural: 'httproutes', name })) as HTTPRoute;
    await api.replaceNamespacedCustomObject({ group: GATEWAY_API_GROUP, version: 'v1', namespace, plural: 'httproutes', name, body: { ...body, metadata: { ...body.metadata, resourceVersion: existing.metadata?.resourceVersion } } });
  } catch (e) {
    if ((e as { code?: number }).code !== 404) throw e;
    await api.createNamespacedCustomObject({ group: GATEWAY_API_GROUP, version: 'v1', namespace, plural: 'httproutes', body });
  }
}

/** Reads HTTPRoute `name`. */
export async function readRoute(kc: KubeConfig, namespace: string, name: string): Promise<HTTPRoute> {
  return (await kc.makeApiClient(CustomObjectsApi).getNamespacedCustomObject({ group: GATEWAY_API_GROUP, version: 'v1', namespace, plural: 'httproutes', name })) as HTTPRoute;
}

/**
 * Sends `count` GET requests for `host` to 127.0.0.1:`port` over `connections` keep-alive connections and counts
 * the answers by `classify(status, body)`.
 */
export async function countAnswers(port: number, host: string, count: number, classify: (status: number, body: string) => string, connections = 16): Promise<Map<string, number>> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const counts = new Map<string, number>();
  let next = 0;
  const one = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/', agent, headers: { host }, timeout: 10_000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const k = classify(res.statusCode ?? 0, Buffer.concat(chunks).toString());
          counts.set(k, (counts.get(k) ?? 0) + 1);
          resolve();
        });
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error('no answer within 10 s')));
      req.on('error', reject);
      req.end();
    });
  const worker = async (): Promise<void> => {
    while (next < count) {
      next++;
      await one();
    }
  };
  try {
    await Promise.all(Array.from({ length: connections }, worker));
  } finally {
    agent.destroy();
  }
  return counts;
}
