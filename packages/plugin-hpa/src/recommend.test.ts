import { describe, expect, it } from 'vitest';
import type { HpaState } from './hpa-state.ts';
import type { PodRequests } from './pod-metrics-snapshot.ts';
import { recommendHpa } from './recommend.ts';
import { decisionInput, type DecisionSetup } from './test-support/decision.ts';
import { NOW_MS, cpuPods, pod } from './test-support/pods.ts';

const Mi = 1024 * 1024;
const oldState = (replicas: number): HpaState => ({ recommendations: [{ replicas, timeMs: NOW_MS - 400_000 }], scaleUpEvents: [], scaleDownEvents: [] });
const memoryPods = (n: number, memoryBytes: number, requests: PodRequests = { cpuMilli: 1000, memoryBytes: 1024 * Mi }) =>
  Array.from({ length: n }, (_, i) =>
    pod(`m${i}`, { requests, usage: { cpuMilli: 500, memoryBytes, windowMs: 30_000, timestampMs: NOW_MS - 5_000 } }),
  );

interface Case {
  readonly name: string;
  readonly setup: DecisionSetup;
  readonly kind: 'replicas' | 'no-data' | 'no-opinion';
  readonly replicas?: number;
  readonly reason: string;
}

const cases: Case[] = [
  { name: 'scale up on CPU utilization', setup: { config: { cpuUtilization: 50 }, pods: cpuPods(4, 900) }, kind: 'replicas', replicas: 8, reason: 'cpu utilization 90% above target 50% (4 ready pods): 8 replicas' },
  { name: 'max-replicas clamps a scale-up', setup: { config: { cpuUtilization: 10 }, scaling: { maxReplicas: 6 }, pods: cpuPods(4, 1000) }, kind: 'replicas', replicas: 6, reason: 'limited to 6 (TooManyReplicas)' },
  { name: 'without a behavior a scale-up at most doubles (at least 4)', setup: { config: { cpuUtilization: 20 }, pods: cpuPods(2, 1000) }, kind: 'replicas', replicas: 4, reason: '10 replicas, limited to 4 (ScaleUpLimit)' },
  { name: 'an unbounded max-replicas leaves only the scale-up limit', setup: { config: { cpuUtilization: 10 }, scaling: { maxReplicas: 0 }, pods: cpuPods(10, 1000) }, kind: 'replicas', replicas: 20, reason: '100 replicas, limited to 20 (ScaleUpLimit)' },
  { name: 'the first scale-down is held by the initial recommendation', setup: { config: { cpuUtilization: 50 }, pods: cpuPods(4, 100) }, kind: 'replicas', replicas: 4, reason: 'all metrics below target (cpu utilization 10%, target 50%) (4 ready pods): 1 replicas, stabilized to 4' },
  { name: 'scale down once older recommendations left the window', setup: { config: { cpuUtilization: 50 }, pods: cpuPods(4, 100), state: oldState(4) }, kind: 'replicas', replicas: 1, reason: 'all metrics below target' },
  { name: 'within tolerance keeps the count', setup: { config: { cpuUtilization: 50 }, pods: cpuPods(4, 520) }, kind: 'replicas', replicas: 4, reason: 'cpu utilization 52% near target 50%' },
  { name: 'no target: CPU at 80 %', setup: { pods: cpuPods(4, 1000) }, kind: 'replicas', replicas: 5, reason: 'cpu utilization 100% above target 80%' },
  { name: 'memory utilization', setup: { config: { memoryUtilization: 25 }, pods: memoryPods(4, 512 * Mi) }, kind: 'replicas', replicas: 8, reason: 'memory utilization 50% above target 25%' },
  { name: 'memory average value', setup: { config: { memoryAverageBytes: 256 * Mi }, pods: memoryPods(4, 512 * Mi) }, kind: 'replicas', replicas: 8, reason: 'memory average 512Mi above target 256Mi' },
  { name: 'CPU average value', setup: { config: { cpuAverageMilli: 250 }, pods: cpuPods(4, 500) }, kind: 'replicas', replicas: 8, reason: 'cpu average 500m above target 250m' },
  { name: 'several metrics: the highest proposal wins', setup: { config: { cpuUtilization: 50, memoryUtilization: 25 }, pods: memoryPods(4, 512 * Mi) }, kind: 'replicas', replicas: 8, reason: 'memory utilization 50% above target 25%' },
  { name: 'a failing metric does not stop a scale-up by another', setup: { config: { cpuUtilization: 50, memoryAverageBytes: 256 * Mi }, pods: memoryPods(4, 512 * Mi, { memoryBytes: 1024 * Mi }) }, kind: 'replicas', replicas: 8, reason: 'memory average' },
  { name: 'a failing metric stops a scale-down by another', setup: { config: { cpuUtilization: 50, memoryAverageBytes: 1024 * Mi }, pods: memoryPods(4, 512 * Mi, { memoryBytes: 1024 * Mi }), state: oldState(4) }, kind: 'no-data', reason: '1 of 2 metrics invalid and the others would scale down; holding: missing cpu request on pod m0' },
  { name: 'every metric failing', setup: { config: { cpuUtilization: 50 }, pods: memoryPods(4, 512 * Mi, { memoryBytes: 1024 * Mi }) }, kind: 'no-data', reason: '1 of 1 metrics invalid, first error: missing cpu request on pod m0' },
  { name: 'no pods in the snapshot', setup: { config: { cpuUtilization: 50 }, current: 3, pods: [] }, kind: 'no-data', reason: 'no pods matched the target selector' },
  { name: 'no snapshot yet', setup: { config: { cpuUtilization: 50 }, current: 3 }, kind: 'no-data', reason: 'no pod metrics yet (snapshot "pods")' },
  { name: 'a stale snapshot', setup: { config: { cpuUtilization: 50 }, pods: cpuPods(3, 900), snapshotTimeMs: NOW_MS - 121_000 }, kind: 'no-data', reason: 'pod metrics are 121s old (limit 120s)' },
  { name: 'a snapshot at the age limit is used', setup: { config: { cpuUtilization: 50 }, pods: cpuPods(3, 900), snapshotTimeMs: NOW_MS - 120_000 }, kind: 'replicas', replicas: 6, reason: 'above target' },
  { name: 'from zero: no opinion', setup: { config: { cpuUtilization: 50 }, current: 0, pods: [] }, kind: 'no-opinion', reason: 'scales from zero only on Object or External metrics' },
  { name: 'current above max-replicas: the max', setup: { config: { cpuUtilization: 50 }, pods: cpuPods(12, 500) }, kind: 'replicas', replicas: 10, reason: 'current replicas 12 above max-replicas 10' },
  { name: 'current below min-replicas: the min', setup: { config: { cpuUtilization: 50 }, scaling: { minReplicas: 3 }, pods: cpuPods(2, 500) }, kind: 'replicas', replicas: 3, reason: 'current replicas 2 below min-replicas 3' },
  { name: 'min-replicas 0 still means at least 1', setup: { config: { cpuUtilization: 50 }, scaling: { minReplicas: 0 }, pods: cpuPods(2, 0), state: oldState(2) }, kind: 'replicas', replicas: 1, reason: '0 replicas, limited to 1 (TooFewReplicas)' },
  { name: 'a behavior tolerance widens the band', setup: { config: { cpuUtilization: 50, behavior: { scaleUp: { tolerance: 0.5 } } }, pods: cpuPods(4, 700) }, kind: 'replicas', replicas: 4, reason: 'near target' },
  { name: 'the same load outside the default band', setup: { config: { cpuUtilization: 50, behavior: {} }, pods: cpuPods(4, 700) }, kind: 'replicas', replicas: 6, reason: 'cpu utilization 70% above target 50%' },
  { name: 'ebb.dev/hpa.tolerance applies both ways', setup: { config: { cpuUtilization: 50, tolerance: 0.5 }, pods: cpuPods(4, 300), state: oldState(4) }, kind: 'replicas', replicas: 4, reason: 'near target' },
  { name: 'a disabled scale-down keeps the count', setup: { config: { cpuUtilization: 50, behavior: { scaleDown: { selectPolicy: 'Disabled', stabilizationWindowSeconds: 0 } } }, pods: cpuPods(6, 100) }, kind: 'replicas', replicas: 6, reason: 'limited to 6 (ScaleDownLimit)' },
];

describe('recommendHpa: one decision', () => {
  it.each(cases)('$name', ({ setup, kind, replicas, reason }) => {
    const { recommendation } = recommendHpa(decisionInput(setup));
    expect(recommendation.kind).toBe(kind);
    if (recommendation.kind === 'replicas') expect(recommendation.replicas).toBe(replicas);
    expect(recommendation.reason).toContain(reason);
  });

  it('details name the metric, the pods and every step', () => {
    const pods = [...cpuPods(3, 900), pod('starting', { phase: 'Pending', usage: undefined }), pod('gone', { phase: 'Failed' })];
    const { recommendation } = recommendHpa(decisionInput({ config: { cpuUtilization: 50, behavior: {} }, current: 4, pods }));
    expect(recommendation).toMatchObject({
      kind: 'replicas',
      // 90 % on 3 ready pods, the pending pod counted as 0 on the scale-up: 67 % -> ceil(1.34 x 4) = 6.
      replicas: 6,
      details: { metric: 'cpu utilization', current: 90, target: 50, proposed: 6, stabilized: 6, limit: 'DesiredWithinRange', readyPods: 3, unreadyPods: 1, missingPods: 0, ignoredPods: 1 },
    });
  });

  it('is pure: the same input gives the same output', () => {
    const input = decisionInput({ config: { cpuUtilization: 50 }, pods: cpuPods(4, 900) });
    expect(recommendHpa(input)).toEqual(recommendHpa(input));
  });
});
