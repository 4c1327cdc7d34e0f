import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaticDiscovery } from '../discovery/static-discovery.ts';
import { answer, startBackend, type Backend } from '../test-support/backends.ts';
import { rawExchange, send } from '../test-support/http-client.ts';
import { endpointOf, startTestGateway, testRoute } from '../test-support/test-gateway.ts';
import type { GatewayHandle } from './gateway-options.ts';

let gateway: GatewayHandle;
let discovery: StaticDiscovery;
const backends: Backend[] = [];

beforeAll(async () => {
  ({ gateway, discovery } = await startTestGateway({ limits: { headersTimeoutMs: 300, bodyIdleTimeoutMs: 300, maxBodyBytes: 64 * 1024, maxAttempts: 3 } }));
  const healthy = await startBackend('127.250.5.1', answer('healthy'));
  backends.push(healthy);
  discovery.setRoute(testRoute('healthy', { containerConcurrency: 0 }));
  discovery.setEndpoints('shop/healthy', [endpointOf(healthy)]);
});
afterAll(async () => {
  await gateway.stop({ drainTimeoutMs: 0 });
  await Promise.all(backends.map((b) => b.close()));
});

/** Routes `<name>.example.com` to `endpoints` (order kept: the first is tried first). */
function route(name: string, endpoints: Backend[]): void {
  const r = testRoute(name, { containerConcurrency: 0 });
  discovery.setRoute(r);
  discovery.setEndpoints(r.key, endpoints.map((b) => endpointOf(b)));
}

/** A backend that reads the request headers and then drops the connection without answering. */
async function dyingBackend(address: string): Promise<Backend> {
  const b = await startBackend(address, (req) => req.socket.destroy());
  backends.push(b);
  return b;
}

/** A "pod" whose port refuses connections (its server was closed). */
async function refusingBackend(address: string): Promise<Backend> {
  const b = await startBackend(address, answer('never'));
  await b.close();
  return b;
}

async function stillServes(): Promise<void> {
  const r = await send(gateway.port, { host: 'healthy.example.com' });
  expect([r.status, r.body]).toEqual([200, 'healthy']);
}

describe('gateway failure answers', () => {
  it('answers 502 naming the pod when a backend dies mid-request, and does not repeat a POST', async () => {
    const b = await dyingBackend('127.250.5.2');
    route('dies', [b]);
    const r = await send(gateway.port, { host: 'dies.example.com', method: 'POST', body: 'order=1' });
    expect(r.status).toBe(502);
    expect(r.headers['x-ebb-error']).toBe('backend-failed');
    expect(r.body).toContain(`pod pod-127.250.5.2 (127.250.5.2:${b.port}) of shop/dies closed the connection before answering`);
    expect(b.received).toEqual(['POST /']);
    await stillServes();
  });

  it('repeats a bodiless idempotent request up to maxAttempts, then answers 502', async () => {
    const b = await dyingBackend('127.250.5.3');
    route('dies-get', [b]);
    const r = await send(gateway.port, { host: 'dies-get.example.com', path: '/x' });
    expect(r.status).toBe(502);
    expect(b.received).toEqual(['GET /x', 'GET /x', 'GET /x']);
  });

  it('retries a refused connection on another pod, with the body untouched', async () => {
    const dead = await refusingBackend('127.250.5.4');
    const echo = await startBackend('127.250.5.5', (req, res) => req.pipe(res));
    backends.push(echo);
    route('refused', [dead, echo]);
    const body = 'x'.repeat(10_000);
    const r = await send(gateway.port, { host: 'refused.example.com', method: 'POST', body });
    expect(r.status).toBe(200);
    expect(r.body).toBe(body);
  });

  it('cuts the client connection when a backend dies in the middle of its response', async () => {
    const b = await startBackend('127.250.5.6', (_req, res) => {
      res.writeHead(200, { 'content-length': '1000' });
      res.write('partial');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    backends.push(b);
    route('half', [b]);
    await expect(send(gateway.port, { host: 'half.example.com' })).rejects.toThrow();
    await stillServes();
  });

  it('answers 408 to a client that does not finish its headers, and 431 to oversized headers', async () => {
    const slow = await rawExchange(gateway.port, 'GET / HTTP/1.1\r\nHost: healthy.example.com\r\n');
    expect(slow).toMatch(/^HTTP\/1\.1 408 /);
    const big = await rawExchange(gateway.port, `GET / HTTP/1.1\r\nHost: healthy.example.com\r\nx-big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(big).toMatch(/^HTTP\/1\.1 431 /);
    await stillServes();
  });

  it('answers 408 when the client stalls while sending its body', async () => {
    const reply = await rawExchange(gateway.port, 'POST /upload HTTP/1.1\r\nHost: healthy.example.com\r\nContent-Length: 100\r\n\r\nonly-ten!!');
    expect(reply).toMatch(/^HTTP\/1\.1 408 /);
    expect(reply).toContain('no request body bytes for 300 ms');
    await stillServes();
  });

  it('answers 413 for a body over the limit, declared or streamed', async () => {
    const declared = await send(gateway.port, { host: 'healthy.example.com', method: 'POST', headers: { 'content-length': String(65 * 1024) }, body: 'x'.repeat(65 * 1024) });
    expect(declared.status).toBe(413);
    const chunked = await rawExchange(
      gateway.port,
      `POST / HTTP/1.1\r\nHost: healthy.example.com\r\nTransfer-Encoding: chunked\r\n\r\n${(65 * 1024).toString(16)}\r\n${'y'.repeat(65 * 1024)}\r\n0\r\n\r\n`,
    );
    expect(chunked).toMatch(/^HTTP\/1\.1 413 /);
    await stillServes();
  });

  it.each([
    ['an absolute-form target (not an open proxy)', 'GET http://healthy.example.com/ HTTP/1.1\r\nHost: healthy.example.com\r\n\r\n', 400],
    ['no Host header', 'GET / HTTP/1.1\r\n\r\n', 400],
    ['garbage', 'NOT HTTP AT ALL\r\n\r\n', 400],
    ['an upgrade to a protocol other than WebSocket', 'GET / HTTP/1.1\r\nHost: healthy.example.com\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n', 501],
    ['a WebSocket upgrade to a host nobody opted in to', 'GET / HTTP/1.1\r\nHost: evil.example.com\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n', 404],
    ['CONNECT', 'CONNECT healthy.example.com:443 HTTP/1.1\r\nHost: healthy.example.com:443\r\n\r\n', 405],
  ])('answers %s with %i and keeps serving', async (_name, request, status) => {
    expect(await rawExchange(gateway.port, request)).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
    await stillServes();
  });

  it('answers 404 for a host no target opted in to, without contacting any backend', async () => {
    const before = backends.map((b) => b.received.length);
    const r = await send(gateway.port, { host: 'unknown.example.com', path: '/secret' });
    expect(r.status).toBe(404);
    expect(r.headers['x-ebb-error']).toBe('no-route');
    expect(backends.map((b) => b.received.length)).toEqual(before);
  });
});
