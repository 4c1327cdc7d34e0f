import { describe, expect, it } from 'vitest';
import { podsForShare } from './capacity-step.ts';
import { progressRollout, type RolloutProgressInput, type VersionView } from './rollout-progress.ts';
import type { RolloutState } from './rollout-state.ts';

const V1 = 'shop/coffee-v1';
const V2 = 'shop/coffee-v2';
const T0 = 1_000_000;
const config = { durationMs: 20_000, maxSurgePods: 0, progressDeadlineMs: 30_000 };
const version = (readyPods: number, inFlight = 0, specPods = readyPods): VersionView => ({ readyPods, specPods, perPod: 10, inFlight });

function input(over: Partial<RolloutProgressInput>): RolloutProgressInput {
  return { nowMs: T0, config, declared: { [V1]: 0, [V2]: 100 }, state: { current: { [V1]: 100, [V2]: 0 } }, versions: new Map([[V1, version(10, 100)], [V2, version(0)]]), ...over };
}

describe('progressRollout', () => {
  it.each([
    ['no rollout-duration: no state, weights at once', { config: { ...config, durationMs: 0 } }, undefined],
    ['no state yet: the declared split is the effective one', { state: undefined }, { current: { [V1]: 0, [V2]: 100 } }],
    ['nothing changed: steady', { declared: { [V1]: 100, [V2]: 0 } }, { current: { [V1]: 100, [V2]: 0 } }],
  ])('%s', (_, over, state) => {
    expect(progressRollout(input(over)).state).toEqual(state);
  });

  it('starts a rollout from the effective split and prepares the receiver for its first 1 % before giving it any', () => {
    const p = progressRollout(input({}));
    expect(p.events.map((e) => e.reason)).toEqual(['RolloutStarted']);
    expect(p.state).toMatchObject({ current: { [V1]: 100, [V2]: 0 }, to: { [V1]: 0, [V2]: 100 }, from: { [V1]: 100, [V2]: 0 }, receiver: V2, step: 0, prePods: 10, preparingSinceMs: T0, floors: { [V2]: 1, [V1]: 10 } });
  });

  it('takes the step once the receiver has the Ready pods, then waits for the next time step', () => {
    const started = progressRollout(input({})).state;
    const stepped = progressRollout(input({ state: started, nowMs: T0 + 500, versions: new Map([[V1, version(10, 100)], [V2, version(1)]]) }));
    expect(stepped.state).toMatchObject({ current: { [V1]: 99, [V2]: 1 }, step: 1 });
    expect(stepped.events.map((e) => e.reason)).toEqual(['RolloutStep']);
    const waiting = progressRollout(input({ state: stepped.state, nowMs: T0 + 600, versions: new Map([[V1, version(10, 100)], [V2, version(1)]]) }));
    expect(waiting.state?.current).toEqual({ [V1]: 99, [V2]: 1 });
    expect(waiting.events).toEqual([]);
  });

  it('goes all the way with the autoscaler following the floors, never giving the receiver a share without Ready pods', () => {
    let state: RolloutState | undefined = { current: { [V1]: 100, [V2]: 0 } };
    let ready = { [V1]: 10, [V2]: 0 };
    let now = T0;
    for (let i = 0; i < 400 && state?.to !== undefined || i === 0; i++) {
      const p = progressRollout(input({ state, nowMs: now, versions: new Map([[V1, version(ready[V1], 50)], [V2, version(ready[V2], 50)]]) }));
      state = p.state;
      expect(ready[V2]).toBeGreaterThanOrEqual(podsForShare(100, state?.current[V2] ?? 0, 10));
      ready = { [V1]: state?.floors?.[V1] ?? ready[V1], [V2]: state?.floors?.[V2] ?? ready[V2] };
      now += 500;
    }
    expect(state).toEqual({ current: { [V1]: 0, [V2]: 100 } });
  });

  it('stops where it is when the receiver gets no Ready pods within the deadline, and stays stopped', () => {
    const started = progressRollout(input({})).state;
    const stalled = progressRollout(input({ state: started, nowMs: T0 + 31_000 }));
    expect(stalled.state).toMatchObject({ current: { [V1]: 100, [V2]: 0 }, stalled: true });
    expect(stalled.events.map((e) => [e.type, e.reason])).toEqual([['Warning', 'RolloutStalled']]);
    expect(progressRollout(input({ state: stalled.state, nowMs: T0 + 60_000, versions: new Map([[V1, version(10, 100)], [V2, version(5)]]) })).state).toBe(stalled.state);
  });

  it('rolls back at once to the split before the rollout; a new change mid-rollout starts from the effective split', () => {
    const mid: RolloutState = { current: { [V1]: 60, [V2]: 40 }, to: { [V1]: 0, [V2]: 100 }, from: { [V1]: 100, [V2]: 0 }, receiver: V2, step: 4, stepPercent: 10, stepMs: 2000, nextStepAtMs: T0 + 1000 };
    const back = progressRollout(input({ state: mid, declared: { [V1]: 100, [V2]: 0 } }));
    expect(back.state).toEqual({ current: { [V1]: 100, [V2]: 0 } });
    expect(back.events.map((e) => e.reason)).toEqual(['RolloutRolledBack']);
    const other = progressRollout(input({ state: mid, declared: { [V1]: 20, [V2]: 80 }, versions: new Map([[V1, version(6, 100)], [V2, version(4, 0)]]) }));
    expect(other.state).toMatchObject({ current: { [V1]: 60, [V2]: 40 }, from: { [V1]: 60, [V2]: 40 }, to: { [V1]: 20, [V2]: 80 }, step: 0 });
  });

  it('keeps the pods of both versions within the surge budget', () => {
    const tight = { ...config, maxSurgePods: 1 };
    let state = progressRollout(input({ config: tight })).state;
    let ready = { [V1]: 10, [V2]: 0 };
    for (let i = 0; i < 400 && state?.to !== undefined; i++) {
      state = progressRollout(input({ config: tight, state, nowMs: T0 + i * 500, versions: new Map([[V1, version(ready[V1], 50)], [V2, version(ready[V2], 50)]]) })).state;
      ready = { [V1]: state?.floors?.[V1] ?? ready[V1], [V2]: state?.floors?.[V2] ?? ready[V2] };
      expect(ready[V1] + ready[V2]).toBeLessThanOrEqual(11);
    }
    expect(state?.current).toEqual({ [V1]: 0, [V2]: 100 });
  });
});
