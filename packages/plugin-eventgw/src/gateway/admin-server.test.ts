import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaticDiscovery } from '../discovery/static-discovery.ts';
import { answer, startBackend, type Backend } from '../test-support/backends.ts';
import { eventually, fetchStats, send, targetStats } from '../test-support/http-client.ts';
import { endpointOf, startTestGateway, testRoute } from '../test-support/test-gateway.ts';
import type { GatewayHandle } from './gateway-options.ts';

let gateway: GatewayHandle;
let discovery: StaticDiscovery;
let backend: Backend;

beforeAll(async () => {
  ({ gateway, discovery } = await startTestGateway());
  backend = await startBackend('127.250.8.1', answer('m'));
});
afterAll(async () => {
  await gateway.stop({ drainTimeoutMs: 0 });
  await backend.close();
});

const admin = async (path: string, method = 'GET'): Promise<{ status: number; text: string; type: string | null }> => {
  const res = await fetch(`http://127.0.0.1:${gateway.adminPort}${path}`, { method });
  return { status: res.status, text: await res.text(), type: res.headers.get('content-type') };
};

describe('admin server', () => {
  it('reports per-target stats as a GatewayStatsReport', async () => {
    const route = testRoute('stats');
    discovery.setRoute(route);
    discovery.setEndpoints(route.key, [endpointOf(backend)]);
    for (let i = 0; i < 3; i++) expect((await send(gateway.port, { host: 'stats.example.com' })).status).toBe(200);
    const report = await fetchStats(gateway.adminPort);
    expect(report.gateway).toBe('test-gateway');
    expect(report.timeMs).toBeGreaterThanOrEqual(report.startedMs);
    expect(report.targets.find((t) => t.target === 'shop/stats')).toEqual({
      target: 'shop/stats',
      inFlight: 0,
      queued: 0,
      requestCount: 3,
      coldStarts: 0,
      readyEndpoints: 1,
      containerConcurrency: 1,
      demandMsTotal: expect.any(Number),
      inFlightMsTotal: expect.any(Number),
    });
  });

  it('exports Prometheus metrics: latency with fine buckets, queue depth, cold starts, codes, unrouted', async () => {
    const route = testRoute('metrics');
    discovery.setRoute(route);
    const cold = send(gateway.port, { host: 'metrics.example.com' });
    await eventually(async () => (await targetStats(gateway.adminPort, route.key))?.queued === 1, 'a held request');
    const during = await admin('/metrics');
    expect(during.text).toContain('ebb_gateway_queue_depth{namespace="shop",name="metrics"} 1');
    discovery.setEndpoints(route.key, [endpointOf(backend)]);
    expect((await cold).status).toBe(200);
    await send(gateway.port, { host: 'nobody.example.com' });

    const m = await admin('/metrics');
    expect(m.status).toBe(200);
    expect(m.type).toContain('text/plain');
    expect(m.text).toContain('ebb_gateway_request_duration_seconds_bucket{le="0.0005",namespace="shop",name="metrics"}');
    expect(m.text).toContain('ebb_gateway_request_duration_seconds_count{namespace="shop",name="metrics"} 1');
    expect(m.text).toContain('ebb_gateway_cold_start_duration_seconds_count{namespace="shop",name="metrics"} 1');
    expect(m.text).toContain('ebb_gateway_requests_total{namespace="shop",name="metrics",code="200"} 1');
    expect(m.text).toContain('ebb_gateway_queue_depth{namespace="shop",name="metrics"} 0');
    expect(m.text).toContain('ebb_gateway_ready_endpoints{namespace="shop",name="metrics"} 1');
    expect(m.text).toMatch(/ebb_gateway_unrouted_requests_total [1-9]/);
  });

  it('drops the series of a target that is no longer routed', async () => {
    const route = testRoute('gone');
    discovery.setRoute(route);
    discovery.setEndpoints(route.key, [endpointOf(backend)]);
    await send(gateway.port, { host: 'gone.example.com' });
    expect((await admin('/metrics')).text).toContain('name="gone"');
    discovery.removeRoute(route.key);
    await eventually(async () => !(await admin('/metrics')).text.includes('name="gone"'), 'the series of shop/gone to go');
    expect((await fetchStats(gateway.adminPort)).targets.map((t) => t.target)).not.toContain('shop/gone');
  });

  it.each([
    ['/healthz', 'GET', 200],
    ['/readyz', 'GET', 200],
    ['/nothing', 'GET', 404],
    ['/stats', 'POST', 405],
  ])('%s %s -> %i', async (path, method, status) => {
    expect((await admin(path, method)).status).toBe(status);
  });
});
