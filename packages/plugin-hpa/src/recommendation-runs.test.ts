import { describe, expect, it } from 'vitest';
import type { HpaBehaviorSpec } from './behavior.ts';
import { appendRecommendation, type HpaState, type TimestampedRecommendation } from './hpa-state.ts';
import { recommendHpa } from './recommend.ts';
import { stabilizeDownscale, stabilizeWithBehavior } from './stabilization.ts';
import { decisionInput } from './test-support/decision.ts';
import { NOW_MS, cpuPods } from './test-support/pods.ts';

const TICK_MS = 2_000;

describe('appendRecommendation', () => {
  const runs: TimestampedRecommendation[] = [
    { replicas: 4, timeMs: 10_000 },
    { replicas: 5, timeMs: 12_000 },
  ];
  it.each([
    { name: 'an equal count extends the last run to the new time', replicas: 5, expected: [[4, 10_000], [5, 14_000]] },
    { name: 'a different count starts a run', replicas: 3, expected: [[4, 10_000], [5, 12_000], [3, 14_000]] },
    { name: 'a count equal to an older run (not the last) starts a run', replicas: 4, expected: [[4, 10_000], [5, 12_000], [4, 14_000]] },
  ])('$name', ({ replicas, expected }) => {
    const next = appendRecommendation(runs, replicas, 14_000);
    expect(next.map((r) => [r.replicas, r.timeMs])).toEqual(expected);
    expect(runs).toHaveLength(2);
  });

  it('starts the first run of an empty history', () => {
    expect(appendRecommendation([], 7, 1)).toEqual([{ replicas: 7, timeMs: 1 }]);
  });
});

/** A deterministic pseudo-random sequence (LCG), so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

/** The controller's way: every recommendation kept until it leaves every window. */
function referenceDownscale(history: TimestampedRecommendation[], desired: number, windowMs: number, nowMs: number): number {
  const kept = history.filter((r) => r.timeMs >= nowMs - windowMs);
  history.splice(0, history.length, ...kept, { replicas: desired, timeMs: nowMs });
  return kept.reduce((best, r) => Math.max(best, r.replicas), desired);
}

function referenceWithBehavior(history: TimestampedRecommendation[], current: number, desired: number, upMs: number, downMs: number, nowMs: number): number {
  let lower = desired;
  let upper = desired;
  for (const r of history) {
    if (r.timeMs > nowMs - upMs) lower = Math.min(lower, r.replicas);
    if (r.timeMs > nowMs - downMs) upper = Math.max(upper, r.replicas);
  }
  history.push({ replicas: desired, timeMs: nowMs });
  return Math.min(Math.max(current, lower), upper);
}

// Runs are exact, not an approximation: over long random sequences (with long runs, as real loads have) the
// stabilized counts equal those computed from one entry per decision.
describe('runs give the same stabilized counts as one entry per decision', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('seed %i', (seed) => {
    const next = random(seed);
    const upMs = Math.floor(next() * 4) * 20_000;
    const downMs = (1 + Math.floor(next() * 4)) * 30_000;
    const fullDown: TimestampedRecommendation[] = [];
    const fullBehavior: TimestampedRecommendation[] = [];
    let runsDown: readonly TimestampedRecommendation[] = [];
    let runsBehavior: readonly TimestampedRecommendation[] = [];
    let desired = 5;
    let current = 5;
    let longest = 0;
    for (let tick = 0; tick < 2_000; tick++) {
      const nowMs = NOW_MS + tick * TICK_MS;
      if (next() < 0.1) desired = 1 + Math.floor(next() * 8);
      const expectedDown = referenceDownscale(fullDown, desired, downMs, nowMs);
      const down = stabilizeDownscale(runsDown, desired, downMs, nowMs);
      expect(down.replicas).toBe(expectedDown);
      runsDown = down.recommendations;
      const expectedBehavior = referenceWithBehavior(fullBehavior, current, desired, upMs, downMs, nowMs);
      const behavior = stabilizeWithBehavior(runsBehavior, current, desired, { scaleUpMs: upMs, scaleDownMs: downMs }, nowMs);
      expect(behavior.replicas).toBe(expectedBehavior);
      runsBehavior = behavior.recommendations;
      current = behavior.replicas;
      longest = Math.max(longest, runsDown.length, runsBehavior.length);
    }
    // One entry per decision would keep up to window / tick entries (151 for 300 s at 2 s).
    expect(longest).toBeLessThan(downMs / TICK_MS / 2);
  });
});

interface SteadyCase {
  readonly name: string;
  readonly behavior?: HpaBehaviorSpec;
  /** CPU millicores used by the whole target at tick `i`, shared evenly by its pods (requests are 1000m). */
  readonly load: (tick: number) => number;
  readonly maxEntries: number;
}

/**
 * Decides every 2 s for `ticks` ticks, applying each recommendation at once, and reports the largest state seen
 * and the last one.
 */
function runTicks(c: SteadyCase, ticks: number): { entries: number; events: number; bytes: number; last: HpaState | undefined } {
  let state: HpaState | undefined;
  let current = 4;
  let entries = 0;
  let events = 0;
  let bytes = 0;
  for (let tick = 0; tick < ticks; tick++) {
    const output = recommendHpa(
      decisionInput({
        config: { cpuUtilization: 50, ...(c.behavior ? { behavior: c.behavior } : {}) },
        scaling: { maxReplicas: 100 },
        pods: cpuPods(current, Math.round(c.load(tick) / current)),
        nowMs: NOW_MS + tick * TICK_MS,
        state,
      }),
    );
    state = output.state;
    if (output.recommendation.kind === 'replicas') current = output.recommendation.replicas;
    if (!state) continue;
    entries = Math.max(entries, state.recommendations.length);
    events = Math.max(events, state.scaleUpEvents.length + state.scaleDownEvents.length);
    bytes = Math.max(bytes, JSON.stringify(state).length);
  }
  return { entries, events, bytes, last: state };
}

describe('the state stays small', () => {
  it.each<SteadyCase>([
    { name: 'constant load, no behavior', load: () => 1_200, maxEntries: 2 },
    { name: 'constant load, default behavior', behavior: {}, load: () => 1_200, maxEntries: 2 },
    { name: 'load jittering within the tolerance band', behavior: {}, load: (t) => 1_200 + ((t * 37) % 90), maxEntries: 2 },
    { name: 'a step up at tick 300, then constant', behavior: {}, load: (t) => (t < 300 ? 1_200 : 4_000), maxEntries: 4 },
  ])('$name: 1,000 ticks keep at most $maxEntries recommendation runs, one at the end', ({ maxEntries, ...c }) => {
    const { entries, events, bytes, last } = runTicks({ ...c, maxEntries }, 1_000);
    expect(entries).toBeLessThanOrEqual(maxEntries);
    expect(last?.recommendations).toHaveLength(1);
    // Scale events keep the controller's slots: once the load is steady, at most one per direction is left (the
    // slot the next event of that direction takes), older than every policy period (15 s by default).
    const endMs = NOW_MS + 999 * TICK_MS;
    for (const events of [last?.scaleUpEvents ?? [], last?.scaleDownEvents ?? []]) {
      expect(events.length).toBeLessThanOrEqual(1);
      expect(events.every((e) => e.timeMs < endMs - 15_000)).toBe(true);
    }
    expect(events).toBeLessThanOrEqual(8);
    expect(bytes).toBeLessThan(512);
  });
});
