import { describe, expect, it } from 'vitest';
import { closestMatch, editDistance } from './edit-distance.ts';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['abc', '', 3],
    ['', 'abc', 3],
    ['kitten', 'sitting', 3],
    ['min-replica', 'min-replicas', 1],
    ['flaw', 'lawn', 2],
    ['same', 'same', 0],
  ])('%j vs %j = %d', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});

describe('closestMatch', () => {
  const keys = ['ebb.dev/min-replicas', 'ebb.dev/max-replicas', 'ebb.dev/policies'];
  it.each([
    ['ebb.dev/min-replica', 'ebb.dev/min-replicas'],
    ['ebb.dev/max-replcas', 'ebb.dev/max-replicas'],
    ['ebb.dev/polices', 'ebb.dev/policies'],
    ['ebb.dev/something-else', undefined],
  ])('%s -> %s', (word, expected) => expect(closestMatch(word, keys)).toBe(expected));

  it.each([
    ['grace', ['grace-period', 'race'], 'grace-period'],
    ['ab', ['abcdef'], undefined],
    ['ebb.dev/kpa.targte', ['ebb.dev/kpa.target', 'ebb.dev/kpa.window'], 'ebb.dev/kpa.target'],
  ] as const)('%s among %j -> %s (a truncated name counts as one edit)', (word, candidates, expected) => {
    expect(closestMatch(word, candidates)).toBe(expected);
  });

  it('allows at least two edits for short words and none beyond the limit', () => {
    expect(closestMatch('rsp', ['rps'])).toBe('rps');
    expect(closestMatch('abc', ['xyz'])).toBeUndefined();
  });
});
