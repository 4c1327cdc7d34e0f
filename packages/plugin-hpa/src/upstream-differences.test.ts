import { describe, expect, it } from 'vitest';
import type { ScalingConfig } from '@ebb/core';
import type { HpaBehaviorSpec } from './behavior.ts';
import type { HpaState } from './hpa-state.ts';
import type { PodSample } from './pod-metrics-snapshot.ts';
import { recommendHpa } from './recommend.ts';
import { decisionInput } from './test-support/decision.ts';
import { NOW_MS, cpuPods, pod } from './test-support/pods.ts';

/** One decision of a sequence: seconds after the start, the pods (current = their number) and the expected count. */
interface Step {
  readonly atSeconds: number;
  readonly pods: readonly PodSample[];
  readonly want: number;
}

interface SequenceCase {
  readonly name: string;
  readonly behavior: HpaBehaviorSpec;
  readonly scaling: Partial<ScalingConfig>;
  readonly steps: readonly Step[];
}

/** Runs the steps in order with the state carried over, as the scaler does; returns each recommended count. */
function run(c: SequenceCase): number[] {
  let state: HpaState | undefined;
  return c.steps.map((step) => {
    const input = decisionInput({ config: { cpuUtilization: 50, behavior: c.behavior }, scaling: c.scaling, pods: step.pods, nowMs: NOW_MS + step.atSeconds * 1000, state });
    const output = recommendHpa(input);
    state = output.state;
    return output.recommendation.kind === 'replicas' ? output.recommendation.replicas : -1;
  });
}

// Reproducers of the differences found against the controller (horizontal.go); each `want` is the controller's.
describe('scale events as the controller stores them', () => {
  it.each<SequenceCase>([
    {
      name: 'a change to min-replicas is a scale event: min 2, 2 pods / 60 s, 1 -> 2, then 15 s later the load wants 10 -> 3',
      behavior: { scaleUp: { policies: [{ type: 'Pods', value: 2, periodSeconds: 60 }] } },
      scaling: { minReplicas: 2 },
      steps: [
        { atSeconds: 0, pods: cpuPods(1, 900), want: 2 },
        // 2 pods at 250 % of their request against 50 %: ceil(5 x 2) = 10; the period began at 1 pod -> 1 + 2 = 3.
        { atSeconds: 15, pods: cpuPods(2, 2500), want: 3 },
      ],
    },
    {
      name: 'a change to max-replicas is a scale event: max 10, 2 pods / 60 s down, 12 -> 10, then 15 s later the load wants 1 -> 10',
      behavior: { scaleDown: { stabilizationWindowSeconds: 0, policies: [{ type: 'Pods', value: 2, periodSeconds: 60 }] } },
      scaling: { maxReplicas: 10 },
      steps: [
        { atSeconds: 0, pods: cpuPods(12, 500), want: 10 },
        // The period began at 12 pods -> 12 - 2 = 10: no further scale-down yet.
        { atSeconds: 15, pods: cpuPods(10, 50), want: 10 },
        { atSeconds: 61, pods: cpuPods(10, 50), want: 8 },
      ],
    },
    {
      name: 'a stored scale-up event takes the slot of one older than the scale-up periods: 10 -> 16 -> 20, then 13 % -> 15',
      behavior: { scaleDown: { stabilizationWindowSeconds: 0, policies: [{ type: 'Pods', value: 1, periodSeconds: 120 }] } },
      scaling: { maxReplicas: 100 },
      steps: [
        { atSeconds: 0, pods: cpuPods(10, 800), want: 16 },
        { atSeconds: 30, pods: cpuPods(16, 600), want: 20 },
        // Only the +4 of 30 s ago counts in the 120 s period (the +6 of 0 s gave its slot): 20 - 4 = 16 -> 15.
        { atSeconds: 45, pods: cpuPods(20, 130), want: 15 },
      ],
    },
  ])('$name', (c) => {
    expect(run(c)).toEqual(c.steps.map((s) => s.want));
  });
});

describe('pods that count, and a reason that says why', () => {
  const recent = { startTimeMs: NOW_MS - 60_000, readyTransitionMs: NOW_MS - 30_000 };
  const old = { startTimeMs: NOW_MS - 3_600_000, readyTransitionMs: NOW_MS - 60_000 };
  const usage = { cpuMilli: 900, memoryBytes: 1, windowMs: 30_000, timestampMs: NOW_MS - 5_000 };
  it.each<{ name: string; pods: PodSample[]; current: number; proposed?: number; want: number; reason: string }>([
    {
      name: 'Succeeded pods are left out like Failed ones: 100/300/500/250/250m of 1000m plus 2 Succeeded, target 50 % -> 3',
      pods: [...[100, 300, 500, 250, 250].map((m, i) => pod(`p${i}`, { usage: { ...usage, cpuMilli: m } })), pod('done-0', { phase: 'Succeeded' as const }), pod('done-1', { phase: 'Succeeded' as const })],
      current: 5,
      // The replica calculator proposes 3; a first decision is stabilized at the current count, as in the controller.
      proposed: 3,
      want: 5,
      reason: 'all metrics below target (cpu utilization 28%, target 50%) (5 ready, 2 ignored pods): 3 replicas, stabilized to 5',
    },
    {
      name: 'Ready=Unknown counts as ready: 2 pods at 90 % -> 4',
      pods: [pod('a', { usage }), pod('b', { ...old, ready: false, readyStatus: 'Unknown' as const, usage })],
      current: 2,
      want: 4,
      reason: 'cpu utilization 90% above target 50% (2 ready pods): 4 replicas',
    },
    {
      name: 'Ready=False while initializing: counted as idle on the way up, which keeps the count, and the reason says so',
      pods: [pod('a', { usage }), pod('b', { ...recent, ready: false, readyStatus: 'False' as const, usage })],
      current: 2,
      want: 2,
      reason: 'cpu utilization 90% above target 50%, but 45% with 1 unready pod counted as idle (1 ready, 1 unready pods): 2 replicas',
    },
    {
      name: 'within the band the count stays and is near the target',
      pods: [pod('a', { usage: { ...usage, cpuMilli: 520 } }), pod('b', { usage: { ...usage, cpuMilli: 520 } })],
      current: 2,
      want: 2,
      reason: 'cpu utilization 52% near target 50% (2 ready pods): 2 replicas',
    },
    {
      name: 'a pod without metrics counted as busy keeps the count on the way down',
      pods: [pod('a', { usage: { ...usage, cpuMilli: 400 } }), pod('b', { usage: undefined })],
      current: 2,
      want: 2,
      reason: 'cpu utilization 40% below target 50%, but 70% with 1 pod without metrics counted as busy (1 ready, 1 without metrics pods): 2 replicas',
    },
    {
      name: 'missing and unready pods on the way up: both counted as idle',
      pods: [pod('a', { usage: { ...usage, cpuMilli: 1000 } }), pod('b', { ...recent, ready: false, readyStatus: 'False' as const, usage }), pod('c', { usage: undefined }), pod('d', { usage: undefined })],
      current: 4,
      want: 4,
      reason: 'cpu utilization 100% above target 50%, but 25% with 1 unready pod and 2 pods without metrics counted as idle (1 ready, 1 unready, 2 without metrics pods): 4 replicas',
    },
  ])('$name', ({ pods, current, proposed, want, reason }) => {
    const output = recommendHpa(decisionInput({ config: { cpuUtilization: 50 }, pods, current }));
    expect(output.recommendation).toMatchObject({ kind: 'replicas', replicas: want, reason, details: { proposed: proposed ?? want } });
  });
});
