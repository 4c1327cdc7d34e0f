import { describe, expect, it } from 'vitest';
import { decideRolloutStep, podsForShare, type RolloutStepInput } from './capacity-step.ts';

const T0 = 1_000_000;

/** v1 -> v2 with 100 in flight, 10 per pod each, 10 % steps every 6 s, v2 at 10 % now; the next step is due. */
function input(over: Partial<RolloutStepInput> = {}): RolloutStepInput {
  return {
    nowMs: T0,
    receiverPercent: 10,
    goalPercent: 100,
    totalPercent: 100,
    stepPercent: 10,
    stepMs: 6000,
    nextStepMs: T0,
    demand: 100,
    receiver: { readyPods: 1, perPod: 10 },
    giver: { readyPods: 9, perPod: 10 },
    progressDeadlineMs: 120_000,
    ...over,
  };
}

describe('podsForShare', () => {
  it.each([
    [100, 20, 10, 2],
    [40, 30, 5, 3],
    [0, 50, 10, 1],
    [100, 0, 10, 0],
    [101, 100, 10, 11],
  ])('demand %d, %d %%, %d per pod -> %d pods', (demand, percent, perPod, pods) => {
    expect(podsForShare(demand, percent, perPod)).toBe(pods);
  });
});

describe('decideRolloutStep', () => {
  it('waits for the time step, holding both versions at the capacity of their shares', () => {
    expect(decideRolloutStep(input({ nextStepMs: T0 + 2000 }))).toEqual({ kind: 'wait', percent: 10, atMs: T0 + 2000, floors: { receiverPods: 1, giverPods: 9 } });
  });

  it('prepares the receiver before it gets its next share, and the giver keeps its pods meanwhile', () => {
    expect(decideRolloutStep(input())).toMatchObject({ kind: 'prepare', percent: 10, towardPercent: 20, sinceMs: T0, floors: { receiverPods: 2, giverPods: 9 } });
  });

  it('advances once the receiver has the Ready pods; the giver floor falls with its share', () => {
    const d = decideRolloutStep(input({ receiver: { readyPods: 2, perPod: 10 }, preparingSinceMs: T0 - 3000 }));
    expect(d).toEqual({ kind: 'advance', percent: 20, nextStepMs: T0 + 6000, floors: { receiverPods: 2, giverPods: 8 } });
  });

  it('never gives the receiver a share without the Ready pods for it, whatever the clock says', () => {
    for (let ready = 0; ready <= 10; ready++) {
      const d = decideRolloutStep(input({ receiver: { readyPods: ready, perPod: 10 }, receiverPercent: 40, nowMs: T0 + 60_000 }));
      const share = d.percent;
      expect(ready >= podsForShare(100, share, 10) || share === 40).toBe(true);
    }
  });

  it('stops the rollout where it is when the receiver does not get Ready pods within the deadline', () => {
    const d = decideRolloutStep(input({ receiver: { readyPods: 1, perPod: 10 }, preparingSinceMs: T0 - 121_000 }));
    expect(d).toMatchObject({ kind: 'stalled', percent: 10, floors: { receiverPods: 1, giverPods: 9 } });
    expect(d.kind === 'stalled' && d.reason).toMatch(/1 Ready pods; 20 % of 100 in flight needs 2 \(waited 121 s\)/);
  });

  it.each([
    ['a budget of 1 pod shrinks a 30 % step to the 10 % one more pod carries', 1, 9, { kind: 'prepare', towardPercent: 20, floors: { receiverPods: 2, giverPods: 9 } }],
    ['a budget of 3 lets the whole 30 % step through', 3, 9, { kind: 'prepare', towardPercent: 40, floors: { receiverPods: 4, giverPods: 9 } }],
    ['a giver still above its floor uses the budget: wait for it to scale down', 1, 10, { kind: 'prepare', towardPercent: 10, floors: { receiverPods: 1, giverPods: 9 } }],
  ])('%s', (_, maxSurgePods, giverReady, expected) => {
    const d = decideRolloutStep(input({ stepPercent: 30, budget: { prePods: 10, maxSurgePods }, giver: { readyPods: giverReady, perPod: 10 } }));
    expect(d).toMatchObject(expected);
    expect(d.floors.receiverPods + Math.max(d.floors.giverPods, giverReady)).toBeLessThanOrEqual(10 + maxSurgePods);
  });

  it('goes through a whole rollout within a 1-pod budget, never above it, never without capacity', () => {
    let percent = 1;
    let receiverReady = 1;
    let giverReady = 10;
    let now = T0;
    let next = T0;
    let since: number | undefined;
    for (let i = 0; i < 200 && percent < 100; i++) {
      const d = decideRolloutStep(input({ nowMs: now, receiverPercent: percent, nextStepMs: next, receiver: { readyPods: receiverReady, perPod: 10 }, giver: { readyPods: giverReady, perPod: 10 }, budget: { prePods: 10, maxSurgePods: 1 }, ...(since !== undefined ? { preparingSinceMs: since } : {}) }));
      expect(d.kind).not.toBe('stalled');
      expect(receiverReady).toBeGreaterThanOrEqual(podsForShare(100, d.percent, 10));
      percent = d.percent;
      since = d.kind === 'prepare' ? d.sinceMs : undefined;
      if (d.kind === 'advance') next = d.nextStepMs;
      // The autoscaler follows the floors one tick later: each version at exactly its floor.
      receiverReady = d.floors.receiverPods;
      giverReady = d.floors.giverPods;
      expect(receiverReady + giverReady).toBeLessThanOrEqual(11);
      now += 2000;
    }
    expect(percent).toBe(100);
    expect(giverReady).toBe(0);
  });

  it('moves traffic back at once on a rollback (a goal below the receiver share)', () => {
    expect(decideRolloutStep(input({ receiverPercent: 60, goalPercent: 0, nextStepMs: T0 + 5000 }))).toEqual({ kind: 'done', percent: 0, floors: { receiverPods: 0, giverPods: 10 } });
  });
});
