import { binCountCv, inRangeCount, percentileBin, sampleCount, type IdleHistogram } from './idle-histogram.ts';
import { BIN_MS, type PrewarmConfig } from './prewarm-config.ts';

/** Margin around a forecast idle time (out-of-range regime), as a fraction: pre-warm 15 % early, keep 15 % late. */
export const FORECAST_MARGIN = 0.15;

/**
 * Which rule set the windows:
 * - `learning`: fewer idle periods than `min-samples`: the fallback keep-alive;
 * - `fallback`: the histogram is not representative (CV of the bin counts below the threshold): the fallback keep-alive;
 * - `histogram`: pre-warm at the head percentile, keep until the tail percentile, with the margin;
 * - `forecast`: most idle periods are longer than the range: around the median of the last ones.
 */
export type WindowMode = 'learning' | 'fallback' | 'histogram' | 'forecast';

/**
 * When to have a pod, in ms after the end of the last demand: from `fromMs` (0: keep the last pod; > 0: release
 * it, then bring one up again) until `untilMs`.
 */
export interface KeepWindows {
  readonly mode: WindowMode;
  readonly fromMs: number;
  readonly untilMs: number;
  /** Idle periods learned (in range and beyond). */
  readonly samples: number;
  /** Coefficient of variation of the bin counts, when there are in-range samples. */
  readonly cv?: number;
  /** Head and tail percentile bins (minutes), in `histogram` mode. */
  readonly headBin?: number;
  readonly tailBin?: number;
  /** The median idle time (ms) the windows expect, when they predict one (`histogram`, `forecast`). */
  readonly expectedMs?: number;
}

/**
 * The hybrid histogram policy of Shahrad et al. ("Serverless in the Wild", USENIX ATC 2020), per target.
 * - Too few samples, or a histogram that is not representative: keep the last pod for `fallback-keep-alive`.
 * - More than half of the idle periods beyond the range: forecast the next one as the median of the last
 *   5 out-of-range ones (instead of the paper's ARIMA), pod from 85 % to 115 % of it.
 * - Otherwise: pre-warm at the lower edge of the head-percentile bin minus the margin, keep until the upper edge
 *   of the tail-percentile bin plus the margin. A head bin of 0 keeps the last pod from the end of the demand.
 * Worked example (margin 10 %): idle times in bins 4 (9 of 10) and 5 (1 of 10): head (p5) bin 4 -> from
 * 4 min x 0.9 = 3m36s; tail (p99) bin 5 -> until 6 min x 1.1 = 6m36s.
 */
export function hybridWindows(h: IdleHistogram, config: PrewarmConfig): KeepWindows {
  const samples = sampleCount(h);
  const cv = binCountCv(h, config.rangeMs);
  const base = { samples, ...(cv === undefined ? {} : { cv }) };
  const fallback = { fromMs: 0, untilMs: config.fallbackKeepAliveMs };
  if (samples < config.minSamples) return { mode: 'learning', ...base, ...fallback };
  if (h.outOfRange * 2 > samples && h.recentOutOfRangeMin.length > 0) {
    const expectedMs = median(h.recentOutOfRangeMin) * BIN_MS;
    return { mode: 'forecast', ...base, fromMs: Math.round(expectedMs * (1 - FORECAST_MARGIN)), untilMs: Math.round(expectedMs * (1 + FORECAST_MARGIN)), expectedMs };
  }
  const headBin = percentileBin(h, config.headPercentile);
  const tailBin = percentileBin(h, config.tailPercentile);
  const medianBin = percentileBin(h, 50);
  if (inRangeCount(h) === 0 || headBin === undefined || tailBin === undefined || medianBin === undefined || cv === undefined || cv < config.cvThreshold) {
    return { mode: 'fallback', ...base, ...fallback };
  }
  const margin = config.margin / 100;
  return {
    mode: 'histogram',
    ...base,
    headBin,
    tailBin,
    fromMs: Math.round(headBin * BIN_MS * (1 - margin)),
    untilMs: Math.round((tailBin + 1) * BIN_MS * (1 + margin)),
    expectedMs: (medianBin + 0.5) * BIN_MS,
  };
}

/** Median of a non-empty list (the mean of the middle two for an even count). */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
