import type { WindowView } from '../contracts/metrics.ts';
import { smoothingCoefficient } from './weighted-exponential.ts';

const BUCKET_MS = 1000;

/**
 * One metric's history for one target: 1 s buckets in a ring buffer sized from the retention. Each bucket holds
 * the sum of the values recorded in its second and the second it belongs to; a bucket whose second does not
 * match is empty. A second without a sample is a gap, never a zero (a recorded 0 is a zero).
 *
 * Memory: one Float64Array of `2 * buckets + 2` numbers (sums, seconds, newest second, newest sample time), so
 * a 60 s window takes about 1 KB; recording writes into it and allocates nothing.
 *
 * Reads cover the seconds of `(nowMs - windowMs, nowMs]`, i.e. the `ceil(windowMs / 1000)` buckets ending with
 * the bucket of `nowMs`, as Knative's windows do. Seconds newer than `nowMs` are not read.
 */
export class MetricWindow implements WindowView {
  private buckets: number;
  /** [0, n): sums; [n, 2n): the epoch second of each bucket (NaN: never written); 2n: newest second; 2n+1: newest sample ms. */
  private data: Float64Array;

  /** @param retentionMs history to keep, in ms (rounded up to whole seconds, at least 1 s). */
  constructor(retentionMs: number) {
    this.buckets = bucketsFor(retentionMs);
    this.data = emptyData(this.buckets);
  }

  /** The history kept, in ms (whole seconds). */
  get retentionMs(): number {
    return this.buckets * BUCKET_MS;
  }

  /**
   * Adds `value` to the bucket of `timeMs`. A sample older than the retention (relative to the newest second
   * recorded), or with a non-finite time or value, is dropped and false returned.
   */
  record(value: number, timeMs: number): boolean {
    if (!Number.isFinite(timeMs) || !Number.isFinite(value)) return false;
    const n = this.buckets;
    const d = this.data;
    const second = Math.floor(timeMs / BUCKET_MS);
    const newest = d[2 * n] as number;
    if (second <= newest - n) return false;
    const i = mod(second, n);
    if (d[n + i] === second) d[i] = (d[i] as number) + value;
    else {
      d[i] = value;
      d[n + i] = second;
    }
    if (!(second <= newest)) d[2 * n] = second; // also when newest is NaN (first record)
    if (!(timeMs <= (d[2 * n + 1] as number))) d[2 * n + 1] = timeMs;
    return true;
  }

  /** Changes the retention, keeping the newest seconds that still fit. O(buckets); meant for config changes. */
  resize(retentionMs: number): void {
    const n = bucketsFor(retentionMs);
    if (n === this.buckets) return;
    const old = this.data;
    const oldN = this.buckets;
    const next = emptyData(n);
    const newest = old[2 * oldN] as number;
    for (let s = newest; s > newest - Math.min(n, oldN); s--) {
      const i = mod(s, oldN);
      if (old[oldN + i] !== s) continue;
      const j = mod(s, n);
      next[j] = old[i] as number;
      next[n + j] = s;
    }
    next[2 * n] = newest;
    next[2 * n + 1] = old[2 * oldN + 1] as number;
    this.buckets = n;
    this.data = next;
  }

  average(nowMs: number, windowMs: number): number | undefined {
    let sum = 0;
    let count = 0;
    this.forEachSecond(nowMs, windowMs, (value) => {
      sum += value;
      count++;
    });
    return count ? sum / count : undefined;
  }

  /**
   * Knative's weighted-exponential average: the bucket `i` seconds older than the bucket of `nowMs` weighs
   * `w(i) = α(1-α)^i` with α = {@link smoothingCoefficient}(k) for the window's k buckets, and the result is
   * `Σ w(i)·v(i)` — newer seconds weigh much more than older ones.
   *
   * Gaps: Knative reads a second without data as 0; Ebb leaves it out and spreads its weight over the seconds
   * that have data, in proportion to their weights: `W · Σ_data w(i)·v(i) / Σ_data w(i)` with
   * `W = Σ_{i<k} w(i) = 1 - (1-α)^k`. With every second present this is exactly Knative's value; a missed scrape
   * (or a decision that lands before this second's scrape) no longer pulls the average towards zero.
   *
   * Worked example: a 4 s window (α = 0.9) holding 10, 10, 5, 5 (newest last) gives
   * `5·0.9 + 5·0.09 + 10·0.009 + 10·0.0009 = 5.049`; the plain average is 7.5.
   */
  weightedAverage(nowMs: number, windowMs: number): number | undefined {
    const k = Math.ceil(windowMs / BUCKET_MS);
    if (k <= 0) return undefined;
    const alpha = smoothingCoefficient(k);
    const nowSecond = Math.floor(nowMs / BUCKET_MS);
    let weighted = 0;
    let weights = 0;
    this.forEachSecond(nowMs, windowMs, (value, second) => {
      const w = alpha * Math.pow(1 - alpha, nowSecond - second);
      weighted += w * value;
      weights += w;
    });
    if (weights === 0) return undefined;
    const total = 1 - Math.pow(1 - alpha, k);
    return (total * weighted) / weights;
  }

  max(nowMs: number, windowMs: number): number | undefined {
    let best = -Infinity;
    let any = false;
    this.forEachSecond(nowMs, windowMs, (value) => {
      any = true;
      if (value > best) best = value;
    });
    return any ? best : undefined;
  }

  lastSampleMs(): number | undefined {
    const t = this.data[2 * this.buckets + 1] as number;
    return Number.isNaN(t) ? undefined : t;
  }

  /** Calls `fn` for each second with data in `(nowMs - windowMs, nowMs]`, newest first. */
  private forEachSecond(nowMs: number, windowMs: number, fn: (value: number, second: number) => void): void {
    const n = this.buckets;
    const d = this.data;
    const newest = d[2 * n] as number;
    if (Number.isNaN(newest)) return;
    const nowSecond = Math.floor(nowMs / BUCKET_MS);
    const k = Math.ceil(windowMs / BUCKET_MS);
    const hi = Math.min(nowSecond, newest);
    const lo = Math.max(nowSecond - k + 1, newest - n + 1);
    for (let s = hi; s >= lo; s--) {
      const i = mod(s, n);
      if (d[n + i] === s) fn(d[i] as number, s);
    }
  }
}

function bucketsFor(retentionMs: number): number {
  return Math.max(1, Math.ceil(retentionMs / BUCKET_MS));
}

function emptyData(n: number): Float64Array {
  const d = new Float64Array(2 * n + 2);
  d.fill(NaN, n);
  return d;
}

function mod(a: number, n: number): number {
  return ((a % n) + n) % n;
}
