import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaticDiscovery } from '../discovery/static-discovery.ts';
import { answer, startBackend, type Backend } from '../test-support/backends.ts';
import { eventually, send, targetStats } from '../test-support/http-client.ts';
import { endpointOf, startTestGateway, testRoute } from '../test-support/test-gateway.ts';
import { COLD_START_HEADER } from './gateway-handler.ts';
import type { GatewayHandle } from './gateway-options.ts';

let gateway: GatewayHandle;
let discovery: StaticDiscovery;
let scaler: Server;
/** Targets poked, in order, as the fake scaler received them. */
const pokes: string[] = [];
const backends: Backend[] = [];

beforeAll(async () => {
  scaler = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://scaler');
    if (req.method === 'POST' && url.pathname === '/poke') pokes.push(url.searchParams.get('target') ?? '?');
    res.end();
  }).listen(0, '127.0.0.1');
  await once(scaler, 'listening');
  ({ gateway, discovery } = await startTestGateway({ scalerUrl: `http://127.0.0.1:${(scaler.address() as AddressInfo).port}` }));
});
afterAll(async () => {
  await gateway.stop({ drainTimeoutMs: 0 });
  await Promise.all(backends.map((b) => b.close()));
  scaler.close();
});

describe('hold at zero', () => {
  it('holds requests while no pod is ready, pokes the scaler at once, and forwards them when one is', async () => {
    const route = testRoute('cold');
    discovery.setRoute(route);
    const answers = ['c1', 'c2', 'c3'].map((id) => send(gateway.port, { host: 'cold.example.com', headers: { 'x-test-id': id } }));
    await eventually(async () => (await targetStats(gateway.adminPort, route.key))?.queued === 3, 'three held requests');
    await eventually(() => pokes.includes('shop/cold'), 'a poke for shop/cold');
    expect(pokes.filter((p) => p === 'shop/cold')).toHaveLength(1);
    expect(await targetStats(gateway.adminPort, route.key)).toMatchObject({ inFlight: 0, queued: 3, coldStarts: 3, readyEndpoints: 0 });

    const pod = await startBackend('127.250.4.1', answer('pod'));
    backends.push(pod);
    discovery.setEndpoints(route.key, [endpointOf(pod)]);
    const results = await Promise.all(answers);
    expect(results.map((r) => [r.status, r.body])).toEqual([
      [200, 'pod'],
      [200, 'pod'],
      [200, 'pod'],
    ]);
    for (const r of results) expect(Number(r.headers[COLD_START_HEADER])).toBeGreaterThanOrEqual(0);
    expect(pod.maxInFlight).toBe(1);

    const warm = await send(gateway.port, { host: 'cold.example.com' });
    expect(warm.status).toBe(200);
    expect(warm.headers[COLD_START_HEADER]).toBeUndefined();
    expect(await targetStats(gateway.adminPort, route.key)).toMatchObject({ requestCount: 4, coldStarts: 3 });
  });

  it('answers 504 naming the cold start when no pod turns Ready within the queue timeout', async () => {
    const route = testRoute('never', { queueTimeoutMs: 150 });
    discovery.setRoute(route);
    const r = await send(gateway.port, { host: 'never.example.com' });
    expect(r.status).toBe(504);
    expect(r.body).toContain('no pod of shop/never turned Ready within the queue timeout of 150 ms');
    expect(pokes).toContain('shop/never');
  });

  it('answers waiting requests 503 when their target stops being routed', async () => {
    const route = testRoute('removed');
    discovery.setRoute(route);
    const waiting = send(gateway.port, { host: 'removed.example.com' });
    await eventually(async () => (await targetStats(gateway.adminPort, route.key))?.queued === 1, 'a held request');
    discovery.removeRoute(route.key);
    const r = await waiting;
    expect(r.status).toBe(503);
    expect(r.headers['x-ebb-error']).toBe('unavailable');
    expect((await send(gateway.port, { host: 'removed.example.com' })).status).toBe(404);
  });
});
