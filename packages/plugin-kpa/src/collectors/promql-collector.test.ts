import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MetricCollector, TargetInfo } from '@ebb/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KNATIVE_DEFAULTS } from '../kpa-options.ts';
import { createKpaConfigSchema } from '../kpa-schema.ts';
import { kpaConfigLookup } from './kpa-config-lookup.ts';
import { createPromqlCollector } from './promql-collector.ts';
import { kpaTarget, nth, RecordingSink } from './test-support/metric-pods.ts';
import { startPrometheus, waitFor, type RunningPrometheus } from '@ebb/testing';

/** Requests per second each fake pod's counter grows by. */
const RPS_PER_POD = 5;

/** A local HTTP server exposing an in-flight gauge and a request counter growing at RPS_PER_POD. */
interface AppServer {
  readonly server: Server;
  inFlight: number;
  address: string;
}

const servers: AppServer[] = [];
let prometheus: RunningPrometheus;

async function startApp(inFlight: number): Promise<AppServer> {
  const startedMs = Date.now();
  const app: AppServer = { server: createServer(), inFlight, address: '' };
  app.server.on('request', (_req, res) => {
    const total = Math.floor(((Date.now() - startedMs) / 1000) * RPS_PER_POD);
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(`# TYPE app_in_flight gauge\napp_in_flight ${app.inFlight}\n# TYPE app_requests_total counter\napp_requests_total ${total}\n`);
  });
  await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', resolve));
  app.address = `127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  servers.push(app);
  return app;
}

const QUERIES = {
  concurrency: 'sum(app_in_flight{namespace="{{namespace}}",{{selector}}})',
  rps: 'sum(rate(app_requests_total{namespace="{{namespace}}",{{selector}}}[5s]))',
};
const configOf = kpaConfigLookup(
  createKpaConfigSchema(KNATIVE_DEFAULTS, { defaultSource: 'prometheus', available: ['prometheus', 'pods', 'external'], prometheusTemplates: ['concurrency', 'rps'] }),
);
let web: AppServer[];

beforeAll(async () => {
  web = [await startApp(2), await startApp(3), await startApp(4)];
  const api = await startApp(7);
  prometheus = await startPrometheus([
    { name: 'web', targets: web.map((s) => s.address), labels: { namespace: 'default', app: 'web' } },
    { name: 'api', targets: [api.address], labels: { namespace: 'default', app: 'api' } },
  ]);
  await prometheus.untilScraped();
}, 120_000);

afterAll(async () => {
  await prometheus?.stop();
  await Promise.all(servers.map((s) => new Promise((resolve) => s.server.close(resolve))));
});

/** One round of `collector` for `targets`. */
async function round(collector: MetricCollector, targets: readonly TargetInfo[]): Promise<RecordingSink> {
  const sink = new RecordingSink();
  await collector.collect({ nowMs: 1_000_000, targets, sink, signal: new AbortController().signal });
  return sink;
}

/** Runs rounds until `pred` holds for the recorded values of the first target (Prometheus scrapes on its own time). */
async function until(collector: MetricCollector, target: TargetInfo, pred: (values: number[]) => boolean, description: string): Promise<RecordingSink> {
  let last = new RecordingSink();
  await waitFor(
    async () => {
      last = await round(collector, [target]);
      return pred(last.records.map((r) => r.value));
    },
    { timeoutMs: 30_000, intervalMs: 200, description: `${description} (last: ${JSON.stringify(last.records)} ${last.failureMessages().join('; ')})` },
  );
  return last;
}

describe('PromQL collector against a real Prometheus (Debian package) scraping local servers', () => {
  const collector = (url?: string) => createPromqlCollector({ url: url ?? prometheus.url, queries: QUERIES, configOf, timeoutMs: 2000 });

  it('records the template for the target (selector filled in): concurrency 2 + 3 + 4, then the new value after a change', async () => {
    const c = collector();
    const sink = await until(c, kpaTarget('web'), (v) => v[0] === 9, 'concurrency 9');
    expect(sink.records).toEqual([{ target: 'default/web', metric: 'concurrency', value: 9, timeMs: 1_000_000 }]);
    expect(sink.failures).toEqual([]);
    nth(web, 0).inFlight = 12;
    await until(c, kpaTarget('web'), (v) => v[0] === 19, 'concurrency 19 after a pod went to 12');
    nth(web, 0).inFlight = 2;
  });

  it('records rps from the rate of a counter (3 pods x 5 req/s)', async () => {
    const sink = await until(collector(), kpaTarget('web', { 'ebb.dev/kpa.metric': 'rps' }), (v) => v.length === 1 && Math.abs((v[0] ?? 0) - 15) < 2, 'rps close to 15');
    expect(sink.records[0]?.metric).toBe('rps');
  });

  it.each([
    { name: 'an instant vector is summed over its series', query: 'app_in_flight{app="{{name}}"}', want: 9 },
    { name: 'a scalar is taken as is', query: 'scalar(max(app_in_flight{app="{{name}}"}))', want: 4 },
    { name: 'the other target is measured apart', query: 'sum(app_in_flight{app="api"})', want: 7 },
  ])('uses the target\'s own query: $name', async ({ query, want }) => {
    await until(collector(), kpaTarget('web', { 'ebb.dev/kpa.prometheus-query': query }), (v) => v[0] === want, `value ${want}`);
  });

  it('records nothing and reports nothing when the query finds no series (as Knative at zero pods)', async () => {
    const sink = await round(collector(), [kpaTarget('gone')]);
    expect(sink.records).toEqual([]);
    expect(sink.failures).toEqual([]);
  });

  it.each([
    { name: 'a query Prometheus rejects', target: kpaTarget('web', { 'ebb.dev/kpa.prometheus-query': 'sum(' }), message: 'failed (HTTP 400, bad_data)' },
    { name: 'a value that is not finite', target: kpaTarget('web', { 'ebb.dev/kpa.prometheus-query': 'sum(app_in_flight{app="web"}) / 0' }), message: 'gave "+Inf", not a finite number' },
    { name: 'a range vector', target: kpaTarget('web', { 'ebb.dev/kpa.prometheus-query': 'app_in_flight[10s]' }), message: 'gave a matrix result' },
  ])('records nothing and reports a failure for $name', async ({ target, message }) => {
    const sink = await round(collector(), [target]);
    expect(sink.records).toEqual([]);
    expect(sink.failures).toHaveLength(1);
    expect(sink.failureMessages()[0]).toContain(message);
  });

  it('records nothing and reports a failure when the server cannot be reached', async () => {
    const sink = await round(collector('http://127.0.0.1:1'), [kpaTarget('web')]);
    expect(sink.records).toEqual([]);
    expect(sink.failureMessages()[0]).toContain('http://127.0.0.1:1/api/v1/query');
  });

  it('leaves alone targets whose metric source is another one', async () => {
    const sink = await round(collector(), [kpaTarget('web', { 'ebb.dev/kpa.metric-source': 'pods' }), kpaTarget('web', {}, ['hpa'])]);
    expect(sink.records).toEqual([]);
    expect(sink.failures).toEqual([]);
  });
});
