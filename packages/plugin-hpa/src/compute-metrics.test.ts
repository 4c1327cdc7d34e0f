import { describe, expect, it } from 'vitest';
import { computeReplicasForMetrics } from './compute-metrics.ts';
import type { MetricTarget } from './metric-target.ts';
import type { PodSample } from './pod-metrics-snapshot.ts';
import { NOW_MS, TEST_TIMINGS, cpuPods, pod } from './test-support/pods.ts';

const Mi = 1024 * 1024;
const cpuUtil = (averageUtilization: number): MetricTarget => ({ resource: 'cpu', kind: 'utilization', averageUtilization });
const memUtil = (averageUtilization: number): MetricTarget => ({ resource: 'memory', kind: 'utilization', averageUtilization });
const memAvg = (averageValue: number): MetricTarget => ({ resource: 'memory', kind: 'average', averageValue });
/** Four pods at 500m of 1000m CPU and 512Mi of 1Gi memory: 50 % each. */
const half = cpuPods(4, 500);
/** The same pods without a CPU request: every CPU utilization metric is invalid. */
const noCpuRequest: PodSample[] = half.map((p) => pod(p.name, { requests: { memoryBytes: 1024 * Mi } }));

function compute(targets: MetricTarget[], pods: readonly PodSample[] = half, currentReplicas = 4) {
  return computeReplicasForMetrics({ currentReplicas, pods, targets, tolerances: { scaleUp: 0.1, scaleDown: 0.1 }, timings: TEST_TIMINGS, nowMs: NOW_MS });
}

// After horizontal_test.go: TestScaleUpOneMetricInvalid, TestScaleUpOneMetricEmpty, TestNoScaleDownOneMetricInvalid,
// TestNoScaleDownOneMetricEmpty and the multiple-metrics cases.
describe('computeReplicasForMetrics', () => {
  it.each([
    { name: 'one metric', targets: [cpuUtil(25)], pods: half, replicas: 8, winner: 'cpu' },
    { name: 'the highest of two proposals (memory)', targets: [cpuUtil(50), memUtil(25)], pods: half, replicas: 8, winner: 'memory' },
    { name: 'the highest of two proposals (cpu)', targets: [cpuUtil(20), memUtil(25)], pods: half, replicas: 10, winner: 'cpu' },
    { name: 'both within tolerance', targets: [cpuUtil(50), memAvg(512 * Mi)], pods: half, replicas: 4, winner: 'cpu' },
    { name: 'both below target: the higher proposal', targets: [cpuUtil(100), memUtil(200)], pods: half, replicas: 2, winner: 'cpu' },
    { name: 'an invalid metric and a scale-up by another', targets: [cpuUtil(50), memUtil(25)], pods: noCpuRequest, replicas: 8, winner: 'memory' },
    { name: 'an invalid metric and another holding the count', targets: [cpuUtil(50), memUtil(50)], pods: noCpuRequest, replicas: 4, winner: 'memory' },
  ])('$name', ({ targets, pods, replicas, winner }) => {
    const outcome = compute(targets, pods);
    expect(outcome.ok).toBe(true);
    if (outcome.ok) {
      expect(outcome.replicas).toBe(replicas);
      expect(outcome.winner.target).toMatchObject({ resource: winner });
      expect(outcome.results).toHaveLength(targets.length);
    }
  });

  it.each([
    { name: 'an invalid metric and a scale-down by another', targets: [cpuUtil(50), memUtil(100)], pods: noCpuRequest, reason: '1 of 2 metrics invalid and the others would scale down' },
    { name: 'every metric invalid', targets: [cpuUtil(50), cpuUtil(60)], pods: noCpuRequest, reason: '2 of 2 metrics invalid, first error: missing cpu request on pod p0' },
    { name: 'no pods at all', targets: [memUtil(50)], pods: [], reason: 'no pods matched the target selector' },
  ])('no proposal: $name', ({ targets, pods, reason }) => {
    const outcome = compute(targets, pods);
    expect(outcome.ok).toBe(false);
    expect(outcome.ok ? '' : outcome.reason).toContain(reason);
  });

  it('a proposal of 0 is replaced by any other valid proposal', () => {
    const idle = cpuPods(4, 0);
    const outcome = compute([cpuUtil(50), memUtil(100)], idle);
    expect(outcome).toMatchObject({ ok: true, replicas: 2 });
  });
});
