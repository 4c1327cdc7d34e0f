import { describe, expect, it } from 'vitest';
import { PercentileDistribution } from '../trace/percentile-distribution.ts';
import { createRandom } from '../trace/seeded-random.ts';
import { percentile, percentiles } from './percentile.ts';

describe('percentile (nearest rank)', () => {
  it.each([
    [[10], 50, 10],
    [[1, 2, 3, 4], 50, 2],
    [[1, 2, 3, 4], 99, 4],
    [Array.from({ length: 100 }, (_, i) => i + 1), 99, 99],
    [[5, NaN, 1], 50, 1],
    [[], 50, null],
  ])('%j p%i = %j', (values, p, expected) => {
    expect(percentile(values, p)).toBe(expected);
  });

  it('sorts numerically, not as text', () => {
    expect(percentiles([100, 9, 20], [0, 50, 100])).toEqual([9, 20, 100]);
  });
});

describe('PercentileDistribution', () => {
  it('interpolates between the known points and stays within them', () => {
    const d = new PercentileDistribution([
      { fraction: 0, value: 100 },
      { fraction: 0.5, value: 200 },
      { fraction: 1, value: 1000 },
    ]);
    expect([d.quantile(0), d.quantile(0.25), d.quantile(0.75), d.quantile(1)]).toEqual([100, 150, 600, 1000]);
    const rng = createRandom(1);
    const samples = Array.from({ length: 2000 }, () => d.sample(rng));
    expect(Math.min(...samples)).toBeGreaterThanOrEqual(100);
    expect(Math.max(...samples)).toBeLessThanOrEqual(1000);
    expect(percentile(samples, 50)).toBeGreaterThan(180);
    expect(percentile(samples, 50)).toBeLessThan(220);
  });

  it('makes values non-decreasing', () => {
    const d = new PercentileDistribution([
      { fraction: 0.5, value: 50 },
      { fraction: 0.25, value: 80 },
    ]);
    expect(d.quantile(0.5)).toBe(80);
  });
});
