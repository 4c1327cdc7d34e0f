import { describe, expect, it } from 'vitest';
import { INITIAL_HPA_STATE, pruneScaleEvents, recordObservedScale, type HpaState, type ScaleEvent } from './hpa-state.ts';

const T = 1_000_000;
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
    const next = recordObservedScale(proposed(from, to), current);
    const changes = (events: readonly ScaleEvent[]): number[] => events.map((e) => e.replicaChange);
    expect(changes(next.scaleUpEvents)).toEqual(up);
    expect(changes(next.scaleDownEvents)).toEqual(down);
    expect([...next.scaleUpEvents, ...next.scaleDownEvents].every((e) => e.timeMs === T)).toBe(true);
    expect(next.proposed).toBeUndefined();
  });

  it('keeps the state as it is without a proposal', () => {
    const state: HpaState = { recommendations: [{ replicas: 3, timeMs: T }], scaleUpEvents: [{ replicaChange: 1, timeMs: T }], scaleDownEvents: [] };
    expect(recordObservedScale(state, 7)).toBe(state);
  });

  it('appends to earlier events', () => {
    const state: HpaState = { ...proposed(2, 4), scaleUpEvents: [{ replicaChange: 1, timeMs: T - 5_000 }] };
    expect(recordObservedScale(state, 4).scaleUpEvents).toEqual([
      { replicaChange: 1, timeMs: T - 5_000 },
      { replicaChange: 2, timeMs: T },
    ]);
  });
});

describe('pruneScaleEvents', () => {
  const events: ScaleEvent[] = [
    { replicaChange: 1, timeMs: T - 60_000 },
    { replicaChange: 2, timeMs: T - 59_999 },
    { replicaChange: 3, timeMs: T },
  ];
  it.each([
    { longestMs: 60_000, kept: [2, 3] },
    { longestMs: 120_000, kept: [1, 2, 3] },
    { longestMs: 1, kept: [3] },
    { longestMs: 0, kept: [] },
  ])('keeps events younger than $longestMs ms', ({ longestMs, kept }) => {
    expect(pruneScaleEvents(events, T, longestMs).map((e) => e.replicaChange)).toEqual(kept);
  });
});
