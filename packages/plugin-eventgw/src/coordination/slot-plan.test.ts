import { describe, expect, it } from 'vitest';
import { heldSlots, planSlots, type PodUse } from './slot-plan.ts';

const u = (id: string, allowance: number, inFlight = 0, live = true): PodUse => ({ id, allowance, inFlight, live });
const plan = (cc: number, share: number, uses: PodUse[], others: Record<string, number> = {}) => {
  const p = planSlots('me', cc, share, uses, new Map(Object.entries(others)));
  return { allow: Object.fromEntries(p.allow), claims: Object.fromEntries(p.claims) };
};

describe('planSlots', () => {
  it.each([
    { name: 'at its share: nothing to do', cc: 1, share: 2, uses: [u('a', 1), u('b', 1)], others: {}, expected: { allow: {}, claims: {} } },
    { name: 'lowers free allowances first', cc: 3, share: 2, uses: [u('a', 3, 1), u('b', 1, 1)], others: {}, expected: { allow: { a: 1 }, claims: {} } },
    { name: 'then allowances in use (the request finishes, the slot is not used again)', cc: 1, share: 0, uses: [u('a', 1, 1)], others: {}, expected: { allow: { a: 0 }, claims: {} } },
    { name: 'claims only slots nobody else claims', cc: 1, share: 2, uses: [u('a', 0), u('b', 0), u('c', 0)], others: { a: 1 }, expected: { allow: {}, claims: { b: 1, c: 1 } } },
    { name: 'claims nothing when every slot is claimed', cc: 2, share: 2, uses: [u('a', 0), u('b', 1)], others: { a: 2, b: 1 }, expected: { allow: {}, claims: {} } },
    { name: 'a pod with more room first', cc: 3, share: 2, uses: [u('a', 0), u('b', 0)], others: { a: 2 }, expected: { allow: {}, claims: { b: 2 } } },
    { name: 'raising back to what is in flight needs no claim', cc: 2, share: 2, uses: [u('a', 0, 2)], others: {}, expected: { allow: { a: 2 }, claims: {} } },
    { name: 'pods that went away are never raised', cc: 1, share: 1, uses: [u('a', 0, 1, false)], others: {}, expected: { allow: {}, claims: {} } },
  ])('$name', ({ cc, share, uses, others, expected }) => {
    expect(plan(cc, share, uses, others as Record<string, number>)).toEqual(expected);
  });

  it('never claims beyond containerConcurrency with what others hold', () => {
    for (let seed = 1; seed < 200; seed++) {
      const cc = 1 + (seed % 4);
      const uses = Array.from({ length: 1 + (seed % 5) }, (_, i) => u(`p${i}`, (seed + i) % (cc + 1), (seed * i) % (cc + 1)));
      const others = Object.fromEntries(uses.map((x, i) => [x.id, Math.max(0, cc - heldSlots(x) - ((seed + i) % 2))]));
      const { allow, claims } = plan(cc, seed % 9, uses, others);
      for (const [pod, n] of Object.entries(claims)) expect(n + (others[pod] ?? 0)).toBeLessThanOrEqual(cc);
      for (const [pod, n] of Object.entries(allow)) {
        const use = uses.find((x) => x.id === pod);
        expect(n).toBeLessThanOrEqual(Math.max(use?.allowance ?? 0, use?.inFlight ?? 0));
      }
    }
  });
});
