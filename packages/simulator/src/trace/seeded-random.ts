import { fnv1a } from '@ebb/core';

/**
 * A seeded pseudo-random source (mulberry32): the same seed gives the same sequence on every machine and Node
 * version, so a simulation with a fixed seed is reproducible. Not for cryptography.
 */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [min, max). */
  uniform(min: number, max: number): number;
  /** Exponentially distributed with `ratePerMs` events per ms (mean 1 / ratePerMs ms); Infinity when the rate is 0. */
  exponentialMs(ratePerMs: number): number;
  /**
   * An independent stream derived from this stream's seed and `label` (not from its position), so adding draws to
   * one stream never shifts another. Example: `rng.fork('startup:fn-1')`.
   */
  fork(label: string): Random;
}

/**
 * Creates a {@link Random} from a seed (an integer, or any string, hashed with FNV-1a).
 * Example: `createRandom(42).next()` is the same number in every run.
 */
export function createRandom(seed: number | string): Random {
  const seed32 = typeof seed === 'number' ? seed >>> 0 : fnv1a(seed);
  let state = seed32;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    next,
    uniform: (min, max) => min + (max - min) * next(),
    exponentialMs: (ratePerMs) => (ratePerMs > 0 ? -Math.log(1 - next()) / ratePerMs : Infinity),
    fork: (label) => createRandom(fnv1a(`${seed32}:${label}`)),
  };
}
