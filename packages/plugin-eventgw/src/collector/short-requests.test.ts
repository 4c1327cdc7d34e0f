import { Metrics, type MetricCollector, type TargetInfo } from '@ebb/core';
import { describe, expect, it } from 'vitest';
import { startBackend } from '../test-support/backends.ts';
import { fetchStats, pause, send } from '../test-support/http-client.ts';
import { endpointOf, startTestGateway, testRoute } from '../test-support/test-gateway.ts';
import { createGatewayStatsCollector } from './gateway-stats-collector.ts';
import { staticGatewayReplicas } from './gateway-replicas.ts';

const BACKEND_MS = 50;
const EVERY_MS = 100;

/** One collection round: the `concurrency` recorded for `target`. */
async function concurrencyOf(collector: MetricCollector, target: TargetInfo): Promise<number | undefined> {
  let value: number | undefined;
  await collector.collect({
    nowMs: Date.now(),
    targets: [target],
    sink: { record: (_t, m, v) => void (m === Metrics.concurrency && (value = v)), snapshot: () => undefined, fail: () => undefined },
    signal: new AbortController().signal,
  });
  return value;
}

describe('gateway stats over real sockets: many short requests', () => {
  it('records concurrency close to rate x duration, never 0 while traffic flows', async () => {
    const { gateway, discovery } = await startTestGateway();
    const backend = await startBackend('127.250.9.1', (req, res) => {
      req.resume();
      setTimeout(() => res.end('ok'), BACKEND_MS);
    });
    try {
      const route = testRoute('short', { containerConcurrency: 0 });
      discovery.setRoute(route);
      discovery.setEndpoints(route.key, [endpointOf(backend)]);
      const target: TargetInfo = { ref: route.ref, key: route.key, selector: {}, policies: ['eventgw'], annotations: {} };
      const collector = createGatewayStatsCollector({ replicas: staticGatewayReplicas([`http://127.0.0.1:${gateway.adminPort}`]) });
      const stat = async () => (await fetchStats(gateway.adminPort)).targets.find((t) => t.target === route.key);
      const before = await stat();
      expect(await concurrencyOf(collector, target)).toBe(0); // the first poll: nothing in flight yet
      const startedMs = performance.now();

      // One request of 50 ms every 100 ms: 10/s x 0.05 s = 0.5 requests on average, often 0 at any one instant.
      const durationsMs: number[] = [];
      const sent: Array<Promise<number>> = [];
      const timer = setInterval(() => {
        const t0 = performance.now();
        sent.push(send(gateway.port, { host: 'short.example.com' }).then((a) => (durationsMs.push(performance.now() - t0), a.status)));
      }, EVERY_MS);
      const samples: number[] = [];
      try {
        for (let i = 0; i < 5; i++) {
          await pause(1000);
          samples.push((await concurrencyOf(collector, target)) ?? Number.NaN);
        }
      } finally {
        clearInterval(timer);
      }
      const elapsedMs = performance.now() - startedMs;
      expect(new Set(await Promise.all(sent))).toEqual(new Set([200]));
      const after = await stat();

      // Every second of traffic shows demand (a sample at one instant would often read 0, or always 1 when the
      // polls keep step with the requests), and on average what the requests took: about 10/s x 50 ms = 0.5.
      for (const v of samples) expect(v).toBeGreaterThan(0.15);
      const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
      const clientMean = durationsMs.reduce((a, b) => a + b, 0) / elapsedMs;
      expect(mean).toBeGreaterThan(0.6 * clientMean);
      expect(mean).toBeLessThan(1.2 * clientMean + 0.05);

      // The integral is the time the requests spent at the gateway: at least the backend's 50 ms each (less 1 ms
      // of clock rounding), at most what their clients waited (plus 1 ms of rounding each).
      const integralMs = (after?.demandMsTotal ?? 0) - (before?.demandMsTotal ?? 0);
      expect(integralMs).toBeGreaterThanOrEqual(sent.length * (BACKEND_MS - 1));
      expect(integralMs).toBeLessThanOrEqual(durationsMs.reduce((a, b) => a + b, 0) + sent.length);
      expect(after?.inFlightMsTotal).toBeLessThanOrEqual(after?.demandMsTotal ?? 0);
    } finally {
      await gateway.stop({ drainTimeoutMs: 0 });
      await backend.close();
    }
  });
});
