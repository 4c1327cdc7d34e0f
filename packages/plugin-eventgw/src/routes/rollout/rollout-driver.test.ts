import { AuthenticationV1TokenRequest, CoreV1Api, CustomObjectsApi, KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { systemClock } from '@ebb/core';
import { installGatewayApiCrds, useTestNamespace } from '@ebb/testing';
import { describe, expect, it } from 'vitest';
import { compileRoutes } from '../compile-routes.ts';
import { GATEWAY_API_GROUP, type HTTPRoute } from '../gateway-api-types.ts';
import { backend, ebbClass } from '../../test-support/route-world.ts';
import { RolloutDriver } from './rollout-driver.ts';
import { readRolloutState } from './rollout-state.ts';

const ns = useTestNamespace('rollout-driver');
const gw = { group: GATEWAY_API_GROUP, version: 'v1', plural: 'httproutes' };
const api = (kc: KubeConfig) => kc.makeApiClient(CustomObjectsApi);
const read = async () => (await api(ns.kubeConfig).getNamespacedCustomObject({ ...gw, namespace: ns.name, name: 'coffee' })) as HTTPRoute;

/** Compiles `route` in a world of Gateway `web` and two versions in the test namespace (no Services needed in the cluster). */
function compiled(route: HTTPRoute) {
  const view = (v: string) => ({ namespace: ns.name, name: `coffee-${v}` });
  return compileRoutes({
    gatewayClasses: [ebbClass],
    gateways: [{ metadata: { namespace: ns.name, name: 'web' }, spec: { gatewayClassName: 'ebb', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] } }],
    routes: [route],
    services: ['v1', 'v2'].map((v) => ({ ...view(v), selector: { app: `coffee-${v}` }, ports: [{ port: 80, targetPort: 8080 }] })),
    deployments: ['v1', 'v2'].map((v) => ({ ...view(v), podLabels: { app: `coffee-${v}` } })),
  });
}

async function nobody(kc: KubeConfig): Promise<KubeConfig> {
  const core = kc.makeApiClient(CoreV1Api);
  await core.createNamespacedServiceAccount({ namespace: ns.name, body: { metadata: { name: 'nobody' } } });
  const request: AuthenticationV1TokenRequest = { spec: { audiences: [], expirationSeconds: 600 } };
  const token = (await core.createNamespacedServiceAccountToken({ namespace: ns.name, name: 'nobody', body: request })).status?.token ?? '';
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('the test KubeConfig has no cluster');
  const out = new KubeConfig();
  out.loadFromOptions({ clusters: [cluster], users: [{ name: 'nobody', token }], contexts: [{ name: 'nobody', cluster: cluster.name, user: 'nobody' }], currentContext: 'nobody' });
  return out;
}

describe('RolloutDriver on the real apiserver', () => {
  it('writes the state on the route, records Events on it, loses a race without harm, and says once that it may not write', async () => {
    const kc = ns.kubeConfig;
    await installGatewayApiCrds(kc);
    const rules = (w1: number, w2: number) => [{ backendRefs: [backend('v1', w1), backend('v2', w2)] }];
    const body = { apiVersion: `${GATEWAY_API_GROUP}/v1`, kind: 'HTTPRoute', metadata: { name: 'coffee', annotations: { 'ebb.dev/rollout-duration': '60s' } }, spec: { parentRefs: [{ name: 'web' }], hostnames: ['coffee.example.com'], rules: rules(100, 0) } };
    await api(kc).createNamespacedCustomObject({ ...gw, namespace: ns.name, body });
    const driver = new RolloutDriver(kc, { clock: systemClock, deployment: () => undefined });
    const pass = async (d: RolloutDriver) => {
      const r = await read();
      return d.pass([r], compiled(r));
    };

    // First decision: the spec weights are the effective split.
    expect(await pass(driver)).toBe(1);
    expect(readRolloutState(await read())?.current).toEqual({ [`${ns.name}/coffee-v1`]: 100, [`${ns.name}/coffee-v2`]: 0 });
    expect(await pass(driver)).toBe(0);

    // A weight change starts a rollout from it; the Event is on the route.
    const stale = await read();
    await api(kc).patchNamespacedCustomObject({ ...gw, namespace: ns.name, name: 'coffee', body: { spec: { rules: rules(0, 100) } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    // Decided on the route before the change: its write conflicts and changes nothing.
    expect(await driver.pass([stale], compiled({ ...stale, spec: { ...stale.spec, rules: rules(0, 100) } }))).toBe(0);
    expect(await pass(driver)).toBe(1);
    expect(readRolloutState(await read())).toMatchObject({ receiver: `${ns.name}/coffee-v2`, step: 0, current: { [`${ns.name}/coffee-v1`]: 100 } });
    const events = await kc.makeApiClient(CoreV1Api).listNamespacedEvent({ namespace: ns.name, fieldSelector: 'involvedObject.kind=HTTPRoute,involvedObject.name=coffee' });
    expect(events.items.map((e) => e.reason)).toEqual(['RolloutStarted']);

    // Without the right to patch routes: no write, one warning naming what is missing.
    const warnings: string[] = [];
    const denied = new RolloutDriver(await nobody(kc), { clock: systemClock, deployment: () => undefined, logger: { debug: () => undefined, info: () => undefined, warn: (m: string) => void warnings.push(m), error: () => undefined } });
    await api(kc).patchNamespacedCustomObject({ ...gw, namespace: ns.name, name: 'coffee', body: { metadata: { annotations: { 'ebb.dev/rollout-duration': null } } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    expect([await pass(denied), await pass(denied)]).toEqual([0, 0]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/patch on httproutes/);
  });
});
