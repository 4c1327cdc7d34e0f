import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GatewayStatsReport, GatewayTargetStats, MetricSink, TargetInfo } from '@ebb/core';
import { afterAll, describe, expect, it } from 'vitest';
import { send, eventually, targetStats } from '../test-support/http-client.ts';
import { startTestGateway, testRoute } from '../test-support/test-gateway.ts';
import { createGatewayStatsCollector } from './gateway-stats-collector.ts';
import { staticGatewayReplicas } from './gateway-replicas.ts';

const T0 = Date.UTC(2026, 0, 1);
const servers: Server[] = [];
afterAll(() => servers.forEach((s) => s.close()));

/** A fake gateway admin port answering `report` (changeable) or `status`. */
async function fakeGateway(initial: GatewayStatsReport): Promise<{ url: string; report: GatewayStatsReport; status: number }> {
  const state = { url: '', report: initial, status: 200 };
  const server = createServer((_req, res) => {
    res.writeHead(state.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(state.report));
  }).listen(0, '127.0.0.1');
  servers.push(server);
  await once(server, 'listening');
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}

const stats = (target: string, inFlight: number, queued: number, requestCount: number): GatewayTargetStats => ({
  target,
  inFlight,
  queued,
  requestCount,
  coldStarts: 0,
  readyEndpoints: 1,
  containerConcurrency: 1,
});
const withDemand = (s: GatewayTargetStats, demandMsTotal: number): GatewayTargetStats => ({ ...s, demandMsTotal, inFlightMsTotal: demandMsTotal });

const report = (startedS: number, timeS: number, targets: GatewayTargetStats[]): GatewayStatsReport => ({
  gateway: 'gw',
  startedMs: T0 + startedS * 1000,
  timeMs: T0 + timeS * 1000,
  targets,
});
const info = (key: string, policies: string[] = ['eventgw']): TargetInfo => {
  const [namespace = '', name = ''] = key.split('/');
  return { ref: { namespace, name }, key, selector: {}, policies, annotations: {} };
};

/** A sink that keeps what it was told, as text. */
function recordingSink(): MetricSink & { records: string[]; failures: string[] } {
  const records: string[] = [];
  const failures: string[] = [];
  return {
    records,
    failures,
    record: (t, m, v) => void records.push(`${t} ${m}=${v}`),
    snapshot: () => undefined,
    fail: (t, m) => void failures.push(`${t} ${m}`),
  };
}

async function round(collector: ReturnType<typeof createGatewayStatsCollector>, targets: TargetInfo[]) {
  const sink = recordingSink();
  await collector.collect({ nowMs: T0, targets, sink, signal: new AbortController().signal });
  return sink;
}

describe('gateway stats collector', () => {
  it('sums the replicas per target and derives rps from counter deltas, across a restart', async () => {
    const a = await fakeGateway(report(0, 100, [stats('shop/a', 2, 3, 100), stats('shop/b', 0, 0, 7)]));
    const b = await fakeGateway(report(0, 100, [stats('shop/a', 1, 0, 50)]));
    const collector = createGatewayStatsCollector({ replicas: staticGatewayReplicas([a.url, b.url]) });
    const targets = [info('shop/a'), info('shop/b', ['kpa']), info('shop/unrouted', ['kpa'])];

    const first = await round(collector, targets);
    // First poll of each replica: the instantaneous figures (no earlier report to average from). shop/a has
    // requests queued, so its congested demand is everything at the gateway now.
    expect(first.records).toEqual([
      'shop/a eventgw.demand=6',
      'shop/a eventgw.congested-demand=6',
      'shop/a concurrency=6',
      'shop/b eventgw.demand=0',
      'shop/b eventgw.congested-demand=0',
      'shop/b concurrency=0',
    ]);
    expect(first.failures).toEqual([]);

    a.report = report(0, 102, [stats('shop/a', 1, 0, 140), stats('shop/b', 0, 0, 9)]);
    b.report = report(101, 102, [stats('shop/a', 0, 0, 10)]);
    const second = await round(collector, targets);
    // shop/a: (140 - 100) / 2 s from a, plus 10 requests in the 1 s since b restarted = 30/s.
    // These reports carry no demand integral (a gateway from before it): the instantaneous figures again.
    expect(second.records).toEqual([
      'shop/a eventgw.demand=1',
      'shop/a eventgw.congested-demand=0',
      'shop/a concurrency=1',
      'shop/a rps=30',
      'shop/b eventgw.demand=0',
      'shop/b eventgw.congested-demand=0',
      'shop/b concurrency=0',
      'shop/b rps=1',
    ]);
  });

  it('records the time-weighted average demand between polls, summed over replicas, across a restart', async () => {
    const a = await fakeGateway(report(0, 100, [withDemand(stats('shop/a', 0, 0, 10), 50_000)]));
    const b = await fakeGateway(report(0, 100, [withDemand(stats('shop/a', 1, 0, 10), 9_000)]));
    const collector = createGatewayStatsCollector({ replicas: staticGatewayReplicas([a.url, b.url]) });
    expect((await round(collector, [info('shop/a')])).records[0]).toBe('shop/a eventgw.demand=1');
    // a: (50,750 - 50,000) / 1 s = 0.75 though nothing is in flight at the poll; b restarted at 100.5 s and has
    // served 250 request-ms since: 250 / 500 ms = 0.5.
    a.report = report(0, 101, [withDemand(stats('shop/a', 0, 0, 13), 50_750)]);
    b.report = report(100.5, 101, [withDemand(stats('shop/a', 0, 0, 2), 250)]);
    expect((await round(collector, [info('shop/a')])).records.slice(0, 3)).toEqual([
      'shop/a eventgw.demand=1.25',
      'shop/a eventgw.congested-demand=0',
      'shop/a concurrency=1.25',
    ]);
  });

  it.each([
    ['a replica answers an error', 500],
    ['a replica answers something else', 200],
  ])('records nothing for the round when %s, and fails the eventgw targets', async (_name, status) => {
    const good = await fakeGateway(report(0, 100, [stats('shop/a', 4, 0, 1)]));
    const bad = await fakeGateway(report(0, 100, []));
    bad.status = status;
    if (status === 200) bad.report = { nonsense: true } as unknown as GatewayStatsReport;
    const collector = createGatewayStatsCollector({ replicas: staticGatewayReplicas([good.url, bad.url]) });
    const sink = await round(collector, [info('shop/a'), info('shop/k', ['kpa'])]);
    expect(sink.records).toEqual([]);
    expect(sink.failures).toEqual(['shop/a eventgw.demand']);
  });

  it('fails the round when a replica cannot be reached or none is known', async () => {
    const closed = createServer().listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    closed.close();
    for (const urls of [[url], []]) {
      const sink = await round(createGatewayStatsCollector({ replicas: staticGatewayReplicas(urls) }), [info('shop/a')]);
      expect([sink.records, sink.failures]).toEqual([[], ['shop/a eventgw.demand']]);
    }
  });

  it('records only the eventgw metrics without shared metrics', async () => {
    const a = await fakeGateway(report(0, 100, [stats('shop/a', 1, 1, 1)]));
    const collector = createGatewayStatsCollector({ replicas: staticGatewayReplicas([a.url]), sharedMetrics: false });
    expect(collector.provides).toEqual(['eventgw.demand', 'eventgw.congested-demand']);
    expect((await round(collector, [info('shop/a')])).records).toEqual(['shop/a eventgw.demand=2', 'shop/a eventgw.congested-demand=2']);
  });

  it('reads the figures of a real gateway: requests held at zero count as demand', async () => {
    const { gateway, discovery } = await startTestGateway();
    try {
      const route = testRoute('held');
      discovery.setRoute(route);
      const held = [send(gateway.port, { host: 'held.example.com' }), send(gateway.port, { host: 'held.example.com' })];
      await eventually(async () => (await targetStats(gateway.adminPort, route.key))?.queued === 2, 'two held requests');
      const collector = createGatewayStatsCollector({ replicas: staticGatewayReplicas([`http://127.0.0.1:${gateway.adminPort}`]) });
      const records = (await round(collector, [info(route.key)])).records;
      // A gateway that started moments ago counts its requests from its start, so it also has a rate.
      expect(records.slice(0, 3)).toEqual(['shop/held eventgw.demand=2', 'shop/held eventgw.congested-demand=2', 'shop/held concurrency=2']);
      expect(records[3]).toMatch(/^shop\/held rps=\d/);
      await gateway.stop({ drainTimeoutMs: 0 });
      expect((await Promise.all(held)).map((r) => r.status)).toEqual([503, 503]);
    } finally {
      await gateway.stop({ drainTimeoutMs: 0 });
    }
  });
});
