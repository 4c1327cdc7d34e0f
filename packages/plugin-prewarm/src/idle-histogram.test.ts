import { describe, expect, it } from 'vitest';
import { addIdle, binCountCv, EMPTY_HISTOGRAM, MAX_SAMPLES, percentileBin, sampleCount, type IdleHistogram } from './idle-histogram.ts';

const FOUR_HOURS = 4 * 3_600_000;
const minutes = (...m: number[]): IdleHistogram => m.reduce((h, x) => addIdle(h, x * 60_000, FOUR_HOURS), EMPTY_HISTOGRAM);

describe('addIdle', () => {
  it.each<[string, number[], IdleHistogram]>([
    ['bins by whole minutes', [4.2, 4.8, 5.3, 0.1], { bins: [[0, 1], [4, 2], [5, 1]], outOfRange: 0, recentOutOfRangeMin: [] }],
    ['the last bin is just below the range', [239.99], { bins: [[239, 1]], outOfRange: 0, recentOutOfRangeMin: [] }],
    ['beyond the range: counted, the last 5 kept (minutes)', [240, 300, 301, 302, 303, 304, 1], { bins: [[1, 1]], outOfRange: 6, recentOutOfRangeMin: [300, 301, 302, 303, 304] }],
  ])('%s', (_what, idle, want) => {
    expect(minutes(...idle)).toEqual(want);
  });

  it('halves every count when the total passes the maximum', () => {
    let h = EMPTY_HISTOGRAM;
    for (let i = 0; i < MAX_SAMPLES; i++) h = addIdle(h, (i % 2 ? 5 : 7) * 60_000, FOUR_HOURS);
    expect(sampleCount(h)).toBe(MAX_SAMPLES);
    const next = addIdle(h, 9 * 60_000, FOUR_HOURS);
    // 500 + 500 + 1 -> 250 + 250 + 0 (a single count halves to nothing).
    expect(next.bins).toEqual([[5, 250], [7, 250]]);
  });
});

describe('percentileBin and binCountCv', () => {
  it.each<[string, IdleHistogram, number, number | undefined]>([
    ['p5 of 9 x bin 4 and 1 x bin 5', minutes(4, 4, 4, 4, 4, 4, 4, 4, 4, 5), 5, 4],
    ['p99 of the same', minutes(4, 4, 4, 4, 4, 4, 4, 4, 4, 5), 99, 5],
    ['p50 of 1..4', minutes(1, 2, 3, 4), 50, 2],
    ['p0 is the first bin', minutes(7, 3), 0, 3],
    ['nothing in range', minutes(300), 50, undefined],
  ])('%s', (_what, h, p, bin) => {
    expect(percentileBin(h, p)).toBe(bin);
  });

  it.each<[string, IdleHistogram, number | undefined]>([
    ['10 in one bin of 240: sqrt(239)', minutes(...Array<number>(10).fill(4)), Math.sqrt(239)],
    ['10 in 10 bins: sqrt(240 / 10 - 1)', minutes(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), Math.sqrt(23)],
    ['one in every bin: 0', minutes(...Array.from({ length: 240 }, (_, i) => i)), 0],
    ['nothing in range', EMPTY_HISTOGRAM, undefined],
  ])('CV: %s', (_what, h, cv) => {
    const got = binCountCv(h, FOUR_HOURS);
    if (cv === undefined) expect(got).toBeUndefined();
    else expect(got).toBeCloseTo(cv, 9);
  });
});
