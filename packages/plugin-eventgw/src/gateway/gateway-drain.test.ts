import { afterAll, describe, expect, it } from 'vitest';
import { Gate, gatedHandler, startBackend, type Backend } from '../test-support/backends.ts';
import { eventually, send, targetStats } from '../test-support/http-client.ts';
import { endpointOf, startTestGateway, testRoute } from '../test-support/test-gateway.ts';

const backends: Backend[] = [];
afterAll(async () => {
  await Promise.all(backends.map((b) => b.close()));
});

const readyz = async (adminPort: number): Promise<number> => (await fetch(`http://127.0.0.1:${adminPort}/readyz`)).status;

describe('graceful drain', () => {
  it('stops taking connections, finishes in-flight and queued requests, then stops', async () => {
    const { gateway, discovery } = await startTestGateway();
    const gate = new Gate();
    const b = await startBackend('127.250.7.1', gatedHandler('pod', gate));
    backends.push(b);
    const route = testRoute('drain');
    discovery.setRoute(route);
    discovery.setEndpoints(route.key, [endpointOf(b)]);
    expect(await readyz(gateway.adminPort)).toBe(200);

    const first = send(gateway.port, { host: 'drain.example.com', headers: { 'x-test-id': 'd1' } });
    await gate.waitFor(1);
    const second = send(gateway.port, { host: 'drain.example.com', headers: { 'x-test-id': 'd2' } });
    await eventually(async () => (await targetStats(gateway.adminPort, route.key))?.queued === 1, 'a queued request');

    let stopped = false;
    const stopping = gateway.stop({ drainTimeoutMs: 30_000 }).then(() => (stopped = true));
    expect(await readyz(gateway.adminPort)).toBe(503);
    await expect(send(gateway.port, { host: 'drain.example.com', timeoutMs: 2000 })).rejects.toThrow(/ECONNREFUSED/);
    expect(stopped).toBe(false);

    gate.releaseOldest();
    const a1 = await first;
    expect([a1.status, a1.body, a1.headers.connection]).toEqual([200, 'pod d1', 'close']);
    await gate.waitFor(2);
    expect(stopped).toBe(false);
    gate.releaseOldest();
    const a2 = await second;
    expect([a2.status, a2.body]).toEqual([200, 'pod d2']);
    await stopping;
    await expect(fetch(`http://127.0.0.1:${gateway.adminPort}/healthz`)).rejects.toThrow();
  });

  it('answers 503 to requests still waiting when the drain timeout passes', async () => {
    const { gateway, discovery } = await startTestGateway();
    const route = testRoute('stuck');
    discovery.setRoute(route);
    const held = send(gateway.port, { host: 'stuck.example.com' });
    await eventually(async () => (await targetStats(gateway.adminPort, route.key))?.queued === 1, 'a held request');
    await gateway.stop({ drainTimeoutMs: 100 });
    const r = await held;
    expect(r.status).toBe(503);
    expect(r.body).toContain('the gateway is shutting down');
  });

  it('is idempotent', async () => {
    const { gateway } = await startTestGateway();
    const a = gateway.stop();
    const b = gateway.stop();
    expect(a).toBe(b);
    await a;
  });
});
