import { describe, expect, it } from 'vitest';
import { MetricWindow } from './metric-window.ts';
import { smoothingCoefficient } from './weighted-exponential.ts';

const T0 = Date.UTC(2026, 0, 1); // a whole second
const at = (second: number, ms = 0): number => T0 + second * 1000 + ms;

/** A window with `values[i]` recorded in second i (null: no sample), read at the end of the last second. */
function windowOf(values: readonly (number | null)[], retentionMs = 60_000): MetricWindow {
  const w = new MetricWindow(retentionMs);
  values.forEach((v, i) => v !== null && w.record(v, at(i, 100)));
  return w;
}

/**
 * Knative's WeightedFloat64Buckets.WindowAverage transcribed: buckets newest first, a bucket without data reads
 * as 0, weights α(1-α)^i with α from the window's bucket count.
 */
function knativeWeighted(newestFirst: readonly number[], buckets: number): number {
  const alpha = smoothingCoefficient(buckets);
  let multiplier = alpha;
  let sum = 0;
  for (let i = 0; i < buckets; i++) {
    sum += (newestFirst[i] ?? 0) * multiplier;
    multiplier *= 1 - alpha;
  }
  return sum;
}

describe('smoothingCoefficient (Knative computeSmoothingCoeff)', () => {
  it.each([
    [1, 0.9999],
    [2, 0.99],
    [4, 0.9],
    [10, 1 - Math.pow(0.0001, 0.1)],
    [41, 1 - Math.pow(0.0001, 1 / 41)], // just above the floor
    [42, 0.2], // the floor applies from 42 buckets on
    [60, 0.2],
    [600, 0.2],
  ])('%d buckets -> %d', (buckets, alpha) => expect(smoothingCoefficient(buckets)).toBeCloseTo(alpha, 12));
});

describe('MetricWindow: gaps are gaps, zeros are zeros', () => {
  it.each([
    ['all data', [1, 2, 3, 4], 2.5, 4],
    ['a gap is skipped', [1, null, 3, null], 2, 3],
    ['a recorded zero counts', [1, 0, 3, 0], 1, 3],
    ['only zeros', [0, 0], 0, 0],
    ['negative values', [-1, -3], -2, -1],
  ])('%s: average and max', (_name, values, average, max) => {
    const w = windowOf(values);
    const now = at(values.length - 1, 999);
    expect(w.average(now, 60_000)).toBeCloseTo(average, 12);
    expect(w.max(now, 60_000)).toBe(max);
  });

  it('returns undefined for a window without any data', () => {
    const w = windowOf([null, null]);
    expect([w.average(at(5), 60_000), w.weightedAverage(at(5), 60_000), w.max(at(5), 60_000), w.lastSampleMs()]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('sums the samples recorded in the same second (e.g. several gateway replicas)', () => {
    const w = new MetricWindow(10_000);
    w.record(3, at(0, 10));
    w.record(4, at(0, 990));
    w.record(5, at(1, 0));
    expect(w.max(at(1), 10_000)).toBe(7);
    expect(w.average(at(1), 10_000)).toBe(6);
  });
});

describe('MetricWindow: the window is (now - windowMs, now]', () => {
  // 10 seconds of data: second i holds i.
  const w = windowOf([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  it.each([
    ['last 3 s at the end of second 9', at(9, 999), 3_000, [7, 8, 9]],
    ['last 3 s at the start of second 9', at(9, 0), 3_000, [7, 8, 9]],
    ['a partial second rounds up to a whole bucket', at(9), 2_500, [7, 8, 9]],
    ['seconds after now are not read', at(5), 3_000, [3, 4, 5]],
    ['a window longer than the data', at(9), 60_000, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]],
    ['now long after the data', at(30), 10_000, []],
    ['now before the data', at(-5), 10_000, []],
  ])('%s', (_name, now, windowMs, seconds) => {
    const expectedAvg = seconds.length ? seconds.reduce((a, b) => a + b, 0) / seconds.length : undefined;
    expect(w.average(now, windowMs)).toBe(expectedAvg);
    expect(w.max(now, windowMs)).toBe(seconds.length ? Math.max(...seconds) : undefined);
  });

  it('returns undefined for an empty or negative window', () => {
    expect(w.average(at(9), 0)).toBeUndefined();
    expect(w.weightedAverage(at(9), -1000)).toBeUndefined();
  });
});

describe('MetricWindow: retention and the ring buffer', () => {
  it('keeps only the retention: older seconds fall out as newer ones arrive', () => {
    const w = new MetricWindow(5_000);
    for (let s = 0; s < 12; s++) w.record(s, at(s));
    expect(w.average(at(11), 60_000)).toBe((7 + 8 + 9 + 10 + 11) / 5);
    expect(w.max(at(11), 60_000)).toBe(11);
    expect(w.retentionMs).toBe(5_000);
  });

  it.each([
    ['older than the retention', at(4), false],
    ['at the oldest kept second', at(5), true],
    ['a late sample inside the retention', at(8, 500), true],
  ])('a sample %s is %s', (_name, time, accepted) => {
    const w = new MetricWindow(5_000);
    w.record(1, at(9));
    expect(w.record(100, time)).toBe(accepted);
    expect(w.max(at(9), 60_000)).toBe(accepted ? 100 : 1);
  });

  it('does not read a bucket left over from an earlier lap of the ring', () => {
    const w = new MetricWindow(3_000);
    w.record(50, at(0));
    w.record(1, at(7));
    // Second 6 maps to the bucket of second 0 (6 % 3 = 0), which still holds second 0's 50: it must read as a gap.
    expect(w.max(at(7), 3_000)).toBe(1);
    expect(w.average(at(6), 3_000)).toBeUndefined();
  });

  it.each([
    ['a NaN time', 1, Number.NaN],
    ['an infinite time', 1, Infinity],
    ['a NaN value', Number.NaN, 0],
    ['an infinite value', -Infinity, 0],
  ])('drops a sample with %s and keeps working', (_name, value, time) => {
    const w = new MetricWindow(5_000);
    w.record(2, at(0));
    expect(w.record(value, Number.isFinite(time) ? at(time) : time)).toBe(false);
    w.record(4, at(1));
    expect([w.average(at(1), 5_000), w.lastSampleMs()]).toEqual([3, at(1)]);
  });

  it('rounds the retention up to whole seconds, at least one', () => {
    expect(new MetricWindow(1_500).retentionMs).toBe(2_000);
    expect(new MetricWindow(0).retentionMs).toBe(1_000);
  });

  it.each([
    ['grows', 5_000, 10_000, [5, 6, 7, 8, 9]],
    ['shrinks', 5_000, 2_000, [8, 9]],
    ['keeps', 5_000, 5_000, [5, 6, 7, 8, 9]],
  ])('resize %s, keeping the newest seconds that fit', (_name, from, to, kept) => {
    const w = new MetricWindow(from);
    for (let s = 0; s < 10; s++) w.record(s, at(s));
    w.resize(to);
    expect(w.retentionMs).toBe(to);
    expect(w.average(at(9), 60_000)).toBe(kept.reduce((a, b) => a + b, 0) / kept.length);
    expect(w.lastSampleMs()).toBe(at(9));
    w.record(100, at(10));
    expect(w.max(at(10), 60_000)).toBe(100);
  });

  it('tracks the newest sample time, not the newest second', () => {
    const w = new MetricWindow(10_000);
    w.record(1, at(3, 250));
    w.record(1, at(2, 999));
    expect(w.lastSampleMs()).toBe(at(3, 250));
  });
});

describe('MetricWindow.weightedAverage: Knative weighted-exponential window', () => {
  it('worked example: 10, 10, 5, 5 over 4 s gives 5.049 (the plain average is 7.5)', () => {
    const w = windowOf([10, 10, 5, 5]);
    expect(w.weightedAverage(at(3, 500), 4_000)).toBeCloseTo(5 * 0.9 + 5 * 0.09 + 10 * 0.009 + 10 * 0.0009, 12);
    expect(w.weightedAverage(at(3, 500), 4_000)).toBeCloseTo(5.049, 12);
    expect(windowOf([5, 5, 10, 10]).weightedAverage(at(3, 500), 4_000)).toBeCloseTo(10 * 0.9 + 10 * 0.09 + 5 * 0.009 + 5 * 0.0009, 12);
  });

  // Deterministic pseudo-random series, every second present: identical to Knative.
  const lcg = (seed: number) => () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  it.each([
    [6, 1],
    [10, 2],
    [60, 3],
    [60, 4],
    [120, 5],
  ])('equals Knative for a full %d s window (seed %d)', (seconds, seed) => {
    const rnd = lcg(seed);
    const values = Array.from({ length: seconds + 20 }, () => Math.round(rnd() * 1000) / 10);
    const w = windowOf(values, seconds * 1000 + 20_000);
    const last = values.length - 1;
    const newestFirst = values.slice(-seconds).reverse();
    expect(w.weightedAverage(at(last, 700), seconds * 1000)).toBeCloseTo(knativeWeighted(newestFirst, seconds), 10);
  });

  it.each([
    ['one missed second', [8, 8, null, 8, 8, 8]],
    ['the current second not scraped yet', [8, 8, 8, 8, 8, null]],
    ['only the oldest second', [8, null, null, null, null, null]],
  ])('a gap does not pull a steady value down (%s), unlike Knative', (_name, values) => {
    const w = windowOf(values);
    const alpha = smoothingCoefficient(6);
    const full = 1 - Math.pow(1 - alpha, 6);
    expect(w.weightedAverage(at(5, 500), 6_000)).toBeCloseTo(8 * full, 10);
    const knative = knativeWeighted(values.map((v) => v ?? 0).reverse(), 6);
    expect(knative).toBeLessThan(8 * full - 1e-6);
  });

  it('weighs the remaining seconds by their own weights when there are gaps', () => {
    // 4 s window, α = 0.9: seconds 3 (10) and 1 (20) present, weights 0.9 and 0.009.
    const w = windowOf([null, 20, null, 10]);
    const expected = (1 - 0.1 ** 4) * ((0.9 * 10 + 0.009 * 20) / (0.9 + 0.009));
    expect(w.weightedAverage(at(3, 1), 4_000)).toBeCloseTo(expected, 12);
  });
});

describe('MetricWindow: matches a naive reference on random traffic', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('seed %d', (seed) => {
    let s = seed;
    const rnd = (): number => (s = (s * 16_807) % 2_147_483_647) / 2_147_483_647;
    const retentionS = 5 + Math.floor(rnd() * 60);
    const w = new MetricWindow(retentionS * 1000);
    const reference = new Map<number, number>();
    let newest = -Infinity;
    for (let t = 0; t < 400; t++) {
      const second = Math.max(0, Math.floor(t * (0.5 + rnd())) - Math.floor(rnd() * 3));
      const value = rnd() < 0.1 ? 0 : Math.round(rnd() * 100);
      if (second > newest - retentionS) {
        reference.set(second, (reference.get(second) ?? 0) + value);
        newest = Math.max(newest, second);
      }
      w.record(value, at(second, Math.floor(rnd() * 1000)));
      const nowSecond = newest - Math.floor(rnd() * 5);
      const windowS = 1 + Math.floor(rnd() * 70);
      const seconds = [...reference.keys()].filter((k) => k <= nowSecond && k > nowSecond - windowS && k > newest - retentionS);
      const values = seconds.map((k) => reference.get(k) ?? 0);
      const avg = values.length ? values.reduce((a, b) => a + b, 0) / values.length : undefined;
      const now = at(nowSecond, 999);
      if (avg === undefined) expect(w.average(now, windowS * 1000)).toBeUndefined();
      else expect(w.average(now, windowS * 1000)).toBeCloseTo(avg, 9);
      expect(w.max(now, windowS * 1000)).toBe(values.length ? Math.max(...values) : undefined);
    }
  });
});
