import { MetricWindow, type MetricsView, type ScalingConfig } from '@ebb/core';
import { describe, expect, it } from 'vitest';
import { parseEventGatewayConfig, type EventGatewayConfig } from '../config/eventgw-config.ts';
import { EVENTGW_CONGESTED_METRIC, EVENTGW_DEMAND_METRIC, eventGatewayMetricNeeds, recommendEventGateway } from './recommend-eventgw.ts';

const NOW = Date.UTC(2026, 0, 1, 12);

function config(annotations: Record<string, string> = {}): EventGatewayConfig {
  const r = parseEventGatewayConfig(Object.fromEntries(Object.entries(annotations).map(([k, v]) => [`ebb.dev/eventgw.${k}`, v])));
  if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('; '));
  return r.value;
}

type Series = ReadonlyArray<number | null>;

/** A window holding `series`, one value per second ending at NOW (null: a gap). */
function windowOf(series: Series | undefined): MetricWindow | undefined {
  if (!series) return undefined;
  const window = new MetricWindow(3_600_000);
  series.forEach((v, i) => {
    if (v !== null) window.record(v, NOW - (series.length - 1 - i) * 1000);
  });
  return window;
}

/** A view whose average demand window holds `series` and congested demand window `congested` (if any). */
function view(series: Series | undefined, congested?: Series): MetricsView {
  const windows = new Map([
    [EVENTGW_DEMAND_METRIC, windowOf(series)],
    [EVENTGW_CONGESTED_METRIC, windowOf(congested)],
  ]);
  return { window: (m) => windows.get(m), snapshot: () => undefined };
}

const scaling = {} as ScalingConfig;

function recommend(series: Series | undefined, annotations: Record<string, string> = {}, current = 1, congested?: Series) {
  return recommendEventGateway({
    nowMs: NOW,
    target: { namespace: 'shop', name: 'coffee' },
    config: config(annotations),
    scaling,
    replicas: { current, ready: current },
    metrics: view(series, congested),
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

  it.each<{ name: string; series: number[]; congested: number[]; ann?: Record<string, string>; current: number; replicas: number }>([
    { name: 'short requests: an average of 0.6 keeps 1 pod', series: [0.6, 0.6, 0.6], congested: [0, 0, 0], current: 1, replicas: 1 },
    { name: 'requests held at zero count in full at once (the average saw a tenth of them)', series: [0, 1], congested: [0, 10], current: 0, replicas: 10 },
    { name: 'the max over the window of either counts', series: [3, 2.5, 2], congested: [6, 0, 0], current: 3, replicas: 6 },
    { name: 'the average wins when it is higher', series: [4.2], congested: [3], current: 4, replicas: 5 },
    { name: 'containerConcurrency 4: ceil(9 / 4) = 3 from the congested demand', series: [2], congested: [9], ann: { 'container-concurrency': '4' }, current: 1, replicas: 3 },
    { name: 'congestion within the idle period keeps one pod', series: [...zeros(12)], congested: [5, ...zeros(11)], ann: { window: '10s', 'idle-period': '30s' }, current: 2, replicas: 1 },
  ])('average and congested demand: $name', ({ series, congested, ann, current, replicas }) => {
    const rec = recommend(series, ann, current, congested);
    expect(rec.kind === 'replicas' && rec.replicas).toBe(replicas);
  });

  it('is no data without the average, whatever the congested demand says', () => {
    expect(recommend(undefined, {}, 1, [5]).kind).toBe('no-data');
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
    const rec = recommend([2, 8.6666], { 'container-concurrency': '2' });
    expect(rec).toEqual({
      kind: 'replicas',
      replicas: 5,
      reason: 'demand 8.67 (average in-flight + queued per second, max over 10s) / 2 per pod',
      details: { demand: 8.67, averageDemand: 8.67, congestedDemand: 0, requestsPerPod: 2, windowMs: 10_000 },
    });
    expect(recommend([1], {}, 0, [4])).toMatchObject({
      replicas: 4,
      reason: 'demand 4 (in-flight + queued while requests waited for a slot, max over 10s) / 1 per pod',
      details: { demand: 4, averageDemand: 1, congestedDemand: 4 },
    });
  });

  it('asks for demand history as long as the window or the idle period', () => {
    const both = (retentionMs: number) => [
      { metric: EVENTGW_DEMAND_METRIC, retentionMs },
      { metric: EVENTGW_CONGESTED_METRIC, retentionMs },
    ];
    expect(eventGatewayMetricNeeds(config({ window: '10s', 'idle-period': '45s' }))).toEqual(both(45_000));
    expect(eventGatewayMetricNeeds(config({ window: '20s', 'idle-period': '0s' }))).toEqual(both(20_000));
  });
});
