import type { IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaticDiscovery } from '../discovery/static-discovery.ts';
import { startBackend, type Backend } from '../test-support/backends.ts';
import { rawExchange, send } from '../test-support/http-client.ts';
import { endpointOf, startTestGateway, testRoute } from '../test-support/test-gateway.ts';
import type { GatewayHandle } from './gateway-options.ts';

let gateway: GatewayHandle;
let discovery: StaticDiscovery;
const backends: Backend[] = [];
/** Headers each backend saw last, by backend name. */
const seen = new Map<string, IncomingHttpHeaders>();

async function backend(name: string, address: string): Promise<Backend> {
  const b = await startBackend(address, (req, res) => {
    seen.set(name, req.headers);
    req.resume();
    res.writeHead(200, { 'x-backend': name, 'keep-alive': 'timeout=5', 'x-secret-hop': 'drop me', connection: 'x-secret-hop' });
    res.end(`${name} ${req.method} ${req.url}`);
  });
  backends.push(b);
  return b;
}

beforeAll(async () => {
  ({ gateway, discovery } = await startTestGateway());
  const site = await backend('site', '127.250.10.1');
  const api = await backend('api', '127.250.10.2');
  discovery.setRoute(testRoute('site', { hosts: ['shop.example.com', 'www.shop.example.com'], containerConcurrency: 0 }));
  discovery.setRoute(testRoute('api', { hosts: ['shop.example.com'], pathPrefix: '/api', containerConcurrency: 0 }));
  discovery.setEndpoints('shop/site', [endpointOf(site)]);
  discovery.setEndpoints('shop/api', [endpointOf(api)]);
});
afterAll(async () => {
  await gateway.stop({ drainTimeoutMs: 0 });
  await Promise.all(backends.map((b) => b.close()));
});

describe('routing', () => {
  it.each([
    ['shop.example.com', '/', 'site GET /'],
    ['SHOP.example.com:8080', '/cart?item=1', 'site GET /cart?item=1'],
    ['www.shop.example.com', '/api', 'site GET /api'],
    ['shop.example.com', '/api', 'api GET /api'],
    ['shop.example.com', '/api/orders?x=%2F', 'api GET /api/orders?x=%2F'],
    ['shop.example.com', '/apiary', 'site GET /apiary'],
  ])('%s%s -> %s', async (host, path, body) => {
    const r = await send(gateway.port, { host, path });
    expect([r.status, r.body]).toEqual([200, body]);
  });

  it('forwards the Host and adds X-Forwarded-*, without hop-by-hop headers either way', async () => {
    const r = await send(gateway.port, {
      host: 'shop.example.com',
      path: '/',
      headers: { 'x-forwarded-for': '203.0.113.9', 'x-private': 'hop', connection: 'x-private', 'proxy-authorization': 'Basic eA==', te: 'trailers' },
    });
    expect(r.headers['x-backend']).toBe('site');
    expect(r.headers['x-secret-hop']).toBeUndefined();
    const h = seen.get('site') ?? {};
    expect(h.host).toBe('shop.example.com');
    expect(h['x-forwarded-for']).toBe('203.0.113.9, 127.0.0.1');
    expect(h['x-forwarded-host']).toBe('shop.example.com');
    expect(h['x-forwarded-proto']).toBe('http');
    expect(h['x-private']).toBeUndefined();
    expect(h['proxy-authorization']).toBeUndefined();
    expect(h.te).toBeUndefined();
  });

  it('passes methods and keeps a client connection alive across requests', async () => {
    const raw = await rawExchange(
      gateway.port,
      'HEAD / HTTP/1.1\r\nHost: shop.example.com\r\n\r\n' + 'DELETE /api/1 HTTP/1.1\r\nHost: shop.example.com\r\nConnection: close\r\n\r\n',
    );
    expect(raw.match(/^HTTP\/1\.1 200 /gm)).toHaveLength(2);
    expect(raw).toContain('api DELETE /api/1');
  });
});
