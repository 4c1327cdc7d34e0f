import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import type { StaticDiscovery } from '../discovery/static-discovery.ts';
import { eventually, targetStats } from '../test-support/http-client.ts';
import { startTestGateway, testRoute } from '../test-support/test-gateway.ts';
import type { GatewayHandle } from './gateway-options.ts';

let gateway: GatewayHandle;
let discovery: StaticDiscovery;
const servers: Server[] = [];
/** Messages each pod received, by pod. */
const seen = new Map<string, string[]>();

/** A WebSocket pod on `address`: answers each message with `<pod>: <message>`, and sends `hello <pod>` on open. */
async function startWsPod(address: string, pod: string): Promise<{ port: number; connections: () => number }> {
  const server = createServer((_req, res) => res.end('not a websocket'));
  const wss = new WebSocketServer({ server });
  wss.on('connection', (ws, req) => {
    ws.send(`hello ${pod} via ${String(req.headers['x-forwarded-host'])}`);
    ws.on('message', (m: Buffer) => {
      seen.set(pod, [...(seen.get(pod) ?? []), m.toString()]);
      ws.send(`${pod}: ${m.toString()}`);
    });
  });
  server.listen(0, address);
  await once(server, 'listening');
  servers.push(server);
  return { port: (server.address() as AddressInfo).port, connections: () => wss.clients.size };
}

/** Opens a WebSocket through the gateway; resolves with it and the messages it receives. */
async function openWs(host: string, path = '/'): Promise<{ ws: WebSocket; messages: string[]; next: () => Promise<string> }> {
  const ws = new WebSocket(`ws://127.0.0.1:${gateway.port}${path}`, { headers: { host } });
  const messages: string[] = [];
  const waiting: Array<(m: string) => void> = [];
  ws.on('message', (m: Buffer) => {
    const text = m.toString();
    const w = waiting.shift();
    if (w) w(text);
    else messages.push(text);
  });
  await once(ws, 'open');
  const next = (): Promise<string> => {
    const m = messages.shift();
    return m !== undefined ? Promise.resolve(m) : new Promise((resolve) => waiting.push(resolve));
  };
  return { ws, messages, next };
}

beforeAll(async () => {
  ({ gateway, discovery } = await startTestGateway());
});
afterAll(async () => {
  await gateway.stop({ drainTimeoutMs: 0 });
  for (const s of servers) {
    s.closeAllConnections();
    s.close();
  }
});

describe('WebSocket through the gateway', () => {
  it('forwards messages both ways and holds one slot of the pod for the connection life', async () => {
    const pod = await startWsPod('127.250.30.1', 'ws-a');
    const route = testRoute('ws', { containerConcurrency: 1 });
    discovery.setRoute(route);
    discovery.setEndpoints(route.key, [{ id: 'ws-a', address: '127.250.30.1', port: pod.port }]);

    const first = await openWs('ws.example.com', '/chat');
    expect(await first.next()).toBe('hello ws-a via ws.example.com');
    first.ws.send('ping');
    expect(await first.next()).toBe('ws-a: ping');
    expect(await targetStats(gateway.adminPort, route.key)).toMatchObject({ inFlight: 1, queued: 0 });

    // container-concurrency 1: a second connection waits until the first closes.
    const second = openWs('ws.example.com');
    await eventually(async () => (await targetStats(gateway.adminPort, route.key))?.queued === 1, 'the second connection to wait');
    expect(pod.connections()).toBe(1);
    first.ws.close();
    const s = await second;
    expect(await s.next()).toBe('hello ws-a via ws.example.com');
    s.ws.send('pong');
    expect(await s.next()).toBe('ws-a: pong');
    expect(await targetStats(gateway.adminPort, route.key)).toMatchObject({ inFlight: 1, queued: 0 });
    s.ws.terminate();
    await eventually(async () => (await targetStats(gateway.adminPort, route.key))?.inFlight === 0, 'the slot to be freed');
    expect(seen.get('ws-a')).toEqual(['ping', 'pong']);
  });

  it('holds a WebSocket at zero pods and connects it when a pod turns Ready', async () => {
    const route = testRoute('ws-cold');
    discovery.setRoute(route);
    const opening = openWs('ws-cold.example.com');
    await eventually(async () => (await targetStats(gateway.adminPort, route.key))?.queued === 1, 'a held WebSocket');
    const pod = await startWsPod('127.250.30.2', 'ws-b');
    discovery.setEndpoints(route.key, [{ id: 'ws-b', address: '127.250.30.2', port: pod.port }]);
    const { ws, next } = await opening;
    expect(await next()).toBe('hello ws-b via ws-cold.example.com');
    ws.close();
  });

  it('refuses an upgrade for a host nobody opted in to with 404, and passes on a pod that refuses the upgrade', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${gateway.port}/`, { headers: { host: 'nobody.example.com' } });
    const [req, res] = (await once(ws, 'unexpected-response')) as [{ destroy(): void }, { statusCode: number; headers: Record<string, string> }];
    expect(res.statusCode).toBe(404);
    expect(res.headers['x-ebb-error']).toBe('no-route');
    req.destroy();

    const plain = createServer((_req, res) => {
      res.statusCode = 426;
      res.end('upgrade refused');
    });
    plain.listen(0, '127.250.30.3');
    await once(plain, 'listening');
    servers.push(plain);
    const route = testRoute('ws-refused');
    discovery.setRoute(route);
    discovery.setEndpoints(route.key, [{ id: 'plain', address: '127.250.30.3', port: (plain.address() as AddressInfo).port }]);
    const refused = new WebSocket(`ws://127.0.0.1:${gateway.port}/`, { headers: { host: 'ws-refused.example.com' } });
    const [req2, r2] = (await once(refused, 'unexpected-response')) as [{ destroy(): void }, { statusCode: number }];
    expect(r2.statusCode).toBe(426);
    req2.destroy();
    await eventually(async () => (await targetStats(gateway.adminPort, route.key))?.inFlight === 0, 'the slot to be freed');
  });
});
