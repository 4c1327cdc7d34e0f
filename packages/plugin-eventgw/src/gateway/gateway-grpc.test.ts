import { connect, constants } from 'node:http2';
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaticDiscovery } from '../discovery/static-discovery.ts';
import { collect, echoClient, say, startGrpcBackend, type EchoClient, type GrpcBackend } from '../test-support/grpc-echo.ts';
import { eventually, targetStats } from '../test-support/http-client.ts';
import { startTestGateway, testRoute } from '../test-support/test-gateway.ts';
import type { GatewayHandle } from './gateway-options.ts';
import type { GatewayEndpoint } from './target-route.ts';

let gateway: GatewayHandle;
let discovery: StaticDiscovery;
const backends: GrpcBackend[] = [];
const clients: EchoClient[] = [];

const endpoint = (b: GrpcBackend, id: string): GatewayEndpoint => ({ id, address: b.address, port: b.port });
const client = (host: string): EchoClient => {
  const c = echoClient(gateway.port, host);
  clients.push(c);
  return c;
};

beforeAll(async () => {
  ({ gateway, discovery } = await startTestGateway());
});
afterAll(async () => {
  for (const c of clients) c.close();
  await gateway.stop({ drainTimeoutMs: 0 });
  await Promise.all(backends.map((b) => b.close()));
});

describe('gRPC through the gateway (h2c to the pods)', () => {
  it('forwards unary, server-streaming and bidi calls, with trailers (status and metadata)', async () => {
    const pod = await startGrpcBackend('127.250.20.1', 'pod-a');
    backends.push(pod);
    const route = testRoute('grpc', { protocol: 'h2c', containerConcurrency: 4 });
    discovery.setRoute(route);
    discovery.setEndpoints(route.key, [endpoint(pod, 'pod-a')]);
    const c = client('grpc.example.com');

    expect((await say(c, 'hello')).reply).toEqual({ text: 'hello', pod: 'pod-a' });

    const failed = await say(c, 'fail');
    expect(failed.error?.code).toBe(status.NOT_FOUND);
    expect(failed.error?.details).toBe('no such thing');
    expect(failed.error?.metadata.get('x-why')).toEqual(['test']);

    const counted = await collect(c.Count({ text: 'n', times: 3 }, { deadline: new Date(Date.now() + 10_000) }));
    expect(counted).toEqual({ replies: [1, 2, 3].map((i) => ({ text: `n ${i}`, pod: 'pod-a' })) });

    const chat = c.Chat({ deadline: new Date(Date.now() + 10_000) });
    const chatted = collect(chat);
    chat.write({ text: 'one' });
    chat.write({ text: 'two' });
    chat.end();
    expect((await chatted).replies.map((r) => r.text)).toEqual(['echo one', 'echo two']);
    expect(pod.received).toEqual(['Say hello', 'Say fail', 'Count n', 'Chat ']);
  });

  it('holds one call per pod slot: container-concurrency 1 over 6 concurrent calls', async () => {
    const pod = await startGrpcBackend('127.250.20.2', 'pod-b');
    backends.push(pod);
    const route = testRoute('grpc-one', { protocol: 'h2c', containerConcurrency: 1 });
    discovery.setRoute(route);
    discovery.setEndpoints(route.key, [endpoint(pod, 'pod-b')]);
    const c = client('grpc-one.example.com');
    const results = await Promise.all([1, 2, 3, 4, 5, 6].map((i) => say(c, `slow:${i * 5}`)));
    expect(results.map((r) => r.error?.code)).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
    expect(pod.maxInFlight).toBe(1);
  });

  it('holds a call while the target has no pod and completes it when one turns Ready', async () => {
    const route = testRoute('grpc-cold', { protocol: 'h2c' });
    discovery.setRoute(route);
    const c = client('grpc-cold.example.com');
    const call = say(c, 'wake up', 20_000);
    await eventually(async () => (await targetStats(gateway.adminPort, route.key))?.queued === 1, 'a held gRPC call');
    const pod = await startGrpcBackend('127.250.20.3', 'pod-c');
    backends.push(pod);
    discovery.setEndpoints(route.key, [endpoint(pod, 'pod-c')]);
    expect(await call).toEqual({ reply: { text: 'wake up', pod: 'pod-c' } });
  });

  it('ends a held call whose deadline passes with DEADLINE_EXCEEDED and frees its place in the queue', async () => {
    const route = testRoute('grpc-late', { protocol: 'h2c', queueTimeoutMs: 60_000 });
    discovery.setRoute(route);
    const r = await say(client('grpc-late.example.com'), 'too late', 300);
    expect(r.error?.code).toBe(status.DEADLINE_EXCEEDED);
    await eventually(async () => (await targetStats(gateway.adminPort, route.key))?.queued === 0, 'the queue to empty');
  });

  it('answers DEADLINE_EXCEEDED itself when grpc-timeout passes in the queue (a client that does not enforce it)', async () => {
    const route = testRoute('grpc-timeout', { protocol: 'h2c', queueTimeoutMs: 60_000 });
    discovery.setRoute(route);
    const session = connect(`http://127.0.0.1:${gateway.port}`);
    try {
      const stream = session.request({
        ':method': 'POST',
        ':path': '/ebb.test.Echo/Say',
        ':authority': 'grpc-timeout.example.com',
        'content-type': 'application/grpc',
        te: 'trailers',
        'grpc-timeout': '200m',
      });
      stream.end(Buffer.from([0, 0, 0, 0, 0]));
      const headers = await new Promise<Record<string, unknown>>((resolve) => stream.once('response', resolve));
      stream.resume();
      await new Promise((resolve) => stream.once('close', resolve));
      expect(headers[':status']).toBe(200);
      expect(headers['grpc-status']).toBe(String(status.DEADLINE_EXCEEDED));
      expect(String(headers['grpc-message'])).toContain('gRPC deadline of 200 ms');
      expect(stream.rstCode).toBe(constants.NGHTTP2_NO_ERROR);
    } finally {
      session.close();
    }
  });

  it('answers a call to pods spoken to over HTTP/1.1 with FAILED_PRECONDITION naming the annotation', async () => {
    const route = testRoute('grpc-h1', { protocol: 'http1' });
    discovery.setRoute(route);
    const r = await say(client('grpc-h1.example.com'), 'hi');
    expect(r.error?.code).toBe(status.FAILED_PRECONDITION);
    expect(r.error?.details).toContain('set ebb.dev/eventgw.protocol: h2c');
  });

  it('answers a call for a host nobody routes with UNIMPLEMENTED (HTTP 404 mapped), never forwarding it', async () => {
    const r = await say(client('nobody.example.com'), 'hi');
    expect(r.error?.code).toBe(status.UNIMPLEMENTED);
    expect(r.error?.details).toContain('no target is routed for host "nobody.example.com"');
  });
});
