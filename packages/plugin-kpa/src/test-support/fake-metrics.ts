import type { MetricName, MetricsView, Snapshot, WindowView } from '@ebb/core';

/** One read of a {@link FakeWindow}, to check which aggregation and which window lengths a caller asked for. */
export interface WindowRead {
  readonly fn: 'average' | 'weightedAverage' | 'max';
  readonly nowMs: number;
  readonly windowMs: number;
}

/**
 * An in-memory {@link WindowView} with 1 s buckets: a bucket belongs to a window `(nowMs - windowMs, nowMs]` when
 * its start lies in it; seconds without a sample are gaps (skipped). `weightedAverage` weighs each second by
 * 2^(-age in seconds), enough to tell it from the linear average in tests (core owns Knative's real weighting).
 */
export class FakeWindow implements WindowView {
  readonly reads: WindowRead[] = [];
  private readonly buckets = new Map<number, number>();

  /** Adds `value` to the bucket of `timeMs`. */
  record(timeMs: number, value: number): this {
    const second = Math.floor(timeMs / 1000);
    this.buckets.set(second, (this.buckets.get(second) ?? 0) + value);
    return this;
  }

  /** Records `value` in every second of `[fromMs, toMs)`. */
  fill(fromMs: number, toMs: number, value: number): this {
    for (let t = fromMs; t < toMs; t += 1000) this.record(t, value);
    return this;
  }

  average(nowMs: number, windowMs: number): number | undefined {
    this.reads.push({ fn: 'average', nowMs, windowMs });
    const values = this.inWindow(nowMs, windowMs).map(([, v]) => v);
    return values.length ? values.reduce((a, b) => a + b, 0) / values.length : undefined;
  }

  weightedAverage(nowMs: number, windowMs: number): number | undefined {
    this.reads.push({ fn: 'weightedAverage', nowMs, windowMs });
    const entries = this.inWindow(nowMs, windowMs);
    if (!entries.length) return undefined;
    const newest = Math.floor(nowMs / 1000);
    let sum = 0;
    let weights = 0;
    for (const [second, value] of entries) {
      const w = 2 ** -(newest - second);
      sum += w * value;
      weights += w;
    }
    return sum / weights;
  }

  max(nowMs: number, windowMs: number): number | undefined {
    this.reads.push({ fn: 'max', nowMs, windowMs });
    const values = this.inWindow(nowMs, windowMs).map(([, v]) => v);
    return values.length ? Math.max(...values) : undefined;
  }

  lastSampleMs(): number | undefined {
    const seconds = [...this.buckets.keys()];
    return seconds.length ? Math.max(...seconds) * 1000 : undefined;
  }

  private inWindow(nowMs: number, windowMs: number): Array<[number, number]> {
    return [...this.buckets.entries()].filter(([second]) => second * 1000 > nowMs - windowMs && second * 1000 <= nowMs);
  }
}

/** A {@link MetricsView} over the given windows; metrics not listed were never recorded. */
export function fakeMetrics(windows: Readonly<Record<MetricName, WindowView>> = {}): MetricsView {
  return {
    window: (metric) => windows[metric],
    snapshot: <T>(): Snapshot<T> | undefined => undefined,
  };
}
