import type { Random } from './seeded-random.ts';

/** One known point of a distribution: `fraction` (0..1) of the values are <= `value`. */
export interface PercentilePoint {
  readonly fraction: number;
  readonly value: number;
}

/**
 * A distribution known only by some percentiles (as the Azure duration table gives them: 0, 1, 25, 50, 75, 99,
 * 100), sampled by inverse transform with linear interpolation between the points.
 * Example: points (0, 100), (0.5, 200), (1, 1000); u = 0.75 -> 200 + 0.5 x 800 = 600.
 */
export class PercentileDistribution {
  private readonly points: readonly PercentilePoint[];

  /**
   * @param points at least one point; fractions in [0, 1]. Sorted by fraction; values are made non-decreasing
   *   (a value below the previous one is raised to it) so sampling is monotone.
   */
  constructor(points: readonly PercentilePoint[]) {
    if (points.length === 0) throw new Error('a percentile distribution needs at least one point');
    const sorted = [...points].sort((a, b) => a.fraction - b.fraction);
    let floor = -Infinity;
    this.points = sorted.map((p) => {
      floor = Math.max(floor, p.value);
      return { fraction: p.fraction, value: floor };
    });
  }

  /** The value at quantile `u` in [0, 1]: interpolated; below the first point the first value, above the last the last. */
  quantile(u: number): number {
    const pts = this.points;
    const first = pts[0]!;
    if (u <= first.fraction) return first.value;
    for (let i = 1; i < pts.length; i++) {
      const b = pts[i]!;
      if (u <= b.fraction) {
        const a = pts[i - 1]!;
        const span = b.fraction - a.fraction;
        return span > 0 ? a.value + ((u - a.fraction) / span) * (b.value - a.value) : b.value;
      }
    }
    return pts[pts.length - 1]!.value;
  }

  /** One sample drawn with `rng`. */
  sample(rng: Random): number {
    return this.quantile(rng.next());
  }
}
