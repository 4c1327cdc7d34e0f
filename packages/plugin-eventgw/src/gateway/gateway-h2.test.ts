import { once } from 'node:events';
import { connect, constants, createServer as createH2Server, type ClientHttp2Session, type Http2Server, type IncomingHttpHeaders } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaticDiscovery } from '../discovery/static-discovery.ts';
import { answer, Gate, gatedHandler, startBackend, type Backend } from '../test-support/backends.ts';
import { eventually, send, targetStats } from '../test-support/http-client.ts';
import { endpointOf, startTestGateway, testRoute } from '../test-support/test-gateway.ts';
import type { GatewayHandle } from './gateway-options.ts';

let gateway: GatewayHandle;
let discovery: StaticDiscovery;
const backends: Backend[] = [];
const h2Pods: Http2Server[] = [];
const sessions: ClientHttp2Session[] = [];

/** One HTTP/2 request on `session`: status, headers, body, trailers, and the stream's reset code. */
function h2Request(session: ClientHttp2Session, headers: Record<string, string>, body?: string) {
  return new Promise<{ status: number; headers: IncomingHttpHeaders; body: string; trailers: IncomingHttpHeaders | undefined; rstCode: number | undefined }>((resolve) => {
    const stream = session.request({ ':method': body === undefined ? 'GET' : 'POST', ':path': '/', ...headers }, { endStream: body === undefined });
    let status = 0;
    let responseHeaders: IncomingHttpHeaders = {};
    let trailers: IncomingHttpHeaders | undefined;
    let text = '';
    stream.on('response', (h) => {
      status = Number(h[':status']);
      responseHeaders = h;
    });
    stream.on('trailers', (t) => (trailers = t));
    stream.on('data', (c: Buffer) => (text += c.toString()));
    stream.on('error', () => undefined);
    stream.on('close', () => resolve({ status, headers: responseHeaders, body: text, trailers, rstCode: stream.rstCode }));
    if (body !== undefined) stream.end(body);
  });
}

function h2Session(): ClientHttp2Session {
  const s = connect(`http://127.0.0.1:${gateway.port}`);
  s.on('error', () => undefined);
  sessions.push(s);
  return s;
}

/** An h2c pod on `address` answering `<pod> <method> <path> <body>` with a trailer `x-pod-done: yes`. */
async function startH2Pod(address: string, pod: string): Promise<{ port: number }> {
  const server = createH2Server();
  server.on('stream', (stream, headers) => {
    let body = '';
    stream.on('data', (c: Buffer) => (body += c.toString()));
    stream.on('end', () => {
      stream.respond({ ':status': 200, 'content-type': 'text/plain', 'x-seen-host': String(headers[':authority']), 'x-forwarded-for': String(headers['x-forwarded-for']) }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'x-pod-done': 'yes' }));
      stream.end(`${pod} ${String(headers[':method'])} ${String(headers[':path'])} ${body}`);
    });
  });
  server.listen(0, address);
  await once(server, 'listening');
  h2Pods.push(server);
  return { port: (server.address() as AddressInfo).port };
}

beforeAll(async () => {
  ({ gateway, discovery } = await startTestGateway({ limits: { maxConcurrentStreams: 8, maxHeaderBytes: 4096 } }));
});
afterAll(async () => {
  for (const s of sessions) s.destroy();
  await gateway.stop({ drainTimeoutMs: 0 });
  await Promise.all(backends.map((b) => b.close()));
  for (const s of h2Pods) s.close();
});

describe('HTTP/2 with prior knowledge on the data port', () => {
  it('serves HTTP/2 clients for HTTP/1.1 pods (routed by :authority) while HTTP/1.1 clients share the port', async () => {
    const pod = await startBackend('127.250.40.1', (req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => res.end(`h1 pod ${req.method} ${req.url} host=${req.headers.host} body=${body}`));
    });
    backends.push(pod);
    const route = testRoute('mixed', { containerConcurrency: 0 });
    discovery.setRoute(route);
    discovery.setEndpoints(route.key, [endpointOf(pod)]);
    const session = h2Session();
    const get = await h2Request(session, { ':authority': 'mixed.example.com', ':path': '/a?b=1' });
    expect([get.status, get.body]).toEqual([200, 'h1 pod GET /a?b=1 host=mixed.example.com body=']);
    // A body without content-length (HTTP/2 framing) reaches the HTTP/1.1 pod.
    const post = await h2Request(session, { ':authority': 'mixed.example.com' }, 'payload');
    expect([post.status, post.body]).toEqual([200, 'h1 pod POST / host=mixed.example.com body=payload']);
    const h1 = await send(gateway.port, { host: 'mixed.example.com', path: '/h1' });
    expect([h1.status, h1.body]).toEqual([200, 'h1 pod GET /h1 host=mixed.example.com body=']);
  });

  it('speaks h2c to pods whose route says so, for HTTP/2 and HTTP/1.1 clients, trailers included', async () => {
    const pod = await startH2Pod('127.250.40.2', 'h2pod');
    const route = testRoute('h2c', { protocol: 'h2c', containerConcurrency: 0 });
    discovery.setRoute(route);
    discovery.setEndpoints(route.key, [{ id: 'h2pod', address: '127.250.40.2', port: pod.port }]);
    const r = await h2Request(h2Session(), { ':authority': 'h2c.example.com', ':path': '/x' }, 'hi');
    expect([r.status, r.body, r.headers['x-seen-host']]).toEqual([200, 'h2pod POST /x hi', 'h2c.example.com']);
    expect(r.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(r.trailers?.['x-pod-done']).toBe('yes');
    const h1 = await send(gateway.port, { host: 'h2c.example.com', path: '/from-h1', method: 'POST', body: 'b' });
    expect([h1.status, h1.body]).toEqual([200, 'h2pod POST /from-h1 b']);
  });

  it('answers 404 on HTTP/2 for a host nobody opted in to', async () => {
    const r = await h2Request(h2Session(), { ':authority': 'nobody.example.com' });
    expect(r.status).toBe(404);
    expect(r.headers['x-ebb-error']).toBe('no-route');
  });

  it('bounds a flood of streams on one connection: SETTINGS limit, queue limit, one request per pod slot', async () => {
    const pod = await startBackend('127.250.40.3', (req, res) => {
      req.resume();
      setTimeout(() => res.end('served'), 50);
    });
    backends.push(pod);
    const route = testRoute('flood', { containerConcurrency: 1, queueLength: 3 });
    discovery.setRoute(route);
    discovery.setEndpoints(route.key, [endpointOf(pod)]);
    const session = h2Session();
    await once(session, 'remoteSettings');
    expect(session.remoteSettings.maxConcurrentStreams).toBe(8);
    const done = await Promise.all(Array.from({ length: 40 }, () => h2Request(session, { ':authority': 'flood.example.com' })));
    const outcome = JSON.stringify(done.map((r) => [r.status, r.rstCode]));
    // Each stream is either served or refused at once (queue full); the pod never sees two at a time.
    expect(done.every((r) => r.status === 200 || (r.status === 503 && r.headers['x-ebb-error'] === 'queue-full')), outcome).toBe(true);
    expect(done.filter((r) => r.status === 503).length, outcome).toBeGreaterThan(0);
    expect(pod.maxInFlight).toBe(1);
    expect((await h2Request(session, { ':authority': 'flood.example.com' })).status).toBe(200);
  });

  it('refuses a header block over the limit cleanly and keeps serving', async () => {
    const pod = await startBackend('127.250.40.4', answer('ok'));
    backends.push(pod);
    const route = testRoute('big', { containerConcurrency: 0 });
    discovery.setRoute(route);
    discovery.setEndpoints(route.key, [endpointOf(pod)]);
    const session = h2Session();
    const big = await h2Request(session, { ':authority': 'big.example.com', 'x-big': 'x'.repeat(8192) });
    expect(big.status).toBe(431);
    expect(pod.received).toHaveLength(0);
    const fresh = await h2Request(h2Session(), { ':authority': 'big.example.com' });
    expect([fresh.status, fresh.body]).toEqual([200, 'ok']);
  });

  it('answers a CONNECT stream 405 (not a forward proxy)', async () => {
    const session = h2Session();
    const stream = session.request({ ':method': 'CONNECT', ':authority': 'big.example.com:443' });
    stream.on('error', () => undefined);
    const [headers] = (await once(stream, 'response')) as [IncomingHttpHeaders];
    expect(headers[':status']).toBe(405);
    stream.close(constants.NGHTTP2_CANCEL);
  });
});

describe('HTTP/2 connections on shutdown', () => {
  it('get GOAWAY at once; their open streams finish, then stop() resolves', async () => {
    const own = await startTestGateway({ drainTimeoutMs: 30_000 });
    const gate = new Gate();
    const pod = await startBackend('127.250.40.5', gatedHandler('drain', gate));
    backends.push(pod);
    const route = testRoute('drain');
    own.discovery.setRoute(route);
    own.discovery.setEndpoints(route.key, [endpointOf(pod)]);
    const session = connect(`http://127.0.0.1:${own.gateway.port}`);
    session.on('error', () => undefined);
    sessions.push(session);
    const open = h2Request(session, { ':authority': 'drain.example.com', 'x-test-id': 'open' });
    await gate.waitFor(1);
    const goaway = once(session, 'goaway');
    const stopped = own.gateway.stop();
    await goaway;
    await eventually(async () => (await targetStats(own.gateway.adminPort, route.key))?.inFlight === 1, 'the open stream to be in flight still');
    gate.releaseAll();
    const r = await open;
    expect([r.status, r.body]).toEqual([200, 'drain open']);
    await stopped;
  });
});

