import type { WindowView } from '../contracts/metrics.ts';
import { smoothingCoefficient } from './weighted-exponential.ts';
import {
  CURSOR_SIZE,
  cursorAdd,
  cursorAverage,
  cursorEvict,
  cursorIs,
  cursorWeighted,
  initCursor,
  invalidateCursor,
  LINEAR,
  mod,
  slideCursor,
  WEIGHTED,
} from './window-cursor.ts';

const BUCKET_MS = 1000;
/** Most running-sum cursors one window keeps (a target reads a stable and a panic window: two). */
const MAX_CURSORS = 4;

/**
 * One metric's history for one target: 1 s buckets in a ring buffer sized from the retention. Each bucket holds
 * the sum of the values recorded in its second, or NaN when its second has no sample: a second without a sample
 * is a gap, never a zero (a recorded 0 is a zero). When the newest second moves on, the buckets of the seconds it
 * skipped are cleared, so a bucket only ever holds a second of the retention.
 *
 * Reads cover the seconds of `(nowMs - windowMs, nowMs]`, i.e. the `ceil(windowMs / 1000)` buckets ending with
 * the bucket of `nowMs`, as Knative's windows do. Seconds newer than `nowMs` are not read. Averages are kept as
 * running sums per window length read (see `window-cursor.ts`), so a read costs the same at any window length,
 * and neither a record nor a read allocates.
 *
 * Memory: one Float64Array of `buckets + 2` numbers (sums, newest second, newest sample time), plus 10 numbers per
 * window length read (at most 4), so a 60 s window read as stable and panic window takes about 0.7 KB.
 */
export class MetricWindow implements WindowView {
  private buckets: number;
  /** [0, n): sums (NaN: no data); n: newest second; n+1: newest sample ms; then the cursors. */
  private data: Float64Array;

  /** @param retentionMs history to keep, in ms (rounded up to whole seconds, at least 1 s). */
  constructor(retentionMs: number) {
    this.buckets = bucketsFor(retentionMs);
    this.data = emptyData(this.buckets, 0);
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
    const newest = d[n] as number;
    if (second <= newest - n) return false;
    if (!(second <= newest)) this.advance(newest, second); // also when newest is NaN (first record)
    const i = mod(second, n);
    const old = d[i] as number;
    const fresh = old !== old;
    d[i] = fresh ? value : old + value;
    for (let c = n + 2; c < d.length; c += CURSOR_SIZE) cursorAdd(d, c, second, value, fresh);
    if (!(timeMs <= (d[n + 1] as number))) d[n + 1] = timeMs;
    return true;
  }

  /** Changes the retention, keeping the newest seconds that still fit. O(buckets); meant for config changes. */
  resize(retentionMs: number): void {
    const n = bucketsFor(retentionMs);
    if (n === this.buckets) return;
    const old = this.data;
    const oldN = this.buckets;
    const next = emptyData(n, 0);
    const newest = old[oldN] as number;
    for (let s = newest; s > newest - Math.min(n, oldN); s--) next[mod(s, n)] = old[mod(s, oldN)] as number;
    next[n] = newest;
    next[n + 1] = old[oldN + 1] as number;
    this.buckets = n;
    this.data = next;
  }

  average(nowMs: number, windowMs: number): number | undefined {
    const c = this.cursor(nowMs, windowMs, LINEAR);
    return c < 0 ? undefined : cursorAverage(this.data, c);
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
    const c = this.cursor(nowMs, windowMs, WEIGHTED);
    return c < 0 ? undefined : cursorWeighted(this.data, c);
  }

  max(nowMs: number, windowMs: number): number | undefined {
    const n = this.buckets;
    const d = this.data;
    const newest = d[n] as number;
    const k = Math.ceil(windowMs / BUCKET_MS);
    const nowSecond = Math.floor(nowMs / BUCKET_MS);
    const hi = Math.min(nowSecond, newest);
    const lo = Math.max(nowSecond - k + 1, newest - n + 1);
    let best = -Infinity;
    let any = false;
    for (let s = hi; s >= lo; s--) {
      const v = d[mod(s, n)] as number;
      if (v !== v) continue;
      any = true;
      if (v > best) best = v;
    }
    return any ? best : undefined;
  }

  lastSampleMs(): number | undefined {
    const t = this.data[this.buckets + 1] as number;
    return Number.isNaN(t) ? undefined : t;
  }

  /** Clears the buckets of the seconds after `newest` up to `second`, which becomes the newest second. */
  private advance(newest: number, second: number): void {
    const n = this.buckets;
    const d = this.data;
    if (second - newest >= n || newest !== newest) {
      // Every bucket leaves the retention: no cursor can keep anything it covers.
      d.fill(NaN, 0, n);
      for (let c = n + 2; c < d.length; c += CURSOR_SIZE) invalidateCursor(d, c);
    } else {
      for (let s = newest + 1; s <= second; s++) {
        const i = mod(s, n);
        const v = d[i] as number;
        if (v !== v) continue;
        for (let c = n + 2; c < d.length; c += CURSOR_SIZE) cursorEvict(d, c, s - n, v);
        d[i] = NaN;
      }
    }
    d[n] = second;
  }

  /**
   * The offset of the cursor of a `windowMs` window of `kind`, moved to cover `(nowMs - windowMs, nowMs]`
   * within the retention; -1 when that range holds no second. Makes the cursor on the first read of that
   * window length (replacing the last one when {@link MAX_CURSORS} are in use).
   */
  private cursor(nowMs: number, windowMs: number, kind: number): number {
    const k = Math.ceil(windowMs / BUCKET_MS);
    if (!(k > 0)) return -1;
    const n = this.buckets;
    let d = this.data;
    const newest = d[n] as number;
    const nowSecond = Math.floor(nowMs / BUCKET_MS);
    const hi = Math.min(nowSecond, newest);
    const lo = Math.max(nowSecond - k + 1, newest - n + 1);
    if (!(lo <= hi)) return -1;
    let c = n + 2;
    while (c < d.length && !cursorIs(d, c, k, kind)) c += CURSOR_SIZE;
    if (c >= d.length) {
      if ((d.length - n - 2) / CURSOR_SIZE < MAX_CURSORS) {
        d = emptyData(n, (d.length - n - 2) / CURSOR_SIZE + 1);
        d.set(this.data);
        this.data = d;
      }
      c = d.length - CURSOR_SIZE;
      initCursor(d, c, k, kind, kind === WEIGHTED ? smoothingCoefficient(k) : 0);
    }
    slideCursor(d, n, c, lo, hi);
    return c;
  }
}

function bucketsFor(retentionMs: number): number {
  return Math.max(1, Math.ceil(retentionMs / BUCKET_MS));
}

function emptyData(n: number, cursors: number): Float64Array {
  const d = new Float64Array(n + 2 + cursors * CURSOR_SIZE);
  d.fill(NaN, 0, n + 2);
  return d;
}
