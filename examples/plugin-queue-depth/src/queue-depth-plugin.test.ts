import { CONTRACT_NOW_MS, metricsFrom, pluginContractSuite } from '@ebb/core/testing';
import { isCollectorProvider, parseScalingConfig, type RecommendInput } from '@ebb/core';
import { describe, expect, it } from 'vitest';
import { createPlugin } from './queue-depth-plugin.ts';
import { QUEUE_DEPTH_METRIC, queueDepthConfigSchema, type QueueDepthConfig } from './queue-depth-config.ts';
import { recommendQueueDepth } from './recommend-queue-depth.ts';

const QUERY = { 'ebb.dev/queue-depth.query': 'sum(queue_depth{queue="orders"})' };

// The checks every Ebb policy plugin must pass (manifest, config, pure and valid decisions).
pluginContractSuite({
  plugin: () => createPlugin({ prometheusUrl: 'http://prometheus.invalid:9090' }),
  annotations: QUERY,
  scenarios: [
    { name: 'a deep queue', series: { [QUEUE_DEPTH_METRIC]: [420, 380, 450] } },
    { name: 'an empty queue', series: { [QUEUE_DEPTH_METRIC]: [0, 0] }, replicas: { current: 3, ready: 3 } },
    { name: 'one item per pod', annotations: { 'ebb.dev/queue-depth.per-pod': '1' }, series: { [QUEUE_DEPTH_METRIC]: [7] } },
  ],
});

function input(config: Partial<QueueDepthConfig>, series: number[] | undefined): RecommendInput<QueueDepthConfig, undefined> {
  const scaling = parseScalingConfig({});
  if (!scaling.ok) throw new Error('scaling defaults');
  return {
    nowMs: CONTRACT_NOW_MS,
    target: { namespace: 'shop', name: 'worker' },
    config: { query: 'q', perPod: 100, windowMs: 30_000, ...config },
    scaling: scaling.value,
    replicas: { current: 1, ready: 1 },
    metrics: metricsFrom(CONTRACT_NOW_MS, series ? { [QUEUE_DEPTH_METRIC]: series } : {}),
    state: undefined,
  };
}

describe('recommendQueueDepth', () => {
  it.each<[string, Partial<QueueDepthConfig>, number[] | undefined, string, number | undefined]>([
    ['averages the window and rounds up', {}, [420, 380, 450], 'queue depth 416.67 (average over 30s) / 100 per pod', 5],
    ['keeps an exact multiple', {}, [400], 'queue depth 400 (average over 30s) / 100 per pod', 4],
    ['recommends zero for an empty queue', {}, [0, 0, 0], 'queue depth 0 (average over 30s) / 100 per pod', 0],
    ['uses per-pod', { perPod: 0.5 }, [3], 'queue depth 3 (average over 30s) / 0.5 per pod', 6],
    ['reads only the window', { windowMs: 2000 }, [1000, 1000, 10, 30], 'queue depth 20 (average over 2s) / 100 per pod', 1],
    ['has no data without samples', {}, undefined, 'no queue depth sample in the last 30s', undefined],
  ])('%s', (_what, config, series, reason, replicas) => {
    const { recommendation } = recommendQueueDepth(input(config, series));
    expect(recommendation.reason).toBe(reason);
    expect(recommendation.kind).toBe(replicas === undefined ? 'no-data' : 'replicas');
    if (recommendation.kind === 'replicas') expect(recommendation.replicas).toBe(replicas);
  });
});

describe('queue-depth annotations', () => {
  it.each([
    [{}, 'ebb.dev/queue-depth.query is required'],
    [{ ...QUERY, 'ebb.dev/queue-depth.per-pod': '0' }, 'ebb.dev/queue-depth.per-pod'],
    [{ ...QUERY, 'ebb.dev/queue-depth.window': '1500ms' }, 'ebb.dev/queue-depth.window'],
  ])('rejects %j naming the key', (annotations, key) => {
    const parsed = queueDepthConfigSchema.parse(annotations, 'ebb.dev/queue-depth.');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.issues.map((i) => i.message).join('\n')).toContain(key);
  });

  it('parses a full configuration', () => {
    const parsed = queueDepthConfigSchema.parse({ ...QUERY, 'ebb.dev/queue-depth.per-pod': '25', 'ebb.dev/queue-depth.window': '1m' }, 'ebb.dev/queue-depth.');
    expect(parsed).toEqual({ ok: true, value: { query: QUERY['ebb.dev/queue-depth.query'], perPod: 25, windowMs: 60_000 } });
  });
});

describe('createPlugin (what ebb run calls with pluginOptions.queue-depth)', () => {
  it('brings its collector only with a Prometheus URL, and creates it once', () => {
    expect(isCollectorProvider(createPlugin(undefined))).toBe(false);
    const plugin = createPlugin({ prometheusUrl: 'http://prometheus:9090', intervalMs: 2000 });
    expect(isCollectorProvider(plugin)).toBe(true);
    const [collector] = plugin.collectors!();
    expect(collector).toMatchObject({ id: 'queue-depth-prometheus', provides: [QUEUE_DEPTH_METRIC], intervalMs: 2000 });
    expect(plugin.collectors!()[0]).toBe(collector);
  });

  it.each([
    [{ prometheusUrl: 'prometheus:9090' }, 'pluginOptions.queue-depth.prometheusUrl: invalid value "prometheus:9090"'],
    [{ intervalMs: 10 }, 'pluginOptions.queue-depth.intervalMs: invalid value 10: expected an integer >= 1000'],
    [{ intervalMs: 2000, timeoutMs: 2000 }, 'pluginOptions.queue-depth.timeoutMs: invalid value 2000: expected an integer from 1 to 1999'],
    [{ url: 'http://p:9090' }, 'pluginOptions.queue-depth.url: unknown option'],
    ['http://p:9090', 'pluginOptions.queue-depth: expected a mapping'],
  ])('refuses %j with EBB_CONFIG_FILE_INVALID', (options, message) => {
    expect(() => createPlugin(options)).toThrow(expect.objectContaining({ code: 'EBB_CONFIG_FILE_INVALID', message: expect.stringContaining(message) }));
  });
});
