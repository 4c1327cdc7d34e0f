import { describe, expect, it } from 'vitest';
import { populationMeanSampleSize } from './sample-size.ts';

describe('populationMeanSampleSize (Knative sample_size.go)', () => {
  // Worked by hand: X = 1.96² x 100 / 5² = 15.3664; n = ceil(N·X / (N + X - 1)).
  it.each([
    { population: -1, want: 0 },
    { population: 0, want: 0 },
    { population: 1, want: 1 },
    { population: 2, want: 2 },
    { population: 3, want: 3 },
    { population: 4, want: 4 }, // 61.47 / 18.37 = 3.35 -> 4: every pod
    { population: 5, want: 4 }, // 76.83 / 19.37 = 3.97 -> 4: the first sample smaller than the population
    { population: 10, want: 7 }, // 153.66 / 24.37 = 6.31
    { population: 16, want: 9 }, // 245.86 / 30.37 = 8.10
    { population: 100, want: 14 }, // 1536.64 / 114.37 = 13.44
    { population: 1000, want: 16 }, // 15366.4 / 1014.37 = 15.15
    { population: 1_000_000, want: 16 },
  ])('$population ready pods -> sample of $want', ({ population, want }) => {
    expect(populationMeanSampleSize(population)).toBe(want);
  });

  it('never exceeds 16 pods and never exceeds the population', () => {
    for (let n = 0; n <= 5000; n++) {
      const size = populationMeanSampleSize(n);
      expect(size).toBeLessThanOrEqual(Math.min(16, n));
    }
  });
});
