import { describe, expect, it } from 'vitest';
import { Metrics } from '../contracts/metrics.ts';
import { MetricStore } from './metric-store.ts';

const T0 = Date.UTC(2026, 0, 1);
const at = (second: number): number => T0 + second * 1000;
const A = 'default/a';
const B = 'default/b';

describe('MetricStore: windows per target and metric', () => {
  it('keeps targets and metrics apart', () => {
    const store = new MetricStore();
    store.record(A, Metrics.concurrency, 4, at(0));
    store.record(A, Metrics.rps, 40, at(0));
    store.record(B, Metrics.concurrency, 9, at(0));
    expect(store.view(A).window(Metrics.concurrency)?.max(at(0), 1000)).toBe(4);
    expect(store.view(A).window(Metrics.rps)?.max(at(0), 1000)).toBe(40);
    expect(store.view(B).window(Metrics.concurrency)?.max(at(0), 1000)).toBe(9);
    expect(store.view(B).window(Metrics.rps)).toBeUndefined();
    expect(store.view('other/x').window(Metrics.rps)).toBeUndefined();
  });

  it('gives a window nothing was recorded in as undefined, even when it is needed', () => {
    const store = new MetricStore();
    store.need(A, { metric: Metrics.concurrency, retentionMs: 60_000 });
    expect(store.view(A).window(Metrics.concurrency)).toBeUndefined();
  });

  it.each([
    ['no need: the default', [], 60_000],
    ['one need', [10_000], 10_000],
    ['the largest of several needs', [6_000, 60_000, 30_000], 60_000],
    ['a fractional need rounds up to whole seconds', [1_500], 2_000],
  ])('sizes a new window from %s', (_name, retentions, expected) => {
    const store = new MetricStore();
    for (const retentionMs of retentions) store.need(A, { metric: 'm', retentionMs });
    store.record(A, 'm', 1, at(0));
    for (let s = 1; s <= 120; s++) store.record(A, 'm', 1, at(s));
    let seconds = 0;
    for (let s = 120; s >= 0; s--) if (store.view(A).window('m')?.max(at(s), 1000) !== undefined) seconds++;
    expect(seconds * 1000).toBe(expected);
  });

  it('grows an existing window when a larger need arrives, keeping its data', () => {
    const store = new MetricStore({ defaultRetentionMs: 5_000 });
    for (let s = 0; s < 5; s++) store.record(A, 'm', s, at(s));
    store.need(A, { metric: 'm', retentionMs: 20_000 });
    for (let s = 5; s < 20; s++) store.record(A, 'm', s, at(s));
    expect(store.view(A).window('m')?.average(at(19), 20_000)).toBe(9.5);
  });

  it('replaces needs with setNeeds: shrinks windows and drops metrics no longer needed', () => {
    const store = new MetricStore();
    store.need(A, { metric: 'm', retentionMs: 60_000 });
    store.need(A, { metric: 'gone', retentionMs: 60_000 });
    for (let s = 0; s < 60; s++) {
      store.record(A, 'm', s, at(s));
      store.record(A, 'gone', s, at(s));
    }
    store.setNeeds(A, [{ metric: 'm', retentionMs: 10_000 }]);
    expect(store.retentionMs(A, 'm')).toBe(10_000);
    expect(store.view(A).window('m')?.average(at(59), 60_000)).toBe(54.5);
    expect(store.view(A).window('gone')).toBeUndefined();
  });

  it('keeps the newest snapshot per name', () => {
    const store = new MetricStore();
    store.snapshot(A, 'pods', [{ name: 'p1' }], at(0));
    store.snapshot(A, 'pods', [{ name: 'p2' }], at(1));
    expect(store.view(A).snapshot<{ name: string }[]>('pods')).toEqual({ timeMs: at(1), value: [{ name: 'p2' }] });
    expect(store.view(A).snapshot('other')).toBeUndefined();
  });

  it('reads live: a view sees later samples and an empty target after forget', () => {
    const store = new MetricStore();
    const view = store.view(A);
    store.record(A, 'm', 1, at(0));
    expect(view.window('m')?.max(at(0), 1000)).toBe(1);
    store.forget(A);
    expect(view.window('m')).toBeUndefined();
    expect(store.targetKeys()).toEqual([]);
  });
});

describe('MetricStore: failures are counted, never recorded', () => {
  it('leaves a gap for a failed second and counts the failure', () => {
    const store = new MetricStore();
    store.record(A, 'm', 10, at(0));
    store.fail(A, 'm', new Error('scrape timed out'));
    store.record(A, 'm', 20, at(2));
    expect(store.view(A).window('m')?.average(at(2), 3_000)).toBe(15);
    expect(store.failureCount(A, 'm')).toBe(1);
  });

  it.each([NaN, Infinity, -Infinity])('counts a non-finite sample (%d) as a failure', (value) => {
    const store = new MetricStore();
    store.record(A, 'm', 1, at(0));
    store.record(A, 'm', value, at(1));
    expect(store.view(A).window('m')?.average(at(1), 2_000)).toBe(1);
    expect(store.failureCount(A, 'm')).toBe(1);
  });

  it('exposes counters per target and metric, sorted, with the newest error', () => {
    const store = new MetricStore();
    store.fail(B, 'rps', 'boom');
    store.fail(A, 'rps', new Error('first'));
    store.fail(A, 'rps', new Error('second'));
    store.fail(A, 'concurrency', new Error('x'));
    expect(store.failureCounts()).toEqual([
      { target: A, metric: 'concurrency', count: 1, lastError: 'x' },
      { target: A, metric: 'rps', count: 2, lastError: 'second' },
      { target: B, metric: 'rps', count: 1, lastError: 'boom' },
    ]);
    store.forget(A);
    expect(store.failureCounts().map((f) => f.target)).toEqual([B]);
    expect(store.failureCount(A, 'rps')).toBe(0);
  });
});
