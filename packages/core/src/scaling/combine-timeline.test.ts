import { describe, expect, it } from 'vitest';
import { ManualClock } from '../contracts/clock.ts';
import type { ScalingConfig } from '../contracts/scaling.ts';
import { combine } from './combine.ts';
import { recs, scalingConfig, type Answer } from './test-support/combine-fixtures.ts';

type Answers = readonly Answer[];
/** One decision: at `s` seconds after the start, with these answers; `current` overrides the actuated count. */
interface Tick {
  readonly s: number;
  readonly answers: Answers;
  readonly current?: number;
  readonly scaling?: Partial<ScalingConfig>;
}

/**
 * Runs decisions on a ManualClock. The cluster follows each decision at once (current = previous desired)
 * unless a tick says otherwise. Returns `desired` per tick and the steps applied.
 */
function run(base: Partial<ScalingConfig>, startReplicas: number, ticks: readonly Tick[]): { desired: number[]; applied: string[][] } {
  const clock = new ManualClock();
  const start = clock.now();
  let current = startReplicas;
  let state: unknown;
  const desired: number[] = [];
  const applied: string[][] = [];
  for (const tick of ticks) {
    clock.advanceTo(start + tick.s * 1000);
    current = tick.current ?? current;
    const r = combine({ recommendations: recs(...tick.answers), scaling: scalingConfig({ ...base, ...tick.scaling }), currentReplicas: current, nowMs: clock.now(), state });
    state = r.state;
    current = r.desired;
    desired.push(r.desired);
    applied.push([...r.applied]);
  }
  return { desired, applied };
}

/** Ticks every 2 s from `from` to `to` seconds inclusive with the same answers. */
function every2s(from: number, to: number, ...answers: Answers): Tick[] {
  return Array.from({ length: Math.floor((to - from) / 2) + 1 }, (_, i) => ({ s: from + 2 * i, answers }));
}

describe('scale-down delay (Knative: the max desired count over the delay window)', () => {
  it.each([
    // delay, then: 10 at t=0, 2 afterwards. Scale down exactly `delay` after the last 10.
    [0, [10, 2, 2, 2]],
    [4, [10, 10, 2, 2]],
    [6, [10, 10, 10, 2]],
    [8, [10, 10, 10, 10]],
  ])('delay %ds: 10 then 2 every 2 s -> %j', (delayS, expected) => {
    const { desired } = run({ scaleDownDelayMs: delayS * 1000 }, 1, [{ s: 0, answers: [10] }, ...every2s(2, 6, 2)]);
    expect(desired).toEqual(expected);
  });

  it('steps down through intermediate values as each one ages out', () => {
    // 60 s delay. 10 at 0 s, 6 at 20 s, 3 at 40 s, then 1: 10 until 58 s, 6 until 78 s, 3 until 98 s, then 1.
    const ticks: Tick[] = [{ s: 0, answers: [10] }, ...every2s(2, 18, 1), { s: 20, answers: [6] }, ...every2s(22, 38, 1), { s: 40, answers: [3] }, ...every2s(42, 120, 1)];
    const { desired } = run({ scaleDownDelayMs: 60_000 }, 10, ticks);
    const at = (s: number): number | undefined => desired[ticks.findIndex((t) => t.s === s)];
    expect([at(58), at(60), at(78), at(80), at(98), at(100)]).toEqual([10, 6, 6, 3, 3, 1]);
  });

  it('never delays a scale-up', () => {
    const { desired, applied } = run({ scaleDownDelayMs: 60_000 }, 1, [{ s: 0, answers: [2] }, { s: 2, answers: [9] }]);
    expect(desired).toEqual([2, 9]);
    expect(applied).toEqual([[], []]);
  });

  it('names the step while it holds', () => {
    const { applied } = run({ scaleDownDelayMs: 10_000 }, 1, [{ s: 0, answers: [5] }, { s: 2, answers: [1] }, { s: 10, answers: [1] }]);
    expect(applied).toEqual([[], ['scale-down-delay'], []]);
  });

  it.each([
    ['shortened: takes effect at once', 60, 10, [8, 8, 1]],
    ['removed: takes effect at once', 60, 0, [8, 8, 1]],
    ['lengthened: covers what the shorter delay still held', 10, 60, [8, 8, 8]],
  ])('a changed delay %s', (_name, beforeS, afterS, expected) => {
    // 8 at 0 s, 1 at 6 s (held by either delay), then at 12 s the delay changes.
    const { desired } = run({ scaleDownDelayMs: beforeS * 1000 }, 1, [
      { s: 0, answers: [8] },
      { s: 6, answers: [1] },
      { s: 12, answers: [1], scaling: { scaleDownDelayMs: afterS * 1000 } },
    ]);
    expect(desired).toEqual(expected);
  });

  it('caps a held value when max-replicas is lowered', () => {
    const { desired, applied } = run({ scaleDownDelayMs: 60_000 }, 1, [{ s: 0, answers: [20] }, { s: 2, answers: [3], scaling: { maxReplicas: 10 } }]);
    expect(desired).toEqual([20, 10]);
    expect(applied[1]).toEqual(['scale-down-delay']);
  });
});

describe('scale to zero over time (grace period and pod retention)', () => {
  it.each([
    // grace, retention, first tick at which zero is allowed (last non-zero decision at 0 s)
    [30, 0, 30],
    [6, 0, 6],
    [30, 60, 60],
    [30, 10, 30],
  ])('grace %ds, retention %ds: one pod until %ds, then zero', (graceS, retentionS, zeroAtS) => {
    const ticks: Tick[] = [{ s: 0, answers: [3] }, ...every2s(2, 80, 0)];
    const { desired } = run({ scaleToZeroGracePeriodMs: graceS * 1000, scaleToZeroPodRetentionMs: retentionS * 1000 }, 3, ticks);
    ticks.forEach((t, i) => expect([t.s, desired[i]]).toEqual([t.s, t.s === 0 ? 3 : t.s < zeroAtS ? 1 : 0]));
  });

  it('names the rule that holds the last pod', () => {
    const grace = run({ scaleToZeroGracePeriodMs: 30_000, scaleToZeroPodRetentionMs: 10_000 }, 3, [{ s: 0, answers: [3] }, { s: 2, answers: [0] }]);
    const retention = run({ scaleToZeroGracePeriodMs: 30_000, scaleToZeroPodRetentionMs: 60_000 }, 3, [{ s: 0, answers: [3] }, { s: 2, answers: [0] }]);
    expect([grace.applied[1], retention.applied[1]]).toEqual([['scale-to-zero-grace'], ['pod-retention']]);
  });

  it('restarts the grace period when traffic comes back', () => {
    const ticks: Tick[] = [{ s: 0, answers: [2] }, ...every2s(2, 20, 0), { s: 22, answers: [1] }, ...every2s(24, 60, 0)];
    const { desired } = run({ scaleToZeroGracePeriodMs: 30_000 }, 2, ticks);
    const at = (s: number): number | undefined => desired[ticks.findIndex((t) => t.s === s)];
    expect([at(20), at(22), at(50), at(52)]).toEqual([1, 1, 1, 0]);
  });

  it('counts the grace period from the first decision seen when it already wants zero (after a restart)', () => {
    const { desired } = run({ scaleToZeroGracePeriodMs: 10_000 }, 4, every2s(100, 112, 0));
    expect(desired).toEqual([1, 1, 1, 1, 1, 0, 0]);
  });

  it('waits for the scale-down delay first, then the grace period', () => {
    // delay 20 s after the last 5 (at 0 s): the value reaches 0 at 20 s; the last non-zero decision was at 18 s.
    const ticks: Tick[] = [{ s: 0, answers: [5] }, ...every2s(2, 60, 0)];
    const { desired } = run({ scaleDownDelayMs: 20_000, scaleToZeroGracePeriodMs: 10_000 }, 5, ticks);
    const at = (s: number): number | undefined => desired[ticks.findIndex((t) => t.s === s)];
    expect([at(18), at(20), at(26), at(28)]).toEqual([5, 1, 1, 0]);
  });

  it('never reaches zero while a plugin has no data', () => {
    const { desired } = run({ scaleToZeroGracePeriodMs: 6_000 }, 2, [{ s: 0, answers: [2] }, ...every2s(2, 60, 0, '?')]);
    expect(new Set(desired)).toEqual(new Set([2]));
  });

  it('comes back from zero with the activation count, then follows the policies', () => {
    const { desired, applied } = run({ activationReplicas: 3, scaleToZeroGracePeriodMs: 6_000 }, 0, [
      { s: 0, answers: [0] },
      { s: 2, answers: [1] },
      { s: 4, answers: [1] },
    ]);
    expect(desired).toEqual([0, 3, 1]);
    expect(applied).toEqual([[], ['activation'], []]);
  });
});
