/** Fractional part of the golden ratio: request i draws frac(i x this), an even spread over [0, 1). */
const GOLDEN = 0.6180339887498949;

/**
 * Which version takes each request of a two-version replay, decided once per request when it arrives, by the
 * split then: request `ref` goes to the new version when its draw (an even, deterministic low-discrepancy
 * sequence offset by `seed`) is below the new version's share. Both modelled versions see every request; the one
 * not chosen ignores it.
 */
export class RolloutRouter {
  /** Per request: 0 undecided, 1 the old version, 2 the new one. */
  private readonly choice: Uint8Array;
  private readonly offset: number;
  /** The new version's share now, percent. */
  toPercent = 0;
  /** Requests each version took (old, new). */
  readonly taken = [0, 0];

  constructor(requests: number, seed: number) {
    this.choice = new Uint8Array(requests);
    this.offset = (seed * GOLDEN) % 1;
  }

  /** Which version took request `ref`: 0 the old one, 1 the new one, undefined when it has not arrived. */
  versionOf(ref: number): number | undefined {
    const c = this.choice[ref]!;
    return c === 0 ? undefined : c - 1;
  }

  /** Whether version `version` (0 old, 1 new) takes request `ref`. */
  accepts(version: number, ref: number): boolean {
    let c = this.choice[ref]!;
    if (c === 0) {
      const draw = ((ref * GOLDEN + this.offset) % 1) * 100;
      c = draw < this.toPercent ? 2 : 1;
      this.choice[ref] = c;
      this.taken[c - 1]!++;
    }
    return c === version + 1;
  }
}
