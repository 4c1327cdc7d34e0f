import { BIN_MS } from './prewarm-config.ts';

/** Counts above this total are halved (older idle periods weigh less, and counts stay small). */
export const MAX_SAMPLES = 1000;

/** How many out-of-range idle times are kept for the forecast. */
export const RECENT_OUT_OF_RANGE = 5;

/**
 * The idle times learned for one target, immutable: counts per 1-minute bin (sparse), and the idle periods longer
 * than the range. Example: idle periods of 4m10s, 4m50s and 5m20s -> bins `[[4, 2], [5, 1]]`.
 */
export interface IdleHistogram {
  /** `[bin, count]` pairs, ascending by bin, counts > 0; bin `i` holds idle times in `[i, i + 1)` minutes. */
  readonly bins: ReadonlyArray<readonly [number, number]>;
  /** Number of idle periods longer than the range. */
  readonly outOfRange: number;
  /** The last {@link RECENT_OUT_OF_RANGE} out-of-range idle times, whole minutes, oldest first. */
  readonly recentOutOfRangeMin: readonly number[];
}

/** Nothing learned yet. */
export const EMPTY_HISTOGRAM: IdleHistogram = { bins: [], outOfRange: 0, recentOutOfRangeMin: [] };

/** Number of bins of a range, e.g. 4 h -> 240. */
export function binCount(rangeMs: number): number {
  return Math.max(1, Math.floor(rangeMs / BIN_MS));
}

/** Idle periods in range (the bins' total). */
export function inRangeCount(h: IdleHistogram): number {
  let n = 0;
  for (const [, c] of h.bins) n += c;
  return n;
}

/** Every idle period learned (in range and out of range). */
export function sampleCount(h: IdleHistogram): number {
  return inRangeCount(h) + h.outOfRange;
}

/**
 * Adds one idle period. Longer than the range: counted out of range, and kept among the recent ones for the
 * forecast. When the total passes {@link MAX_SAMPLES}, every count is halved (rounded down; empty bins dropped).
 * Example: 4m10s with a 4 h range -> bin 4 + 1.
 */
export function addIdle(h: IdleHistogram, idleMs: number, rangeMs: number): IdleHistogram {
  const bin = Math.floor(Math.max(0, idleMs) / BIN_MS);
  let next: IdleHistogram;
  if (bin >= binCount(rangeMs)) {
    next = { ...h, outOfRange: h.outOfRange + 1, recentOutOfRangeMin: [...h.recentOutOfRangeMin, bin].slice(-RECENT_OUT_OF_RANGE) };
  } else {
    const bins = h.bins.map(([b, c]): [number, number] => [b, c]);
    const at = bins.findIndex(([b]) => b >= bin);
    if (at >= 0 && bins[at]![0] === bin) bins[at]![1] += 1;
    else bins.splice(at < 0 ? bins.length : at, 0, [bin, 1]);
    next = { ...h, bins };
  }
  if (sampleCount(next) <= MAX_SAMPLES) return next;
  return {
    bins: next.bins.map(([b, c]): [number, number] => [b, Math.floor(c / 2)]).filter(([, c]) => c > 0),
    outOfRange: Math.floor(next.outOfRange / 2),
    recentOutOfRangeMin: next.recentOutOfRangeMin,
  };
}

/**
 * The bin at percentile `p` (0..100) of the in-range idle times: the first bin whose cumulative count reaches
 * `p` % of the total (at least one sample). Undefined without in-range samples.
 * Example: bins 4: 2, 5: 1 -> p5 = 4, p99 = 5.
 */
export function percentileBin(h: IdleHistogram, p: number): number | undefined {
  const total = inRangeCount(h);
  if (total === 0) return undefined;
  const needed = Math.max(1, (p / 100) * total);
  let cumulative = 0;
  for (const [b, c] of h.bins) {
    cumulative += c;
    if (cumulative >= needed - 1e-9) return b;
  }
  return h.bins.at(-1)![0];
}

/**
 * Coefficient of variation (standard deviation / mean) of the counts of all `binCount(rangeMs)` bins, empty ones
 * included: high for idle times concentrated in a few bins, low for idle times spread over the range.
 * Example: 10 idle periods in one bin of 240 -> sqrt(239) = 15.5; the same 10 in 10 different bins -> 4.8.
 * Undefined without in-range samples.
 */
export function binCountCv(h: IdleHistogram, rangeMs: number): number | undefined {
  const total = inRangeCount(h);
  if (total === 0) return undefined;
  const n = binCount(rangeMs);
  const mean = total / n;
  let squares = 0;
  for (const [, c] of h.bins) squares += c * c;
  const variance = Math.max(0, squares / n - mean * mean);
  return Math.sqrt(variance) / mean;
}
