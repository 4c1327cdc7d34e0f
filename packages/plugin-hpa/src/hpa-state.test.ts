import { describe, expect, it } from 'vitest';
import { INITIAL_HPA_STATE, recordObservedScale, storeScaleEvent, type HpaState, type ScaleEvent } from './hpa-state.ts';

const T = 1_000_000;
const PERIODS = { scaleUpMs: 15_000, scaleDownMs: 15_000 };
const proposed = (fromReplicas: number, toReplicas: number): HpaState => ({ ...INITIAL_HPA_STATE, proposed: { fromReplicas, toReplicas, timeMs: T } });

describe('recordObservedScale', () => {
  it.each([
    { name: 'scale-up applied', from: 4, to: 8, current: 8, up: [4], down: [] },
    { name: 'scale-up overshot by another policy', from: 4, to: 8, current: 12, up: [4], down: [] },
    { name: 'scale-up applied in part', from: 4, to: 8, current: 5, up: [1], down: [] },
    { name: 'scale-up not applied', from: 4, to: 8, current: 4, up: [], down: [] },
    { name: 'scale-up, but the count went down', from: 4, to: 8, current: 3, up: [], down: [] },
    { name: 'scale-down applied', from: 10, to: 6, current: 6, up: [], down: [4] },
    { name: 'scale-down held higher by a floor', from: 10, to: 6, current: 8, up: [], down: [2] },
    { name: 'scale-down overshot by someone else', from: 10, to: 6, current: 2, up: [], down: [4] },
    { name: 'scale-down not applied', from: 10, to: 6, current: 10, up: [], down: [] },
    { name: 'scale-down, but the count went up', from: 10, to: 6, current: 12, up: [], down: [] },
  ])('$name', ({ from, to, current, up, down }) => {
    const next = recordObservedScale(proposed(from, to), current, PERIODS);
    const changes = (events: readonly ScaleEvent[]): number[] => events.map((e) => e.replicaChange);
    expect(changes(next.scaleUpEvents)).toEqual(up);
    expect(changes(next.scaleDownEvents)).toEqual(down);
    expect([...next.scaleUpEvents, ...next.scaleDownEvents].every((e) => e.timeMs === T)).toBe(true);
    expect(next.proposed).toBeUndefined();
  });

  it('keeps the state as it is without a proposal', () => {
    const state: HpaState = { recommendations: [{ replicas: 3, timeMs: T }], scaleUpEvents: [{ replicaChange: 1, timeMs: T }], scaleDownEvents: [] };
    expect(recordObservedScale(state, 7, PERIODS)).toBe(state);
  });

  it('appends to earlier events', () => {
    const state: HpaState = { ...proposed(2, 4), scaleUpEvents: [{ replicaChange: 1, timeMs: T - 5_000 }] };
    expect(recordObservedScale(state, 4, PERIODS).scaleUpEvents).toEqual([
      { replicaChange: 1, timeMs: T - 5_000 },
      { replicaChange: 2, timeMs: T },
    ]);
  });
});

describe('storeScaleEvent (the controller\'s slots)', () => {
  const e = (replicaChange: number, seconds: number, outdated = false): ScaleEvent => ({ replicaChange, timeMs: T + seconds * 1000, ...(outdated ? { outdated: true as const } : {}) });
  it.each<{ name: string; events: ScaleEvent[]; at: number; longestMs: number; want: ScaleEvent[] }>([
    { name: 'appends while every event is within the period', events: [e(6, 0)], at: 10, longestMs: 15_000, want: [e(6, 0), e(4, 10)] },
    { name: 'an event exactly one period old is not outdated', events: [e(6, 0)], at: 15, longestMs: 15_000, want: [e(6, 0), e(4, 15)] },
    { name: 'replaces the one outdated event', events: [e(6, 0)], at: 30, longestMs: 15_000, want: [e(4, 30)] },
    { name: 'replaces only the last outdated slot; the others stay, marked', events: [e(1, 0), e(2, 5), e(3, 40)], at: 50, longestMs: 15_000, want: [e(1, 0, true), e(4, 50), e(3, 40)] },
    { name: 'an event marked earlier stays outdated', events: [e(1, 0, true), e(3, 40)], at: 45, longestMs: 15_000, want: [e(4, 45), e(3, 40)] },
    { name: 'a long period keeps the old event', events: [e(6, 0)], at: 30, longestMs: 120_000, want: [e(6, 0), e(4, 30)] },
  ])('$name', ({ events, at, longestMs, want }) => {
    expect(storeScaleEvent(events, 4, T + at * 1000, longestMs)).toEqual(want);
  });

  it('stores an observed change with the period of its direction', () => {
    const state: HpaState = { ...proposed(16, 20), scaleUpEvents: [{ replicaChange: 6, timeMs: T - 30_000 }] };
    expect(recordObservedScale(state, 20, { scaleUpMs: 15_000, scaleDownMs: 120_000 }).scaleUpEvents).toEqual([{ replicaChange: 4, timeMs: T }]);
    expect(recordObservedScale(state, 20, { scaleUpMs: 60_000, scaleDownMs: 15_000 }).scaleUpEvents).toHaveLength(2);
  });
});
