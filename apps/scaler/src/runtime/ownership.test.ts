import { describe, expect, it } from 'vitest';
import { fnv1a } from '@ebb/core';
import { jumpHash } from './ownership.ts';

describe('jumpHash', () => {
  it('always maps to bucket 0 of 1', () => {
    for (let i = 0; i < 100; i++) expect(jumpHash(fnv1a(`ns/t${i}`), 1)).toBe(0);
  });

  it('spreads keys evenly and stays in range', () => {
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 4000; i++) counts[jumpHash(fnv1a(`ns/t${i}`), 4)]!++;
    for (const c of counts) expect(c).toBeGreaterThan(800);
  });

  it('moves only about 1/(n+1) of the keys when a shard is added', () => {
    let moved = 0;
    const n = 2000;
    for (let i = 0; i < n; i++) {
      const before = jumpHash(fnv1a(`ns/t${i}`), 4);
      const after = jumpHash(fnv1a(`ns/t${i}`), 5);
      if (before !== after) {
        moved++;
        expect(after).toBe(4); // keys only ever move to the new bucket
      }
    }
    expect(moved / n).toBeGreaterThan(0.12);
    expect(moved / n).toBeLessThan(0.28);
  });
});
