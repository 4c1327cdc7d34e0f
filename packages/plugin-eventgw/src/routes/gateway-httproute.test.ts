import { createTestDeployment, findFreePort, installGatewayApiCrds, useTestNamespace } from '@ebb/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway } from '../gateway/start-gateway.ts';
import type { GatewayHandle } from '../gateway/gateway-options.ts';
import { targetKey } from '@ebb/core';
import { COLD_START_HEADER } from '../gateway/gateway-handler.ts';
import { eventually, send, targetStats } from '../test-support/http-client.ts';
import { startMiniScaler, type MiniScaler } from '../test-support/mini-scaler.ts';
import { servePods, type PodBackends } from '../test-support/pod-backends.ts';
import { applyRoute, countAnswers, createEbbGateway, createVersionService, deleteGatewayClass, readRoute } from '../test-support/route-cluster.ts';
import { CustomObjectsApi } from '@kubernetes/client-node';
import { GATEWAY_API_GROUP, type Gateway, type GatewayClass, type HTTPRoute, type RouteCondition } from './gateway-api-types.ts';
import { RouteStatusWriter } from './route-status-writer.ts';
import { KubeRouteWatch, type RouteSnapshot } from './route-watch.ts';

const ns = useTestNamespace('eventgw-httproute');
let gateway: GatewayHandle;
const pods: PodBackends[] = [];
let className = '';
let scaler: MiniScaler;
const key = (v: string): string => targetKey({ namespace: ns.name, name: `coffee-${v}` });

function split(v1: number, v2: number): HTTPRoute {
  return {
    metadata: { name: 'coffee' },
    spec: {
      parentRefs: [{ name: 'web' }],
      hostnames: ['coffee.example.com'],
      rules: [
        { backendRefs: [{ name: 'coffee-v1', port: 80, weight: v1 }, { name: 'coffee-v2', port: 80, weight: v2 }] },
        { matches: [{ headers: [{ name: 'x-version', value: 'v2' }] }], backendRefs: [{ name: 'coffee-v2', port: 80 }] },
      ],
    },
  };
}

const tag: HTTPRoute = { metadata: { name: 'coffee-v2-tag' }, spec: { parentRefs: [{ name: 'web' }], hostnames: ['v2-coffee.example.com'], rules: [{ backendRefs: [{ name: 'coffee-v2', port: 80 }] }] } };

/** The version that answered: pods answer with their name, `coffee-v1-<hash>-<id>`. */
const versionOf = (status: number, body: string): string => (status === 200 ? (body.match(/^coffee-(v\d)-/)?.[1] ?? body) : `status ${status}`);

beforeAll(async () => {
  const kc = ns.kubeConfig;
  await installGatewayApiCrds(kc);
  className = `ebb-${ns.name}`;
  await createEbbGateway(kc, ns.name, className);
  const port = await findFreePort();
  for (const v of ['v1', 'v2']) {
    // Two pods per version, unlimited concurrency: the split is the only thing measured.
    await createTestDeployment(kc, { namespace: ns.name, name: `coffee-${v}`, replicas: 2, containerPort: port, annotations: { 'ebb.dev/eventgw.container-concurrency': '0' } });
    await createVersionService(kc, ns.name, `coffee-${v}`, `coffee-${v}`, port);
    pods.push(await servePods(kc, ns.name, `app=coffee-${v}`, port, (pod, req, res) => {
      req.resume();
      res.end(pod);
    }));
  }
  // v3 starts at zero, reached only through its tag: its requests are held as its own, its pokes name it.
  const v3 = { 'ebb.dev/eventgw.container-concurrency': '1' };
  await createTestDeployment(kc, { namespace: ns.name, name: 'coffee-v3', replicas: 0, containerPort: port, annotations: v3, readinessDelay: '1s' });
  await createVersionService(kc, ns.name, 'coffee-v3', 'coffee-v3', port);
  pods.push(await servePods(kc, ns.name, 'app=coffee-v3', port, (pod, req, res) => {
    req.resume();
    res.end(pod);
  }));
  await applyRoute(kc, ns.name, split(70, 30));
  await applyRoute(kc, ns.name, tag);
  await applyRoute(kc, ns.name, { metadata: { name: 'coffee-v3-tag' }, spec: { parentRefs: [{ name: 'web' }], hostnames: ['v3-coffee.example.com'], rules: [{ backendRefs: [{ name: 'coffee-v3', port: 80 }] }] } });
  const adminPort = await findFreePort();
  const v3Info = { ref: { namespace: ns.name, name: 'coffee-v3' }, key: key('v3'), selector: { app: 'coffee-v3' }, policies: ['eventgw'], annotations: v3 };
  scaler = await startMiniScaler(kc, `http://127.0.0.1:${adminPort}`, [v3Info]);
  gateway = await startGateway({ kubeConfig: kc, namespaces: [ns.name], host: '127.0.0.1', port: await findFreePort(), adminHost: '127.0.0.1', adminPort, scalerUrl: scaler.url, processMetrics: false });
}, 120_000);
afterAll(async () => {
  await scaler?.stop();
  await gateway?.stop({ drainTimeoutMs: 0 });
  await Promise.all(pods.map((p) => p.stop()));
  if (className) await deleteGatewayClass(ns.kubeConfig, className);
});

describe('HTTPRoutes on a real cluster', () => {
  it('splits 10,000 requests 70/30 between two versions within +-3 %', async () => {
    // Both versions have two Ready pods each before measuring.
    await eventually(async () => {
      const c = await countAnswers(gateway.port, 'coffee.example.com', 200, versionOf);
      return (c.get('v1') ?? 0) + (c.get('v2') ?? 0) === 200 && pods.slice(0, 2).every((p) => p.byPod.size === 2);
    }, 'both versions answering', 60_000);
    const requests = async (): Promise<number[]> => Promise.all(['v1', 'v2'].map(async (v) => (await targetStats(gateway.adminPort, key(v)))?.requestCount ?? 0));
    const before = await requests();
    const counts = await countAnswers(gateway.port, 'coffee.example.com', 10_000, versionOf);
    const v1 = counts.get('v1') ?? 0;
    const v2 = counts.get('v2') ?? 0;
    console.info(`70/30 split over 10,000 requests: v1 ${v1}, v2 ${v2}`);
    expect(v1 + v2).toBe(10_000);
    expect(v1 / 10_000).toBeGreaterThanOrEqual(0.67);
    expect(v1 / 10_000).toBeLessThanOrEqual(0.73);
    // Each version is a target of its own in what the scaler reads: its requests, and so its demand.
    const after = await requests();
    expect(after.map((n, i) => n - (before[i] ?? 0))).toEqual([v1, v2]);
  });

  it('a tag (own host, or a header rule) reaches its version, also when the split gives it 0 %', async () => {
    await applyRoute(ns.kubeConfig, ns.name, split(100, 0));
    await eventually(async () => (await countAnswers(gateway.port, 'coffee.example.com', 100, versionOf)).get('v1') === 100, 'v2 at 0 %', 30_000);
    expect(Object.fromEntries(await countAnswers(gateway.port, 'coffee.example.com', 500, versionOf))).toEqual({ v1: 500 });
    expect(Object.fromEntries(await countAnswers(gateway.port, 'v2-coffee.example.com', 100, versionOf))).toEqual({ v2: 100 });
    const header = await send(gateway.port, { host: 'coffee.example.com', headers: { 'x-version': 'v2' } });
    expect(versionOf(header.status, header.body)).toBe('v2');
  });

  it('holds a request for a version at zero as that version\'s own cold start, and pokes the scaler for it alone', async () => {
    const r = await send(gateway.port, { host: 'v3-coffee.example.com', timeoutMs: 60_000 });
    expect(r.status).toBe(200);
    expect(r.body).toMatch(/^coffee-v3-/);
    expect(Number(r.headers[COLD_START_HEADER])).toBeGreaterThan(0);
    expect(new Set(scaler.pokes)).toEqual(new Set([key('v3')]));
    expect(await targetStats(gateway.adminPort, key('v3'))).toMatchObject({ requestCount: 1, coldStarts: 1 });
    expect((await targetStats(gateway.adminPort, key('v2')))?.coldStarts).toBe(0);
  });

  it('routes annotation hosts as before; an HTTPRoute rule on the same host is tried first, the rest stays with the annotation', async () => {
    const kc = ns.kubeConfig;
    const port = await findFreePort();
    await createTestDeployment(kc, { namespace: ns.name, name: 'tea', replicas: 1, containerPort: port, annotations: { 'ebb.dev/eventgw.host': 'tea.example.com', 'ebb.dev/eventgw.container-concurrency': '0' } });
    pods.push(await servePods(kc, ns.name, 'app=tea', port, (pod, req, res) => {
      req.resume();
      res.end(pod);
    }));
    await eventually(async () => (await send(gateway.port, { host: 'tea.example.com' })).body.startsWith('tea-'), 'the annotated Deployment answering', 30_000);
    await applyRoute(kc, ns.name, { metadata: { name: 'tea-preview' }, spec: { parentRefs: [{ name: 'web' }], hostnames: ['tea.example.com'], rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/preview' } }], backendRefs: [{ name: 'coffee-v2', port: 80 }] }] } });
    await eventually(async () => (await send(gateway.port, { host: 'tea.example.com', path: '/preview/x' })).body.startsWith('coffee-v2-'), 'the route rule taking /preview', 30_000);
    for (const [path, served] of [['/', /^tea-/], ['/menu', /^tea-/], ['/preview', /^coffee-v2-/], ['/previews', /^tea-/]] as const) {
      expect((await send(gateway.port, { host: 'tea.example.com', path })).body).toMatch(served);
    }
  });

  it('answers 404 for a host no route (and no annotation) serves', async () => {
    expect((await send(gateway.port, { host: 'juice.example.com' })).status).toBe(404);
  });
});

describe('HTTPRoute status', () => {
  /** `type: status reason` of each condition of the Ebb parent entry. */
  const summary = (conditions: readonly RouteCondition[] = []): string[] => conditions.map((c) => `${c.type}: ${c.status} ${c.reason}`);

  it('is written once per change by the writer: Accepted and ResolvedRefs for a good route; UnsupportedValue and BackendNotFound for a bad one', async () => {
    const kc = ns.kubeConfig;
    const bad: HTTPRoute = {
      metadata: { name: 'bad' },
      spec: {
        parentRefs: [{ name: 'web' }],
        hostnames: ['bad.example.com'],
        rules: [
          { filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: { add: [{ name: 'x-a', value: 'b' }] } }], backendRefs: [{ name: 'coffee-v1', port: 80 }] },
          { matches: [{ path: { type: 'PathPrefix', value: '/missing' } }], backendRefs: [{ name: 'coffee-v9', port: 80 }] },
        ],
      },
    };
    await applyRoute(kc, ns.name, bad);
    const watch = new KubeRouteWatch(kc, { namespaces: [ns.name] });
    const writer = new RouteStatusWriter(kc);
    let latest: RouteSnapshot | undefined;
    await watch.start((s) => (latest = s));
    try {
      const snapshot = await eventually(() => latest?.routes.some((r) => r.metadata?.name === 'bad') && latest, 'the bad route in the watch');
      // At least the two routes, the Gateway and the GatewayClass.
      expect(await writer.write(snapshot)).toBeGreaterThanOrEqual(4);
      const good = await readRoute(kc, ns.name, 'coffee-v2-tag');
      expect(good.status?.parents?.map((p) => [p.controllerName, p.parentRef.name, summary(p.conditions)])).toEqual([['ebb.dev/gateway', 'web', ['Accepted: True Accepted', 'ResolvedRefs: True ResolvedRefs']]]);
      expect(good.status?.parents?.[0]?.conditions[0]?.observedGeneration).toBe(good.metadata?.generation);
      const refused = await readRoute(kc, ns.name, 'bad');
      const conditions = refused.status?.parents?.[0]?.conditions;
      expect(summary(conditions)).toEqual(['Accepted: False UnsupportedValue', 'ResolvedRefs: False BackendNotFound']);
      expect(conditions?.[0]?.message).toContain('spec.rules[0].filters');
      expect(conditions?.[1]?.message).toContain('Service ' + ns.name + '/coffee-v9 not found');
      // The refused route routes nothing.
      expect((await send(gateway.port, { host: 'bad.example.com' })).status).toBe(404);

      // The GatewayClass is Accepted; the Gateway Accepted and Programmed, its listener counting the accepted routes.
      const cls = (await kc.makeApiClient(CustomObjectsApi).getClusterCustomObject({ group: GATEWAY_API_GROUP, version: 'v1', plural: 'gatewayclasses', name: className })) as GatewayClass;
      expect(summary(cls.status?.conditions)).toEqual(['Accepted: True Accepted']);
      const gw = (await kc.makeApiClient(CustomObjectsApi).getNamespacedCustomObject({ group: GATEWAY_API_GROUP, version: 'v1', namespace: ns.name, plural: 'gateways', name: 'web' })) as Gateway;
      expect(summary(gw.status?.conditions)).toEqual(['Accepted: True Accepted', 'Programmed: True Programmed']);
      const accepted = snapshot.routes.filter((r) => r.metadata?.name !== 'bad').length;
      expect(gw.status?.listeners?.map((l) => [l.name, l.attachedRoutes, summary(l.conditions)])).toEqual([['http', accepted, ['Accepted: True Accepted', 'Programmed: True Programmed', 'ResolvedRefs: True ResolvedRefs']]]);

      // Idempotent: once the watch shows the written status, nothing is written again.
      const written = (s: RouteSnapshot | undefined) =>
        s && s.routes.every((r) => (r.status?.parents?.length ?? 0) > 0) && s.gateways.every((g) => (g.status?.listeners?.length ?? 0) > 0) && s.gatewayClasses.some((c) => c.metadata?.name === className && c.status?.conditions?.length);
      const settled = await eventually(() => written(latest) && latest, 'the written status in the watch');
      expect(await writer.write(settled)).toBe(0);
    } finally {
      await watch.stop();
    }
  });
});
