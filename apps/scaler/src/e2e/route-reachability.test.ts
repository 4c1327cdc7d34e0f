import { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { EBB_GATEWAY_CONTROLLER, GATEWAY_API_GROUP, type HTTPRoute } from '@ebb/plugin-eventgw';
import { installGatewayApiCrds, useTestNamespace, waitFor } from '@ebb/testing';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunningScaler } from '../runtime/scaler.ts';
import { createTarget, specReplicas, startTestScaler, waitForReplicas } from '../test-support/cluster-helpers.ts';

const ns = useTestNamespace('route-reachability');
let scaler: RunningScaler | undefined;
let className = '';
afterAll(async () => {
  await scaler?.stop();
  if (className) await ns.kubeConfig.makeApiClient(CustomObjectsApi).deleteClusterCustomObject({ group: GATEWAY_API_GROUP, version: 'v1', plural: 'gatewayclasses', name: className });
});

const API_VERSION = 'v1';
const api = () => ns.kubeConfig.makeApiClient(CustomObjectsApi);

/** The split of route `coffee`: v1 gets everything, v2 0 %; with `tag`, a rule of its own for v2 on its own host. */
function route(tag: boolean): HTTPRoute {
  const rules = [{ backendRefs: [{ name: 'coffee-v1', port: 80, weight: 100 }, { name: 'coffee-v2', port: 80, weight: 0 }] }];
  return {
    metadata: { name: tag ? 'coffee-v2-tag' : 'coffee' },
    spec: { parentRefs: [{ name: 'web' }], hostnames: [tag ? 'v2-coffee.example.com' : 'coffee.example.com'], rules: tag ? [{ backendRefs: [{ name: 'coffee-v2', port: 80 }] }] : rules },
  };
}

async function create(plural: string, body: object, namespaced = true): Promise<void> {
  const base = { group: GATEWAY_API_GROUP, version: API_VERSION, plural };
  const full = { apiVersion: `${GATEWAY_API_GROUP}/v1`, ...body };
  if (namespaced) await api().createNamespacedCustomObject({ ...base, namespace: ns.name, body: full });
  else await api().createClusterCustomObject({ ...base, body: full });
}

describe('versions no route reaches, with the scaler on a real cluster', () => {
  it('an unreachable version scales to zero below its min-replicas; a tag makes it reachable again and its min holds', async () => {
    const kc = ns.kubeConfig;
    await installGatewayApiCrds(kc);
    className = `ebb-${ns.name}`;
    await create('gatewayclasses', { kind: 'GatewayClass', metadata: { name: className }, spec: { controllerName: EBB_GATEWAY_CONTROLLER } }, false);
    await create('gateways', { kind: 'Gateway', metadata: { name: 'web' }, spec: { gatewayClassName: className, listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] } });
    const min = { 'ebb.dev/policies': 'fixed', 'ebb.dev/fixed.replicas': '0', 'ebb.dev/min-replicas': '2', 'ebb.dev/scale-to-zero-grace-period': '6s' };
    for (const name of ['coffee-v1', 'coffee-v2']) {
      await createTarget(kc, ns.name, name, min, 2);
      await kc.makeApiClient(CoreV1Api).createNamespacedService({ namespace: ns.name, body: { metadata: { name }, spec: { selector: { app: name }, ports: [{ port: 80, targetPort: 8080 }] } } });
    }
    await create('httproutes', { kind: 'HTTPRoute', ...route(false) });
    scaler = await startTestScaler(kc, ns.name);

    // v2 has weight 0 and no tag: its min of 2 no longer holds it; after the grace period it is at zero.
    await waitForReplicas(kc, ns.name, 'coffee-v2', 0, 40_000);
    expect(await specReplicas(kc, ns.name, 'coffee-v1')).toBe(2);
    const explained = scaler.explain(`${ns.name}/coffee-v1`);
    expect(explained && 'desired' in explained ? explained.desired : undefined).toBe(2);

    // A tag is a rule of its own for v2: reachable again, min-replicas holds it at 2.
    await create('httproutes', { kind: 'HTTPRoute', ...route(true) });
    await waitForReplicas(kc, ns.name, 'coffee-v2', 2, 20_000);
    // The route status the scaler wrote (it leads: leader election is off in this test).
    const status = await waitFor(async () => {
      const r = (await api().getNamespacedCustomObject({ group: GATEWAY_API_GROUP, version: API_VERSION, plural: 'httproutes', namespace: ns.name, name: 'coffee' })) as HTTPRoute;
      return r.status?.parents?.[0];
    });
    expect(status.controllerName).toBe(EBB_GATEWAY_CONTROLLER);
    expect(status.conditions.map((c) => `${c.type}=${c.status}`)).toEqual(['Accepted=True', 'ResolvedRefs=True']);
  });
});
