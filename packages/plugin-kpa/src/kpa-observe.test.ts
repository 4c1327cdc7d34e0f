import { describe, expect, it } from 'vitest';
import { observeKpaMetric } from './kpa-observe.ts';
import { FakeWindow, fakeMetrics } from './test-support/fake-metrics.ts';
import { T0, knativeTestConfig, s } from './test-support/knative-fixtures.ts';

const linear = knativeTestConfig(10, 0);
const weighted = knativeTestConfig(10, 0, { aggregation: 'weighted-exponential' });

describe('observeKpaMetric', () => {
  it('averages the stable and the panic window ending now (10 for 54 s then 40 for 6 s -> 13 and 40)', () => {
    const w = new FakeWindow().fill(T0 - s(59), T0 - s(5), 10).fill(T0 - s(5), T0 + 1, 40);
    expect(observeKpaMetric(fakeMetrics({ concurrency: w }), linear, T0)).toEqual({ stableValue: 13, panicValue: 40 });
    expect(w.reads).toEqual([
      { fn: 'average', nowMs: T0, windowMs: s(60) },
      { fn: 'average', nowMs: T0, windowMs: s(6) },
    ]);
  });

  it('reads the configured metric only', () => {
    const rps = new FakeWindow().fill(T0 - s(10), T0 + 1, 70);
    const concurrency = new FakeWindow().fill(T0 - s(10), T0 + 1, 3);
    const metrics = fakeMetrics({ rps, concurrency });
    expect(observeKpaMetric(metrics, knativeTestConfig(10, 0, { metric: 'rps' }), T0)).toEqual({ stableValue: 70, panicValue: 70 });
    expect(observeKpaMetric(metrics, linear, T0)).toEqual({ stableValue: 3, panicValue: 3 });
  });

  it('uses the weighted-exponential average for both windows when configured', () => {
    const w = new FakeWindow().record(T0 - s(1), 0).record(T0, 30);
    const got = observeKpaMetric(fakeMetrics({ concurrency: w }), weighted, T0);
    // Fake weights 1 (now) and 1/2 (one second ago): (30 + 0) / 1.5 = 20, where the linear average is 15.
    expect(got).toEqual({ stableValue: 20, panicValue: 20 });
    expect(w.reads.map((r) => [r.fn, r.windowMs])).toEqual([
      ['weightedAverage', s(60)],
      ['weightedAverage', s(6)],
    ]);
  });

  it('uses the configured window lengths', () => {
    const w = new FakeWindow().record(T0, 1);
    observeKpaMetric(fakeMetrics({ concurrency: w }), knativeTestConfig(10, 0, { stableWindowMs: s(120), panicWindowMs: s(12) }), T0);
    expect(w.reads.map((r) => r.windowMs)).toEqual([s(120), s(12)]);
  });

  it.each([
    { name: 'the metric was never recorded', metrics: fakeMetrics({}) },
    { name: 'the stable window has no sample (Knative ErrNoData)', metrics: fakeMetrics({ concurrency: new FakeWindow().record(T0 - s(61), 5) }) },
    { name: 'only another metric has data', metrics: fakeMetrics({ rps: new FakeWindow().record(T0, 5) }) },
  ])('is undefined (no data) when $name', ({ metrics }) => {
    expect(observeKpaMetric(metrics, linear, T0)).toBeUndefined();
  });

  it('reads an empty panic window inside a non-empty stable window as 0', () => {
    const w = new FakeWindow().fill(T0 - s(50), T0 - s(20), 8);
    expect(observeKpaMetric(fakeMetrics({ concurrency: w }), linear, T0)).toEqual({ stableValue: 8, panicValue: 0 });
  });

  it('reads a recorded zero as zero, not as no data', () => {
    const w = new FakeWindow().fill(T0 - s(59), T0 + 1, 0);
    expect(observeKpaMetric(fakeMetrics({ concurrency: w }), linear, T0)).toEqual({ stableValue: 0, panicValue: 0 });
  });
});
