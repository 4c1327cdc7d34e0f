import { describe, expect, it } from 'vitest';
import { slotShares, type MemberDemand } from './slot-shares.ts';

const m = (id: string, want: number, held = 0): MemberDemand => ({ id, want, held });
const shares = (capacity: number, members: MemberDemand[], epoch = 0): Record<string, number> => Object.fromEntries(slotShares(capacity, members, epoch));

describe('slotShares', () => {
  it.each([
    { name: 'one replica gets everything', capacity: 8, members: [m('a', 0)], expected: { a: 8 } },
    { name: 'idle capacity is spread evenly', capacity: 9, members: [m('a', 0), m('b', 0), m('c', 0)], expected: { a: 3, b: 3, c: 3 } },
    { name: 'wants first, the rest spread', capacity: 8, members: [m('a', 4), m('b', 0)], expected: { a: 6, b: 2 } },
    { name: 'the odd slot stays where it is held', capacity: 1, members: [m('a', 0), m('b', 0, 1)], expected: { a: 0, b: 1 } },
    { name: 'a replica with waiters gets the only slot', capacity: 1, members: [m('a', 1), m('b', 0, 1)], expected: { a: 1, b: 0 } },
    { name: 'water-filling when short', capacity: 6, members: [m('a', 1), m('b', 10), m('c', 10)], expected: { a: 1, b: 3, c: 2 } },
    { name: 'wants are capped at the capacity', capacity: 2, members: [m('a', 50), m('b', 0)], expected: { a: 2, b: 0 } },
    { name: 'no capacity, nothing to share', capacity: 0, members: [m('a', 3), m('b', 1)], expected: { a: 0, b: 0 } },
  ])('$name', ({ capacity, members, expected }) => {
    expect(shares(capacity, members)).toEqual(expected);
  });

  it('rotates a contested slot between the replicas that want it, epoch by epoch', () => {
    const members = [m('a', 4), m('b', 2), m('c', 0)];
    const winners = [0, 1, 2, 3].map((epoch) => Object.entries(shares(1, members, epoch)).find(([, n]) => n === 1)?.[0]);
    expect(winners).toEqual(['a', 'b', 'a', 'b']);
  });

  it('never hands out more than the capacity and does not depend on the order of members', () => {
    for (let seed = 1; seed < 300; seed++) {
      const n = 1 + (seed % 5);
      const members = Array.from({ length: n }, (_, i) => m(`g${(i * 7 + seed) % 11}-${i}`, (seed * (i + 3)) % 9, (seed + i) % 4));
      const capacity = seed % 13;
      const a = shares(capacity, members, seed);
      expect(Object.values(a).reduce((x, y) => x + y, 0)).toBeLessThanOrEqual(capacity);
      expect(shares(capacity, [...members].reverse(), seed)).toEqual(a);
      for (const mm of members) expect(a[mm.id]).toBeGreaterThanOrEqual(Math.min(mm.want, Math.floor(capacity / n)));
    }
  });
});
