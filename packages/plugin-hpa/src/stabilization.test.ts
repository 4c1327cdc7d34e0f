import { describe, expect, it } from 'vitest';
import type { TimestampedRecommendation } from './hpa-state.ts';
import { stabilizeDownscale, stabilizeWithBehavior } from './stabilization.ts';
import { NOW_MS } from './test-support/pods.ts';

const min = 60_000;
/** `[replicas, minutes ago]` pairs as recommendations. */
const recs = (...pairs: [number, number][]): TimestampedRecommendation[] => pairs.map(([replicas, ago]) => ({ replicas, timeMs: NOW_MS - ago * min }));

// Ported from horizontal_test.go TestNormalizeDesiredReplicas (a 5 minute downscale window). The controller
// reuses one outdated slot per decision; here every outdated entry is dropped, so `kept` lists what remains.
describe('stabilizeDownscale (no behavior)', () => {
  it.each([
    { name: 'empty log', history: [], desired: 5, expected: 5, kept: [5] },
    { name: 'stabilize', history: recs([4, 2], [5, 1]), desired: 3, expected: 5, kept: [4, 5, 3] },
    { name: 'no stabilize', history: recs([1, 2], [2, 1]), desired: 3, expected: 3, kept: [1, 2, 3] },
    { name: 'no stabilize - old recommendations', history: recs([10, 10], [9, 9]), desired: 3, expected: 3, kept: [3] },
    { name: 'stabilize - old recommendations', history: recs([10, 10], [4, 1], [5, 2], [9, 9]), desired: 3, expected: 5, kept: [4, 5, 3] },
    { name: 'a recommendation exactly at the window edge still counts', history: recs([8, 5]), desired: 3, expected: 8, kept: [8, 3] },
  ])('$name', ({ history, desired, expected, kept }) => {
    const result = stabilizeDownscale(history, desired, 5 * min, NOW_MS);
    expect(result.replicas).toBe(expected);
    expect(result.recommendations.map((r) => r.replicas)).toEqual(kept);
    expect(result.recommendations.at(-1)).toEqual({ replicas: desired, timeMs: NOW_MS });
  });
});

// Ported from horizontal_test.go TestNormalizeDesiredReplicasWithBehavior (windows in seconds; unset = 0).
describe('stabilizeWithBehavior', () => {
  it.each([
    { name: 'empty recommendations for scaling down', history: [], current: 100, desired: 5, up: 0, down: 0, expected: 5, kept: [5] },
    { name: 'simple scale down stabilization', history: recs([4, 2], [5, 1]), current: 100, desired: 3, up: 0, down: 180, expected: 5, kept: [4, 5, 3] },
    { name: 'simple scale up stabilization', history: recs([4, 2], [5, 1]), current: 1, desired: 7, up: 300, down: 0, expected: 4, kept: [4, 5, 7] },
    { name: 'no scale down stabilization', history: recs([1, 2], [2, 1]), current: 100, desired: 3, up: 300, down: 0, expected: 3, kept: [1, 2, 3] },
    { name: 'no scale up stabilization', history: recs([4, 2], [5, 1]), current: 1, desired: 3, up: 0, down: 300, expected: 3, kept: [4, 5, 3] },
    { name: 'no scale down stabilization, outdated entries dropped', history: recs([10, 10], [9, 9]), current: 100, desired: 3, up: 0, down: 0, expected: 3, kept: [3] },
    { name: 'no scale up stabilization, outdated entries dropped', history: recs([10, 10], [9, 9]), current: 1, desired: 100, up: 0, down: 0, expected: 100, kept: [100] },
    { name: 'scale down stabilization with outdated entries', history: recs([10, 10], [4, 1], [5, 2], [9, 9]), current: 100, desired: 3, up: 0, down: 180, expected: 5, kept: [4, 5, 3] },
    { name: 'scale up stabilization with outdated entries', history: recs([10, 100], [6, 1], [5, 2], [9, 3]), current: 1, desired: 100, up: 300, down: 0, expected: 5, kept: [6, 5, 9, 100] },
    { name: 'up and down stabilization: no scale up when the raw recommendation goes down', history: recs([2, 100], [3, 3]), current: 2, desired: 1, up: 300, down: 300, expected: 2, kept: [3, 1] },
    { name: 'up and down stabilization: no scale down when the raw recommendation goes up', history: recs([2, 100], [1, 3]), current: 2, desired: 3, up: 300, down: 300, expected: 2, kept: [1, 3] },
  ])('$name', ({ history, current, desired, up, down, expected, kept }) => {
    const result = stabilizeWithBehavior(history, current, desired, { scaleUpMs: up * 1000, scaleDownMs: down * 1000 }, NOW_MS);
    expect(result.replicas).toBe(expected);
    expect(result.recommendations.map((r) => r.replicas)).toEqual(kept);
  });

  it('with the default scale-up window of 0, a recommendation made at the same instant does not hold a scale-up back', () => {
    const history = [{ replicas: 2, timeMs: NOW_MS }];
    expect(stabilizeWithBehavior(history, 2, 6, { scaleUpMs: 0, scaleDownMs: 300_000 }, NOW_MS).replicas).toBe(6);
  });
});
