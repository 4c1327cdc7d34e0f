import { describe, expect, it } from 'vitest';
import { apportion, planSplitChange, splitDuringRollout, weightsToPercents, type Share } from './split-change.ts';

const split = (...pairs: Array<[string, number]>): Share[] => pairs.map(([key, percent]) => ({ key, percent }));

describe('weightsToPercents and apportion', () => {
  it.each([
    [[70, 30], [70, 30]],
    [[1, 1, 1], [34, 33, 33]],
    [[1, 0], [100, 0]],
    [[0, 0], [0, 0]],
    [[2, 1], [67, 33]],
  ])('%j -> %j', (weights, percents) => {
    expect(weightsToPercents(weights.map((weight, i) => ({ key: `v${i}`, weight }))).map((s) => s.percent)).toEqual(percents);
  });

  it('shares any total, adding up exactly', () => {
    expect(apportion(7, [{ key: 'a', weight: 3 }, { key: 'b', weight: 1 }]).map((s) => s.percent)).toEqual([5, 2]);
  });
});

describe('planSplitChange', () => {
  it.each([
    ['nothing changed', split(['v1', 100]), split(['v1', 100], ['v2', 0]), undefined, { kind: 'none' }],
    ['v1 -> v2: a rollout to v2', split(['v1', 100]), split(['v1', 0], ['v2', 100]), undefined, { kind: 'rollout', receiver: 'v2', fromPercent: 0, goalPercent: 100 }],
    ['a new change mid-rollout starts from the effective split', split(['v1', 60], ['v2', 40]), split(['v1', 20], ['v2', 80]), split(['v1', 100]), { kind: 'rollout', receiver: 'v2', fromPercent: 40, goalPercent: 80 }],
    ['back to the split before the rollout: at once', split(['v1', 60], ['v2', 40]), split(['v1', 100], ['v2', 0]), split(['v1', 100]), { kind: 'at-once' }],
    ['two versions gaining: at once', split(['v1', 100]), split(['v1', 50], ['v2', 25], ['v3', 25]), undefined, { kind: 'at-once' }],
  ])('%s', (_, effective, declared, pre, expected) => {
    expect(planSplitChange(effective, declared, pre)).toMatchObject(expected);
  });
});

describe('splitDuringRollout', () => {
  it.each([
    ['v1 -> v2 at 30 %', split(['v1', 100]), split(['v1', 0], ['v2', 100]), 30, { v1: 70, v2: 30 }],
    ['two givers give back in proportion to their loss', split(['v1', 60], ['v2', 40]), split(['v1', 30], ['v2', 10], ['v3', 60]), 20, { v1: 50, v2: 30, v3: 20 }],
    ['at the goal: the declared split', split(['v1', 100]), split(['v1', 30], ['v2', 70]), 70, { v1: 30, v2: 70 }],
  ])('%s', (_, effective, declared, percent, expected) => {
    const out = splitDuringRollout(effective, declared, declared.at(-1)?.key ?? '', percent);
    expect(Object.fromEntries(out.map((s) => [s.key, s.percent]))).toEqual(expected);
    expect(out.reduce((s, x) => s + x.percent, 0)).toBe(100);
  });
});
