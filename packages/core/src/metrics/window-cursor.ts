/**
 * Running sums over a window's 1 s buckets, so that reading an average costs the same at any window length, as
 * Knative's `TimedFloat64Buckets` keeps a `windowTotal` (knative.dev/serving pkg/autoscaler/aggregation).
 *
 * A cursor remembers the seconds `[lo, hi]` it last covered and, for those seconds, either
 * - linear: the sum of the values and the number of seconds with data, or
 * - weighted: `A = Σ β^(hi-s)·v(s)` and `B = Σ β^(hi-s)` over the seconds `s` with data, with `β = 1 - α`,
 *   so that Knative's `Σ α(1-α)^i·v(i) / Σ α(1-α)^i` (i counted back from the read's second) is `A / B` — the
 *   factor `α·β^(now-hi)` of every term cancels out.
 * A read slides the cursor to the new `[lo, hi]` (seconds that left at the old end are subtracted, new seconds
 * at the new end added: about two per 2 s decision), and a sample recorded into a covered second is added at
 * once. A second without data is skipped, never counted as zero. After sliding a whole window's worth of
 * seconds the sums are recomputed from the buckets, so rounding errors of the additions and subtractions never
 * build up beyond one window's (the same as a full walk). Nothing here allocates.
 *
 * Layout: cursors live in the window's Float64Array, {@link CURSOR_SIZE} numbers each, at `base`.
 */

/** Numbers per cursor. */
export const CURSOR_SIZE = 10;
/** Field offsets inside a cursor. */
const K = 0; // window length in buckets (as asked for)
const KIND = 1; // 0 linear, 1 weighted
const LO = 2; // first covered second (NaN: not built yet)
const HI = 3; // last covered second
const S1 = 4; // linear: Σ v; weighted: A
const S2 = 5; // weighted: B
const COUNT = 6; // seconds with data in [lo, hi]
const BETA = 7; // weighted: 1 - α
const SLID = 8; // seconds slid since the sums were last recomputed
const TOTAL = 9; // weighted: the weights' sum over a full window, 1 - β^k

/** Cursor kinds. */
export const LINEAR = 0;
export const WEIGHTED = 1;

/**
 * Initialises the cursor at `base` for a `k`-bucket window of `kind`; `alpha` is the weighted window's smoothing
 * coefficient (unused for linear).
 */
export function initCursor(d: Float64Array, base: number, k: number, kind: number, alpha: number): void {
  d[base + K] = k;
  d[base + KIND] = kind;
  d[base + LO] = NaN;
  d[base + HI] = NaN;
  d[base + S1] = 0;
  d[base + S2] = 0;
  d[base + COUNT] = 0;
  d[base + BETA] = 1 - alpha;
  d[base + SLID] = 0;
  d[base + TOTAL] = 1 - Math.pow(1 - alpha, k);
}

/** True when the cursor at `base` serves a `k`-bucket window of `kind`. */
export function cursorIs(d: Float64Array, base: number, k: number, kind: number): boolean {
  return d[base + K] === k && d[base + KIND] === kind;
}

/** Forgets what the cursor covered (after the buckets were rearranged); the next read recomputes it. */
export function invalidateCursor(d: Float64Array, base: number): void {
  d[base + LO] = NaN;
}

/**
 * Moves the cursor at `base` to cover `[lo, hi]` (lo <= hi, both within the retention) of the ring of `n`
 * buckets `d[0..n)` (NaN: no data in that second) whose newest second is `d[n]`.
 */
export function slideCursor(d: Float64Array, n: number, base: number, lo: number, hi: number): void {
  const oldLo = d[base + LO] as number;
  const oldHi = d[base + HI] as number;
  const steps = lo - oldLo + (hi - oldHi);
  const width = Math.min(d[base + K] as number, n);
  // Not built, moved backwards, no overlap, or a window's worth slid since the last recomputation: recompute.
  if (!(lo >= oldLo && hi >= oldHi && lo <= oldHi + 1 && (d[base + SLID] as number) + steps < width)) {
    rebuild(d, n, base, lo, hi);
    return;
  }
  if (steps === 0) return;
  // Seconds that left the retention were taken out when their buckets were cleared (cursorEvict): skip them.
  for (let s = Math.max(oldLo, (d[n] as number) - n + 1); s < lo; s++) {
    const v = d[mod(s, n)] as number;
    if (v === v) remove(d, base, s, v);
  }
  d[base + LO] = lo;
  const weighted = d[base + KIND] === WEIGHTED;
  const beta = d[base + BETA] as number;
  for (let s = oldHi + 1; s <= hi; s++) {
    const v = d[mod(s, n)] as number;
    if (weighted) {
      d[base + S1] = (d[base + S1] as number) * beta;
      d[base + S2] = (d[base + S2] as number) * beta;
    }
    if (v === v) {
      d[base + S1] = (d[base + S1] as number) + v;
      if (weighted) d[base + S2] = (d[base + S2] as number) + 1;
      d[base + COUNT] = (d[base + COUNT] as number) + 1;
    }
  }
  d[base + HI] = hi;
  d[base + SLID] = (d[base + SLID] as number) + steps;
}

/**
 * Tells the cursor at `base` that `value` was added to second `second` (`fresh`: the second had no data
 * before); ignored unless the cursor covers that second.
 */
export function cursorAdd(d: Float64Array, base: number, second: number, value: number, fresh: boolean): void {
  const hi = d[base + HI] as number;
  if (!(second >= (d[base + LO] as number) && second <= hi)) return;
  if (d[base + KIND] === WEIGHTED) {
    const f = second === hi ? 1 : Math.pow(d[base + BETA] as number, hi - second);
    d[base + S1] = (d[base + S1] as number) + f * value;
    if (fresh) d[base + S2] = (d[base + S2] as number) + f;
  } else d[base + S1] = (d[base + S1] as number) + value;
  if (fresh) d[base + COUNT] = (d[base + COUNT] as number) + 1;
}

/** Tells the cursor at `base` that second `second`, holding `value`, left the ring; ignored unless covered. */
export function cursorEvict(d: Float64Array, base: number, second: number, value: number): void {
  if (second >= (d[base + LO] as number) && second <= (d[base + HI] as number)) remove(d, base, second, value);
}

/** The linear average the cursor at `base` covers, or undefined without data. */
export function cursorAverage(d: Float64Array, base: number): number | undefined {
  const count = d[base + COUNT] as number;
  return count > 0 ? (d[base + S1] as number) / count : undefined;
}

/** The weighted average `(1 - β^k) · A / B` the cursor at `base` covers, or undefined without data. */
export function cursorWeighted(d: Float64Array, base: number): number | undefined {
  const b = d[base + S2] as number;
  if (!((d[base + COUNT] as number) > 0 && b > 0)) return undefined;
  return ((d[base + TOTAL] as number) * (d[base + S1] as number)) / b;
}

function remove(d: Float64Array, base: number, second: number, value: number): void {
  if (d[base + KIND] === WEIGHTED) {
    const hi = d[base + HI] as number;
    const f = second === hi ? 1 : Math.pow(d[base + BETA] as number, hi - second);
    d[base + S1] = (d[base + S1] as number) - f * value;
    d[base + S2] = (d[base + S2] as number) - f;
  } else d[base + S1] = (d[base + S1] as number) - value;
  d[base + COUNT] = (d[base + COUNT] as number) - 1;
}

/** Recomputes the sums of `[lo, hi]` from the buckets: newest first for the linear sum (as a walk adds them). */
function rebuild(d: Float64Array, n: number, base: number, lo: number, hi: number): void {
  let s1 = 0;
  let s2 = 0;
  let count = 0;
  if (d[base + KIND] === WEIGHTED) {
    const beta = d[base + BETA] as number;
    let f = 1;
    for (let s = hi; s >= lo; s--) {
      const v = d[mod(s, n)] as number;
      if (v === v) {
        s1 += f * v;
        s2 += f;
        count++;
      }
      f *= beta;
    }
  } else {
    for (let s = hi; s >= lo; s--) {
      const v = d[mod(s, n)] as number;
      if (v === v) {
        s1 += v;
        count++;
      }
    }
  }
  d[base + LO] = lo;
  d[base + HI] = hi;
  d[base + S1] = s1;
  d[base + S2] = s2;
  d[base + COUNT] = count;
  d[base + SLID] = 0;
}

/** `a mod n` in `[0, n)` for any integer `a`. */
export function mod(a: number, n: number): number {
  const r = a % n;
  return r < 0 ? r + n : r;
}
