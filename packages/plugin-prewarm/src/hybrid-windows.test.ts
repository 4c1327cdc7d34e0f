import { describe, expect, it } from 'vitest';
import { hybridWindows, type KeepWindows } from './hybrid-windows.ts';
import { addIdle, EMPTY_HISTOGRAM, type IdleHistogram } from './idle-histogram.ts';
import { configWith } from './test-support/replay.ts';

const config = configWith();
const minutes = (...m: number[]): IdleHistogram => m.reduce((h, x) => addIdle(h, x * 60_000, config.rangeMs), EMPTY_HISTOGRAM);
const times = (n: number, m: number): number[] => Array<number>(n).fill(m);

describe('hybridWindows (defaults: p5, p99, margin 10 %, 10 samples, CV 2, fallback 10m)', () => {
  it.each<[string, IdleHistogram, Partial<KeepWindows>]>([
    ['nothing learned: learning, keep 10 minutes', EMPTY_HISTOGRAM, { mode: 'learning', fromMs: 0, untilMs: 600_000, samples: 0 }],
    ['9 idle periods: still learning', minutes(...times(9, 4)), { mode: 'learning', fromMs: 0, untilMs: 600_000, samples: 9 }],
    // p5 bin 4 -> 240 s x 0.9 = 216 s; p99 bin 5 -> 360 s x 1.1 = 396 s; median bin 4 -> 4.5 min.
    ['9 x 4 min, 1 x 5 min: pre-warm', minutes(...times(9, 4), 5), { mode: 'histogram', fromMs: 216_000, untilMs: 396_000, headBin: 4, tailBin: 5, expectedMs: 270_000 }],
    // Head bin 0: keep the last pod from the end, until p99 bin 2 -> 180 s x 1.1.
    ['short idle times: keep-alive from the end', minutes(...times(8, 0), 1, 2), { mode: 'histogram', fromMs: 0, untilMs: 198_000, headBin: 0, tailBin: 2 }],
    // Spread over all 240 bins: CV 0 < 2.
    ['idle times spread over the range: fallback', minutes(...Array.from({ length: 240 }, (_, i) => i)), { mode: 'fallback', fromMs: 0, untilMs: 600_000, cv: 0 }],
    // 6 of 10 beyond 4 h: the median of the last five (300, 310, 320, 330, 340 min) is 320 min; 85 %..115 %.
    ['mostly beyond the range: forecast', minutes(1, 2, 3, 4, 300, 310, 320, 330, 340, 350), { mode: 'forecast', expectedMs: 330 * 60_000, fromMs: Math.round(0.85 * 330 * 60_000), untilMs: Math.round(1.15 * 330 * 60_000) }],
  ])('%s', (_what, h, want) => {
    expect(hybridWindows(h, config)).toMatchObject(want);
  });

  it('follows the configured percentiles, margin and fallback', () => {
    const h = minutes(...times(5, 2), ...times(5, 6));
    expect(hybridWindows(h, configWith({ headPercentile: 50, tailPercentile: 100, margin: 0 }))).toMatchObject({ mode: 'histogram', fromMs: 120_000, untilMs: 420_000 });
    expect(hybridWindows(h, configWith({ cvThreshold: 50, fallbackKeepAliveMs: 3_600_000 }))).toMatchObject({ mode: 'fallback', untilMs: 3_600_000 });
    expect(hybridWindows(h, configWith({ minSamples: 11 }))).toMatchObject({ mode: 'learning' });
  });
});
