import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startPrometheus, type RunningPrometheus } from '@ebb/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customMetricId, type CustomMetric } from '../custom-metric.ts';
import { createHpaConfigSchema } from '../hpa-schema.ts';
import { readCustomMetric, type ReadContext } from './metrics-api-readers.ts';

// PromQL queries in ebb.dev/hpa.metrics against a real Prometheus (Debian's package), scraping a local endpoint
// whose series a test sets.
let app: Server;
let prometheus: RunningPrometheus;
const exposition = {
  text: '# TYPE app_rps gauge\napp_rps{pod="web-0"} 15\napp_rps{pod="web-1"} 25.5\n# TYPE queue_depth gauge\nqueue_depth{queue="orders"} 60\nqueue_depth{queue="mail"} 30\n',
};

beforeAll(async () => {
  app = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(exposition.text);
  });
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  const address = `127.0.0.1:${(app.address() as AddressInfo).port}`;
  prometheus = await startPrometheus([{ name: 'app', targets: [address], labels: { namespace: 'shop' } }]);
  await prometheus.untilScraped();
});

afterAll(async () => {
  await prometheus?.stop();
  await new Promise((resolve) => app?.close(resolve));
});

const schema = createHpaConfigSchema();
function metric(yaml: string): CustomMetric {
  const parsed = schema.parse({ 'ebb.dev/hpa.metrics': yaml }, 'ebb.dev/hpa.');
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  const [m] = parsed.value.metrics?.custom ?? [];
  if (!m) throw new Error('one metric expected');
  return m;
}

/** A read context without cluster access: PromQL metrics need none. */
function context(url: string | undefined): ReadContext {
  const noCluster = (): never => {
    throw new Error('no cluster in this test');
  };
  return {
    kc: undefined as never,
    namespace: 'shop',
    targetName: 'web',
    podSelector: 'app=web',
    signal: new AbortController().signal,
    resourceOf: noCluster,
    ...(url ? { prometheus: { url, timeoutMs: 5000 } } : {}),
  };
}

describe('metrics with a PromQL query, read from a real Prometheus', () => {
  it('reads a Pods metric per pod label and an External metric as the sum of its series', async () => {
    const pods = metric('[{type: Pods, pods: {metric: {name: rps}, query: \'app_rps{namespace="{{namespace}}"}\', target: {type: AverageValue, averageValue: "10"}}}]');
    expect(await readCustomMetric(context(prometheus.url), pods)).toEqual({ ok: true, kind: 'pods', valuesMilli: { 'web-0': 15_000, 'web-1': 25_500 } });
    const queue = metric('[{type: External, external: {metric: {name: queue}, query: "queue_depth", target: {type: AverageValue, averageValue: "30"}}}]');
    expect(await readCustomMetric(context(prometheus.url), queue)).toEqual({ ok: true, kind: 'total', valueMilli: 90_000 });
    const scalar = metric('[{type: External, external: {metric: {name: q}, query: "scalar(sum(queue_depth)) / 4", target: {type: Value, value: "1"}}}]');
    expect(await readCustomMetric(context(prometheus.url), scalar)).toEqual({ ok: true, kind: 'total', valueMilli: 22_500 });
    expect(customMetricId(queue)).toBe('External/queue query queue_depth');
  });

  it.each([
    ['no series', '[{type: External, external: {metric: {name: q}, query: "queue_depth{queue=\\"none\\"}", target: {type: Value, value: "1"}}}]', 'returned no series'],
    ['a Pods query without a pod label', '[{type: Pods, pods: {metric: {name: q}, query: "queue_depth", target: {type: AverageValue, averageValue: "1"}}}]', 'without a pod label'],
    ['a query Prometheus refuses', '[{type: External, external: {metric: {name: q}, query: "sum(", target: {type: Value, value: "1"}}}]', 'failed (HTTP 400)'],
  ])('reports %s as an invalid reading', async (_name, yaml, message) => {
    expect(await readCustomMetric(context(prometheus.url), metric(yaml))).toMatchObject({ ok: false, error: expect.stringContaining(message) });
  });

  it('reports a query without a configured Prometheus, and an unreachable one, as invalid readings', async () => {
    const queue = metric('[{type: External, external: {metric: {name: queue}, query: "queue_depth", target: {type: Value, value: "1"}}}]');
    expect(await readCustomMetric(context(undefined), queue)).toMatchObject({ ok: false, error: expect.stringContaining('pluginOptions.hpa.prometheus.url') });
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));
    expect(await readCustomMetric(context(url), queue)).toMatchObject({ ok: false, error: expect.stringMatching(/fetch failed|ECONNREFUSED/) });
  });
});
