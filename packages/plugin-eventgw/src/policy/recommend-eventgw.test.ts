import { MetricWindow, type MetricsView, type ScalingConfig } from '@ebb/core';
import { describe, expect, it } from 'vitest';
import { parseEventGatewayConfig, type EventGatewayConfig } from '../config/eventgw-config.ts';
import { EVENTGW_DEMAND_METRIC, eventGatewayMetricNeeds, recommendEventGateway } from './recommend-eventgw.ts';

const NOW = Date.UTC(2026, 0, 1, 12);

function config(annotations: Record<string, string> = {}): EventGatewayConfig {
  const r = parseEventGatewayConfig(Object.fromEntries(Object.entries(annotations).map(([k, v]) => [`ebb.dev/eventgw.${k}`, v])));
  if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('; '));
  return r.value;
}

/** A view whose demand window holds `series`, one value per second ending at NOW (null: a gap). */
function view(series: ReadonlyArray<number | null> | undefined): MetricsView {
  const window = new MetricWindow(3_600_000);
  series?.forEach((v, i) => {
    if (v !== null) window.record(v, NOW - (series.length - 1 - i) * 1000);
  });
  return { window: (m) => (m === EVENTGW_DEMAND_METRIC && series ? window : undefined), snapshot: () => undefined };
}

const scaling = {} as ScalingConfig;

function recommend(series: ReadonlyArray<number | null> | undefined, annotations: Record<string, string> = {}, current = 1) {
  return recommendEventGateway({
    nowMs: NOW,
    target: { namespace: 'shop', name: 'coffee' },
    config: config(annotations),
    scaling,
    replicas: { current, ready: current },
    metrics: view(series),
    state: undefined,
  }).recommendation;
}

const zeros = (n: number): number[] => Array.from({ length: n }, () => 0);

describe('recommendEventGateway', () => {
  it.each<{ name: string; series: Array<number | null>; ann: Record<string, string>; current: number; replicas: number }>([
    { name: 'one request per pod: demand 20 -> 20 pods', series: [0, 3, 20], ann: {}, current: 0, replicas: 20 },
    { name: 'the max over the window wins over the latest second', series: [7, 20, 4, 4], ann: {}, current: 20, replicas: 20 },
    { name: 'a burst older than the window no longer counts', series: [50, ...zeros(10), 4], ann: { window: '10s' }, current: 50, replicas: 4 },
    { name: 'containerConcurrency 4: ceil(9 / 4) = 3', series: [9], ann: { 'container-concurrency': '4' }, current: 1, replicas: 3 },
    { name: 'containerConcurrency 4, exact multiple: 8 / 4 = 2', series: [8], ann: { 'container-concurrency': '4' }, current: 1, replicas: 2 },
    { name: 'unlimited (0) uses target: ceil(250 / 100) = 3', series: [250], ann: { 'container-concurrency': '0' }, current: 1, replicas: 3 },
    { name: 'unlimited with target 2.5: ceil(6 / 2.5) = 3', series: [6], ann: { 'container-concurrency': '0', target: '2.5' }, current: 1, replicas: 3 },
    { name: 'gaps are skipped, not read as zero', series: [5, null, null], ann: {}, current: 5, replicas: 5 },
    { name: 'idle within the idle period keeps one pod', series: [3, ...zeros(15)], ann: { window: '10s', 'idle-period': '30s' }, current: 3, replicas: 1 },
    { name: 'idle for the whole idle period goes to zero', series: [3, ...zeros(31)], ann: { window: '10s', 'idle-period': '30s' }, current: 1, replicas: 0 },
    { name: 'a target already at zero stays there', series: [3, ...zeros(15)], ann: { window: '10s', 'idle-period': '30s' }, current: 0, replicas: 0 },
    { name: 'idle period 0: zero once the window is quiet', series: [3, ...zeros(10)], ann: { window: '10s', 'idle-period': '0s' }, current: 2, replicas: 0 },
    { name: 'an idle period shorter than the window ends with the window', series: [3, ...zeros(10)], ann: { window: '10s', 'idle-period': '2s' }, current: 2, replicas: 0 },
  ])('$name', ({ series, ann, current, replicas }) => {
    const rec = recommend(series, ann, current);
    expect(rec.kind).toBe('replicas');
    expect(rec.kind === 'replicas' && rec.replicas).toBe(replicas);
  });

  it.each([
    { name: 'no window at all', series: undefined },
    { name: 'only gaps in the window', series: [4, ...Array.from({ length: 12 }, () => null)] },
  ])('no data: $name', ({ series }) => {
    const rec = recommend(series);
    expect(rec.kind).toBe('no-data');
    expect(rec.reason).toContain('ebb.dev/eventgw.host');
  });

  it('explains the figures in its reason and details', () => {
    const rec = recommend([2, 9], { 'container-concurrency': '2' });
    expect(rec).toEqual({
      kind: 'replicas',
      replicas: 5,
      reason: 'demand 9 (in-flight + queued, max over 10s) / 2 per pod',
      details: { demand: 9, requestsPerPod: 2, windowMs: 10_000 },
    });
  });

  it('asks for demand history as long as the window or the idle period', () => {
    expect(eventGatewayMetricNeeds(config({ window: '10s', 'idle-period': '45s' }))).toEqual([{ metric: EVENTGW_DEMAND_METRIC, retentionMs: 45_000 }]);
    expect(eventGatewayMetricNeeds(config({ window: '20s', 'idle-period': '0s' }))).toEqual([{ metric: EVENTGW_DEMAND_METRIC, retentionMs: 20_000 }]);
  });
});
