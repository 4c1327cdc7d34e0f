import { ManualClock, type MetricCollector, type TargetInfo } from '@ebb/core';
import { afterEach, describe, expect, it } from 'vitest';
import { KNATIVE_DEFAULTS } from '../kpa-options.ts';
import { createKpaConfigSchema } from '../kpa-schema.ts';
import { kpaConfigLookup } from './kpa-config-lookup.ts';
import { createPodScrapeCollector, type PodScrapeCollectorOptions } from './pod-scrape-collector.ts';
import { kpaTarget, MetricPods, nth, RecordingSink } from './test-support/metric-pods.ts';

const IN_FLIGHT = 'queue_average_concurrent_requests';
const PER_SECOND = 'queue_requests_per_second';
const COUNTER = 'http_requests_total';
const WINDOW_MS = 60_000;

const configOf = kpaConfigLookup(createKpaConfigSchema(KNATIVE_DEFAULTS, { defaultSource: 'pods', available: ['pods', 'external'], prometheusTemplates: [] }));

let fleet: MetricPods;
let collector: MetricCollector | undefined;
afterEach(async () => {
  await collector?.close?.();
  collector = undefined;
  await fleet.close();
});

/** A collector over `fleet` with a fixed random sequence and a clock moved by hand. */
function makeCollector(clock: ManualClock, extra: Partial<PodScrapeCollectorOptions> = {}): MetricCollector {
  let i = 0;
  collector = createPodScrapeCollector({ configOf, pods: fleet, port: fleet.port, clock, random: () => ((i++ * 0.618) % 1), timeoutMs: 500, ...extra });
  return collector;
}

async function round(c: MetricCollector, clock: ManualClock, targets: readonly TargetInfo[]): Promise<RecordingSink> {
  const sink = new RecordingSink();
  await c.collect({ nowMs: clock.now(), targets, sink, signal: new AbortController().signal });
  return sink;
}

describe('pod-scraping collector, pods answering on loopback IPs', () => {
  it.each([
    { pods: 1, each: 4, sample: 1, want: 4 },
    { pods: 3, each: 2.5, sample: 3, want: 7.5 },
    { pods: 10, each: 3, sample: 7, want: 30 },
    { pods: 20, each: 5, sample: 9, want: 100 },
  ])('$pods ready pods with in-flight $each each: scrapes $sample, records concurrency $want', async ({ pods, each, sample, want }) => {
    fleet = new MetricPods();
    const clock = new ManualClock();
    await fleet.add(pods, clock.now() - WINDOW_MS, { [IN_FLIGHT]: each });
    const c = makeCollector(clock);
    const sink = await round(c, clock, [kpaTarget('web')]);
    expect(sink.failures).toEqual([]);
    expect(sink.records).toEqual([{ target: 'default/web', metric: 'concurrency', value: want, timeMs: clock.now() }]);
    expect(fleet.pods.reduce((n, p) => n + p.hits, 0)).toBe(sample);
  });

  it('extrapolates the sample mean to every ready pod (uneven pods: mean of the sampled ones x ready)', async () => {
    fleet = new MetricPods();
    const clock = new ManualClock();
    const pods = await fleet.add(10, clock.now() - WINDOW_MS, { [IN_FLIGHT]: 0 });
    pods.forEach((p, i) => p.metrics.set(IN_FLIGHT, i));
    const sink = await round(makeCollector(clock), clock, [kpaTarget('web')]);
    const sampled = pods.filter((p) => p.hits === 1);
    expect(sampled).toHaveLength(7);
    const mean = sampled.reduce((n, p) => n + (p.metrics.get(IN_FLIGHT) ?? 0), 0) / 7;
    expect(sink.records[0]?.value).toBeCloseTo(mean * 10, 9);
  });

  it('uses young pods only as backups: never scraped while the old ones answer, scraped when they fail', async () => {
    fleet = new MetricPods();
    const clock = new ManualClock();
    const old = await fleet.add(8, clock.now() - WINDOW_MS, { [IN_FLIGHT]: 1 }, 'old');
    const young = await fleet.add(2, clock.now() - 1000, { [IN_FLIGHT]: 1 }, 'young');
    const c = makeCollector(clock);
    const first = await round(c, clock, [kpaTarget('web')]);
    expect(first.records[0]?.value).toBe(10);
    expect(young.map((p) => p.hits)).toEqual([0, 0]);
    old.slice(0, 3).forEach((p) => (p.behaviour = 'http-503'));
    clock.advance(1000);
    const second = await round(c, clock, [kpaTarget('web')]);
    expect(second.failures).toEqual([]);
    expect(second.records[0]?.value).toBe(10);
    expect(young.some((p) => p.hits > 0)).toBe(true);
  });

  it.each([
    { behaviour: 'http-503' as const, message: 'answered HTTP 503' },
    { behaviour: 'garbage' as const, message: 'unclosed label set' },
    { behaviour: 'hang' as const, message: 'no answer within 500 ms' },
  ])('records nothing and reports a failure when too few pods answer ($behaviour)', async ({ behaviour, message }) => {
    fleet = new MetricPods();
    const clock = new ManualClock();
    const pods = await fleet.add(3, clock.now() - WINDOW_MS, { [IN_FLIGHT]: 1 });
    nth(pods, 1).behaviour = behaviour;
    const sink = await round(makeCollector(clock), clock, [kpaTarget('web')]);
    expect(sink.records).toEqual([]);
    expect(sink.failures.map((f) => [f.target, f.metric])).toEqual([['default/web', 'concurrency']]);
    expect(sink.failureMessages()[0]).toContain('only 2 of 3 sampled pods answered (3 ready)');
    expect(sink.failureMessages()[0]).toContain(message);
  });

  it('fails a pod whose page lacks the metric', async () => {
    fleet = new MetricPods();
    const clock = new ManualClock();
    await fleet.add(1, clock.now() - WINDOW_MS, { some_other_metric: 1 });
    const sink = await round(makeCollector(clock), clock, [kpaTarget('web')]);
    expect(sink.records).toEqual([]);
    expect(sink.failureMessages()[0]).toContain(`does not expose ${IN_FLIGHT}`);
  });

  it('records nothing and reports nothing for a target with no ready pod (as Knative at zero)', async () => {
    fleet = new MetricPods();
    const clock = new ManualClock();
    const sink = await round(makeCollector(clock, { port: 9 }), clock, [kpaTarget('web')]);
    expect(sink.records).toEqual([]);
    expect(sink.failures).toEqual([]);
  });

  it('reports a failure when the pods cannot be listed, or the target has no selector', async () => {
    fleet = new MetricPods();
    const clock = new ManualClock();
    await fleet.add(1, clock.now() - WINDOW_MS, { [IN_FLIGHT]: 1 });
    const c = makeCollector(clock);
    fleet.listError = new Error('the pod watch of namespace default is broken');
    const noSelector = { ...kpaTarget('bare'), selector: {} };
    const sink = await round(c, clock, [kpaTarget('web'), noSelector]);
    expect(sink.records).toEqual([]);
    expect(sink.failureMessages().sort()).toEqual(['default/bare has no matchLabels selector; its pods cannot be found', 'the pod watch of namespace default is broken']);
  });

  it('gives up on a pod list that hangs when the round is aborted, reporting a failure', async () => {
    fleet = new MetricPods();
    const clock = new ManualClock();
    const hanging = { readyPods: () => new Promise<never>(() => undefined), retain: async () => undefined, close: async () => undefined };
    const c = createPodScrapeCollector({ configOf, pods: hanging, clock });
    const sink = new RecordingSink();
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('collector kpa-pods overran 1000 ms')), 50);
    await c.collect({ nowMs: clock.now(), targets: [kpaTarget('web')], sink, signal: controller.signal });
    expect(sink.failureMessages()).toEqual(['collector kpa-pods overran 1000 ms']);
  });

  it('reads rps from a per-second gauge, summed over series and extrapolated', async () => {
    fleet = new MetricPods();
    const clock = new ManualClock();
    await fleet.add(2, clock.now() - WINDOW_MS, { [PER_SECOND]: 12.5 });
    const sink = await round(makeCollector(clock), clock, [kpaTarget('api', { 'ebb.dev/kpa.metric': 'rps' })]);
    expect(sink.records).toEqual([{ target: 'default/api', metric: 'rps', value: 25, timeMs: clock.now() }]);
  });

  it('reads rps from a counter: nothing on the first round, then the increase per second; a restart counts its new value', async () => {
    fleet = new MetricPods();
    const clock = new ManualClock();
    const pods = await fleet.add(2, clock.now() - WINDOW_MS, { [COUNTER]: 100 });
    const c = makeCollector(clock, { requestsMetric: COUNTER, requestsMetricType: 'counter' });
    const target = kpaTarget('api', { 'autoscaling.knative.dev/metric': 'rps' });
    expect((await round(c, clock, [target])).records).toEqual([]);
    clock.advance(2000);
    nth(pods, 0).metrics.set(COUNTER, 140); // 20 req/s
    nth(pods, 1).metrics.set(COUNTER, 120); // 10 req/s
    expect((await round(c, clock, [target])).records).toEqual([{ target: 'default/api', metric: 'rps', value: 30, timeMs: clock.now() }]);
    clock.advance(1000);
    nth(pods, 0).metrics.set(COUNTER, 6); // restarted: 6 req/s
    nth(pods, 1).metrics.set(COUNTER, 120); // idle
    expect((await round(c, clock, [target])).records.map((r) => r.value)).toEqual([6]);
  });

  it('keeps counter readings fresh: the same pods stay in the sample round after round', async () => {
    fleet = new MetricPods();
    const clock = new ManualClock();
    const pods = await fleet.add(30, clock.now() - WINDOW_MS, { [COUNTER]: 0 });
    const c = makeCollector(clock, { requestsMetric: COUNTER, requestsMetricType: 'counter' });
    const target = kpaTarget('api', { 'ebb.dev/kpa.metric': 'rps' });
    await round(c, clock, [target]);
    const sampled = pods.filter((p) => p.hits === 1).map((p) => p.name);
    for (let r = 1; r <= 3; r++) {
      clock.advance(1000);
      pods.forEach((p) => p.metrics.set(COUNTER, r * 4)); // 4 req/s per pod
      const sink = await round(c, clock, [target]);
      expect(sink.records.map((x) => x.value)).toEqual([120]);
    }
    expect(pods.filter((p) => p.hits === 4).map((p) => p.name)).toEqual(sampled);
  });

  it.each([
    { name: 'another metric source', target: kpaTarget('ext', { 'ebb.dev/kpa.metric-source': 'external' }) },
    { name: 'no kpa policy', target: kpaTarget('other', {}, ['hpa']) },
    { name: 'another autoscaling class', target: kpaTarget('hpa', { 'autoscaling.knative.dev/class': 'hpa.autoscaling.knative.dev' }) },
    { name: 'invalid KPA annotations', target: kpaTarget('bad', { 'ebb.dev/kpa.window': '1s' }) },
  ])('leaves alone a target with $name', async ({ target }) => {
    fleet = new MetricPods();
    const clock = new ManualClock();
    await fleet.add(1, clock.now() - WINDOW_MS, { [IN_FLIGHT]: 1 });
    const sink = await round(makeCollector(clock), clock, [target]);
    expect(sink.records).toEqual([]);
    expect(sink.failures).toEqual([]);
    expect(nth(fleet.pods, 0).hits).toBe(0);
  });

  it('rejects invalid settings at creation, naming each', () => {
    fleet = new MetricPods();
    expect(() => createPodScrapeCollector({ configOf, pods: fleet, port: 0, path: 'metrics' })).toThrow(
      'pod-scraping options.port: invalid value 0: expected an integer 1..65535; pod-scraping options.path: invalid value "metrics": expected a path starting with /',
    );
    expect(() => createPodScrapeCollector({ configOf })).toThrow('needs kubeConfig');
  });
});
