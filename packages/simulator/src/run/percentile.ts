/**
 * The p-th percentile of `values` by the nearest-rank method: the smallest value such that at least p % of the
 * values are <= it (rank ceil(p/100 x n), 1-based). NaN values are ignored; null when none is left.
 * Examples: p50 of [10] = 10; p50 of [1, 2, 3, 4] = 2; p99 of 1..100 = 99.
 */
export function percentile(values: ArrayLike<number>, p: number): number | null {
  return percentiles(values, [p])[0] ?? null;
}

/** Several percentiles of the same values with one sort; see {@link percentile}. */
export function percentiles(values: ArrayLike<number>, ps: readonly number[]): Array<number | null> {
  // One typed copy without the NaNs, sorted in place: no JS array of millions of numbers for a day's waits.
  let n = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i]!)) n++;
  const sorted = new Float64Array(n);
  for (let i = 0, j = 0; i < values.length; i++) if (!Number.isNaN(values[i]!)) sorted[j++] = values[i]!;
  sorted.sort();
  return ps.map((p) => {
    if (sorted.length === 0) return null;
    const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
    return sorted[rank - 1]!;
  });
}
