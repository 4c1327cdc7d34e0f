import { describe, expect, it } from 'vitest';
import { requestsTrace } from '../test-support/scenarios.ts';
import { knativeTimePercent } from './rollout-steppers.ts';
import { runRolloutReplay, type RolloutReplayOptions } from './run-rollout.ts';

/** 10 requests a second of 1 s each (10 in flight), for `spanS` seconds. */
function steadyTrace(spanS: number) {
  const requests: Array<[number, number]> = [];
  for (let i = 0; i < spanS * 10; i++) requests.push([i / 10, 1000]);
  return requestsTrace('steady', requests, spanS);
}

const options: RolloutReplayOptions = {
  trace: steadyTrace(480),
  rolloutAtMs: 180_000,
  rolloutDurationMs: 60_000,
  startup: { meanMs: 20_000, jitterMs: 0 },
  podConcurrency: 2,
};

describe('knativeTimePercent', () => {
  it('gives 1 % at once, then equal steps on the clock, 100 % after the last', () => {
    expect([0, 999, 1000, 2000, 49_000, 50_000, 90_000].map((ms) => knativeTimePercent(ms, 60_000))).toEqual([1, 1, 3, 5, 99, 100, 100]);
  });
});

describe('runRolloutReplay', () => {
  it('on a steady load, the capacity-aware rollout never sends the new version a request it has no Ready pod for; the time-based one does', async () => {
    const r = await runRolloutReplay(options);
    const [time, capacity] = r.modes;
    expect(time?.mode).toBe('time');
    expect(capacity?.mode).toBe('capacity');
    // No request finds the new version without a Ready pod; with Knative's time steps requests wait for its pods
    // to start.
    expect(capacity?.coldStarts[1]).toBe(0);
    expect(time?.startupWaits[1]).toBeGreaterThan(0);
    // A share is sized at its mean demand: a burst within it may still queue behind a starting pod, rarely.
    expect(capacity!.startupWaits[1] * 10).toBeLessThanOrEqual(time!.startupWaits[1]);
    for (const m of r.modes) {
      expect(m.doneAtMs).not.toBeNull();
      expect(m.stalled).toBeUndefined();
      // All traffic on v2 at the end: the old version took no request after the rollout was done.
      expect(m.oldAfterDone).toBe(0);
      // Every request in the window went to exactly one version (10 a second).
      expect(m.taken[0] + m.taken[1]).toBe(r.windowMs / 100);
      expect(m.taken[1]).toBeGreaterThan(m.taken[0]);
    }
  });

  it('gives the same figures for the same options', async () => {
    const short = { ...options, trace: steadyTrace(300), rolloutAtMs: 120_000 };
    expect(await runRolloutReplay(short)).toEqual(await runRolloutReplay(short));
  });
});
