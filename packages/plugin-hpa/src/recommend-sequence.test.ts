import { describe, expect, it } from 'vitest';
import type { HpaBehaviorSpec } from './behavior.ts';
import type { HpaConfig } from './hpa-fields.ts';
import type { HpaState } from './hpa-state.ts';
import { recommendHpa } from './recommend.ts';
import { decisionInput } from './test-support/decision.ts';
import { NOW_MS, cpuPods } from './test-support/pods.ts';

interface Run {
  readonly config: Partial<HpaConfig>;
  readonly start: number;
  /** CPU millicores per pod at `t` seconds. */
  readonly load: (t: number) => number;
  readonly untilSeconds: number;
  readonly maxReplicas?: number;
}

/**
 * Runs a decision every 2 s and applies each replica recommendation at once, as the actuator would. Returns the
 * replica count after each decision, by second.
 */
function simulate(run: Run): Map<number, number> {
  let current = run.start;
  let state: HpaState | undefined;
  const replicasAt = new Map<number, number>();
  for (let t = 0; t <= run.untilSeconds; t += 2) {
    const input = decisionInput({
      config: { cpuUtilization: 50, ...run.config },
      scaling: { maxReplicas: run.maxReplicas ?? 100 },
      pods: cpuPods(current, run.load(t)),
      nowMs: NOW_MS + t * 1000,
      state,
    });
    const output = recommendHpa(input);
    state = output.state;
    if (output.recommendation.kind === 'replicas') current = output.recommendation.replicas;
    replicasAt.set(t, current);
  }
  return replicasAt;
}

const at = (replicas: Map<number, number>, seconds: number[]): (number | undefined)[] => seconds.map((s) => replicas.get(s));

describe('recommendHpa over time', () => {
  it.each<{ name: string; run: Run; seconds: number[]; expected: number[] }>([
    {
      name: 'without a behavior, a scale-down waits until the 300 s window holds no higher recommendation',
      run: { config: {}, start: 4, load: (t: number) => (t < 60 ? 500 : 100), untilSeconds: 362 },
      // The last recommendation of 4 was made at 58 s; without a behavior it still counts when exactly 300 s old.
      seconds: [0, 58, 60, 300, 358, 360],
      expected: [4, 4, 4, 4, 4, 1],
    },
    {
      name: 'a Pods policy of 1 per 30 s steps the count down',
      run: { config: { behavior: { scaleDown: { stabilizationWindowSeconds: 0, policies: [{ type: 'Pods', value: 1, periodSeconds: 30 }] } } }, start: 6, load: () => 100, untilSeconds: 150 },
      seconds: [0, 28, 30, 58, 60, 90, 120, 150],
      expected: [5, 5, 4, 4, 3, 2, 1, 1],
    },
    {
      name: 'a Percent policy of 50 % per 60 s halves the count per period',
      run: { config: { behavior: { scaleDown: { stabilizationWindowSeconds: 0, policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }] } } }, start: 8, load: () => 0, untilSeconds: 130 },
      seconds: [0, 58, 60, 118, 120],
      expected: [4, 4, 2, 2, 1],
    },
    {
      name: 'the default scale-up policies add 4 pods or 100 % per 15 s, whichever is more',
      run: { config: { behavior: {} }, start: 2, load: () => 5000, untilSeconds: 34 },
      seconds: [0, 14, 16, 30, 32],
      expected: [6, 6, 12, 12, 24],
    },
    {
      name: 'a scale-up stabilization window of 60 s waits until the lower recommendations are a minute old',
      run: {
        config: { behavior: { scaleUp: { stabilizationWindowSeconds: 60, policies: [{ type: 'Percent', value: 1000, periodSeconds: 15 }] } } },
        start: 2,
        load: (t: number) => (t < 10 ? 500 : 2000),
        untilSeconds: 70,
      },
      seconds: [0, 8, 10, 66, 68],
      expected: [2, 2, 2, 2, 8],
    },
    {
      name: 'the default scale-down window of a behavior is 300 s',
      run: { config: { behavior: {} }, start: 4, load: (t: number) => (t < 10 ? 500 : 100), untilSeconds: 312 },
      // The last recommendation of 4 was made at 8 s; with a behavior it stops counting when exactly 300 s old.
      seconds: [10, 306, 308],
      expected: [4, 4, 1],
    },
    {
      name: 'selectPolicy Min picks the smaller of two scale-up policies',
      run: {
        config: { behavior: { scaleUp: { selectPolicy: 'Min', policies: [{ type: 'Pods', value: 1, periodSeconds: 10 }, { type: 'Percent', value: 100, periodSeconds: 10 }] } } },
        start: 2,
        load: () => 5000,
        untilSeconds: 22,
      },
      seconds: [0, 8, 10, 20],
      expected: [3, 3, 4, 5],
    },
    {
      name: 'a Knative-style window of 30 s on both directions',
      run: { config: { behavior: { scaleUp: { stabilizationWindowSeconds: 30 }, scaleDown: { stabilizationWindowSeconds: 30 } } satisfies HpaBehaviorSpec }, start: 4, load: (t: number) => (t < 20 ? 500 : 100), untilSeconds: 52 },
      seconds: [20, 46, 48],
      expected: [4, 4, 1],
    },
  ])('$name', ({ run, seconds, expected }) => {
    expect(at(simulate(run), seconds)).toEqual(expected);
  });
});

describe('scale events come from what actually happened', () => {
  const behavior: HpaBehaviorSpec = {};
  const first = recommendHpa(decisionInput({ config: { cpuUtilization: 50, behavior }, pods: cpuPods(4, 900) }));

  it('the first decision proposes 4 -> 8', () => {
    expect(first.recommendation).toMatchObject({ kind: 'replicas', replicas: 8 });
    expect(first.state?.proposed).toEqual({ fromReplicas: 4, toReplicas: 8, timeMs: NOW_MS });
  });

  it.each([
    { name: 'applied as asked', current: 8, up: [{ replicaChange: 4, timeMs: NOW_MS }] },
    { name: 'overridden upwards by another policy: only the asked part counts', current: 10, up: [{ replicaChange: 4, timeMs: NOW_MS }] },
    { name: 'applied in part', current: 6, up: [{ replicaChange: 2, timeMs: NOW_MS }] },
    { name: 'not applied', current: 4, up: [] },
    { name: 'moved the other way by someone else', current: 3, up: [] },
  ])('$name', ({ current, up }) => {
    const next = recommendHpa(decisionInput({ config: { cpuUtilization: 50, behavior }, pods: cpuPods(current, 500), state: first.state, nowMs: NOW_MS + 2_000 }));
    expect(next.state?.scaleUpEvents).toEqual(up);
    expect(next.state?.scaleDownEvents).toEqual([]);
  });

  it('without a behavior no change is proposed or recorded', () => {
    const output = recommendHpa(decisionInput({ config: { cpuUtilization: 50 }, pods: cpuPods(4, 900) }));
    expect(output.recommendation).toMatchObject({ replicas: 8 });
    expect(output.state?.proposed).toBeUndefined();
  });

  it('stores an observed change in the slot of the last event older than its direction\'s longest period', () => {
    const state: HpaState = {
      recommendations: [],
      scaleUpEvents: [
        { replicaChange: 3, timeMs: NOW_MS - 25_000 },
        { replicaChange: 2, timeMs: NOW_MS - 20_000 },
        { replicaChange: 1, timeMs: NOW_MS - 10_000 },
      ],
      scaleDownEvents: [{ replicaChange: 1, timeMs: NOW_MS - 15_000 }],
      proposed: { fromReplicas: 4, toReplicas: 6, timeMs: NOW_MS - 2_000 },
    };
    const output = recommendHpa(decisionInput({ config: { cpuUtilization: 50, behavior }, pods: cpuPods(6, 500), state }));
    expect(output.state?.scaleUpEvents).toEqual([
      // Dated at the proposal (2 s ago): both events more than 15 s older are outdated, the last one's slot is reused.
      { replicaChange: 3, timeMs: NOW_MS - 25_000, outdated: true },
      { replicaChange: 2, timeMs: NOW_MS - 2_000 },
      { replicaChange: 1, timeMs: NOW_MS - 10_000 },
    ]);
    expect(output.state?.scaleDownEvents).toEqual([{ replicaChange: 1, timeMs: NOW_MS - 15_000 }]);
  });
});
