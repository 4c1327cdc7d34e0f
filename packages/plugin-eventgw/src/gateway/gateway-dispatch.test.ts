import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Gate, gatedHandler, startBackend, type Backend } from '../test-support/backends.ts';
import { connect } from 'node:net';
import { eventually, send, targetStats, type Answer } from '../test-support/http-client.ts';
import { endpointOf, startTestGateway, testRoute } from '../test-support/test-gateway.ts';
import type { StaticDiscovery } from '../discovery/static-discovery.ts';
import type { GatewayHandle } from './gateway-options.ts';

let gateway: GatewayHandle;
let discovery: StaticDiscovery;
const backends: Backend[] = [];

beforeAll(async () => {
  ({ gateway, discovery } = await startTestGateway());
});
afterAll(async () => {
  await gateway.stop({ drainTimeoutMs: 0 });
  await Promise.all(backends.map((b) => b.close()));
});

async function backend(address: string, gate: Gate, name: string): Promise<Backend> {
  const b = await startBackend(address, gatedHandler(name, gate));
  backends.push(b);
  return b;
}

/**
 * Sends request `id` to `host` and waits until the gateway counts it (in flight or queued), so that requests
 * arrive in a known order. The answer is wrapped so that awaiting this does not wait for it.
 */
async function arrive(host: string, id: string, key: string, expectedTotal: number): Promise<{ answer: Promise<Answer> }> {
  const answer = send(gateway.port, { host, headers: { 'x-test-id': id } });
  await eventually(async () => {
    const s = await targetStats(gateway.adminPort, key);
    return s !== undefined && s.inFlight + s.queued >= expectedTotal;
  }, `request ${id} to be counted`);
  return { answer };
}

describe('one-request-per-pod dispatch (containerConcurrency 1)', () => {
  it('never sends a pod more than one request; the rest wait and are served in arrival order', async () => {
    const gate = new Gate();
    const route = testRoute('jobs');
    const a = await backend('127.250.1.1', gate, 'a');
    const b = await backend('127.250.1.2', gate, 'b');
    discovery.setRoute(route);
    discovery.setEndpoints(route.key, [endpointOf(a), endpointOf(b)]);

    const answers: Array<Promise<Answer>> = [];
    for (const [i, id] of ['r1', 'r2', 'r3', 'r4', 'r5'].entries()) answers.push((await arrive('jobs.example.com', id, route.key, i + 1)).answer);
    await gate.waitFor(2);
    expect(await targetStats(gateway.adminPort, route.key)).toMatchObject({ inFlight: 2, queued: 3, requestCount: 5, readyEndpoints: 2, containerConcurrency: 1, coldStarts: 0 });
    expect([a.inFlight, b.inFlight]).toEqual([1, 1]);

    for (let served = 3; served <= 5; served++) {
      gate.releaseOldest();
      await gate.waitFor(served);
      expect(a.inFlight + b.inFlight).toBe(2);
    }
    gate.releaseAll();
    const results = await Promise.all(answers);
    expect(gate.ids).toEqual(['r1', 'r2', 'r3', 'r4', 'r5']);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(results.map((r) => r.body.split(' ')[1])).toEqual(['r1', 'r2', 'r3', 'r4', 'r5']);
    expect([a.maxInFlight, b.maxInFlight]).toEqual([1, 1]);
    expect(a.received.length + b.received.length).toBe(5);
    expect(await targetStats(gateway.adminPort, route.key)).toMatchObject({ inFlight: 0, queued: 0, requestCount: 5 });
  });

  it('answers 503 with Retry-After when the queue is full, and serves the others', async () => {
    const gate = new Gate();
    const route = testRoute('full', { queueLength: 2 });
    const a = await backend('127.250.2.1', gate, 'a');
    discovery.setRoute(route);
    discovery.setEndpoints(route.key, [endpointOf(a)]);
    const host = 'full.example.com';
    const accepted: Array<Promise<Answer>> = [];
    for (const [i, id] of ['q1', 'q2', 'q3'].entries()) accepted.push((await arrive(host, id, route.key, i + 1)).answer);
    const refused = await send(gateway.port, { host, headers: { 'x-test-id': 'q4' } });
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.headers['x-ebb-error']).toBe('queue-full');
    expect(refused.body).toContain('queue of shop/full is full (2 requests waiting)');
    gate.releaseAll();
    await gate.waitFor(2);
    gate.releaseAll();
    await gate.waitFor(3);
    gate.releaseAll();
    expect((await Promise.all(accepted)).map((r) => r.status)).toEqual([200, 200, 200]);
    expect(a.received).not.toContain('GET / q4');
  });

  it('frees the place of a queued client that goes away, and the next waiter gets the slot', async () => {
    const gate = new Gate();
    const route = testRoute('leave');
    const a = await backend('127.250.4.1', gate, 'a');
    discovery.setRoute(route);
    discovery.setEndpoints(route.key, [endpointOf(a)]);
    const host = 'leave.example.com';
    const { answer: first } = await arrive(host, 'l1', route.key, 1);
    const leaver = connect({ host: '127.0.0.1', port: gateway.port }, () => leaver.write(`GET / HTTP/1.1\r\nHost: ${host}\r\nx-test-id: l2\r\n\r\n`));
    leaver.on('error', () => undefined);
    await eventually(async () => (await targetStats(gateway.adminPort, route.key))?.queued === 1, 'l2 queued');
    const { answer: third } = await arrive(host, 'l3', route.key, 3);
    leaver.destroy();
    await eventually(async () => (await targetStats(gateway.adminPort, route.key))?.queued === 1, 'l2 to leave the queue');
    gate.releaseAll();
    await gate.waitFor(2);
    gate.releaseAll();
    expect((await first).status).toBe(200);
    expect((await third).status).toBe(200);
    expect(gate.ids).toEqual(['l1', 'l3']);
    expect(await targetStats(gateway.adminPort, route.key)).toMatchObject({ inFlight: 0, queued: 0, requestCount: 3 });
  });

  it('answers 504 with Retry-After when no slot frees within the queue timeout', async () => {
    const gate = new Gate();
    const route = testRoute('slow', { queueTimeoutMs: 200 });
    const a = await backend('127.250.3.1', gate, 'a');
    discovery.setRoute(route);
    discovery.setEndpoints(route.key, [endpointOf(a)]);
    const { answer: first } = await arrive('slow.example.com', 's1', route.key, 1);
    const late = await send(gateway.port, { host: 'slow.example.com', headers: { 'x-test-id': 's2' } });
    expect(late.status).toBe(504);
    expect(late.headers['retry-after']).toBe('1');
    expect(late.headers['x-ebb-error']).toBe('queue-timeout');
    expect(late.body).toContain('no pod of shop/slow had a free slot within the queue timeout of 200 ms');
    expect(await targetStats(gateway.adminPort, route.key)).toMatchObject({ inFlight: 1, queued: 0 });
    gate.releaseAll();
    expect((await first).status).toBe(200);
    expect(a.received).toEqual(['GET / s1']);
  });
});
