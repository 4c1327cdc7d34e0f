import { describe, expect, it } from 'vitest';
import type { MetricTarget } from './metric-target.ts';
import { calculateReplicas } from './replica-calculator.ts';
import { COOL_START_MS, HOT_START_MS, NOW_MS, TEST_TIMINGS, tablePods, type PodTable } from './test-support/pods.ts';

const TOLERANCE = { scaleUp: 0.1, scaleDown: 0.1 };
const cool = COOL_START_MS;
const hot = HOT_START_MS;
const T = true;
const F = false;

interface UtilizationCase extends Omit<PodTable, 'resource'> {
  readonly name: string;
  readonly target: number;
  readonly expected: number;
  readonly utilization: number;
}

function run(table: PodTable, target: MetricTarget, tolerances = TOLERANCE) {
  return calculateReplicas({ currentReplicas: table.currentReplicas, pods: tablePods(table), target, tolerances, timings: TEST_TIMINGS, nowMs: NOW_MS });
}

const cpu = (averageUtilization: number): MetricTarget => ({ resource: 'cpu', kind: 'utilization', averageUtilization });
const r = (n: number, milli = 1000): number[] => Array.from({ length: n }, () => milli);

// Ported from replica_calculator_test.go (TestReplicaCalc*): two containers per pod, requests and levels per container.
const utilizationCases: UtilizationCase[] = [
  { name: 'scale up', currentReplicas: 3, requests: r(3), levels: [300, 500, 700], target: 30, expected: 5, utilization: 50 },
  { name: 'scale up, unready pod counted as 0 -> less scale', currentReplicas: 3, readiness: [F, T, T], requests: r(3), levels: [300, 500, 700], target: 30, expected: 4, utilization: 60 },
  { name: 'scale up, hot CPU pod counted as 0 -> less scale', currentReplicas: 3, startTimes: [hot, cool, cool], requests: r(3), levels: [300, 500, 700], target: 30, expected: 4, utilization: 60 },
  { name: 'scale up, unready pods would flip to scale down -> no scale', currentReplicas: 3, readiness: [T, F, F], requests: r(3), levels: [400, 500, 700], target: 30, expected: 3, utilization: 40 },
  { name: 'scale up, hot unready pods -> no scale', currentReplicas: 3, readiness: [T, F, F], startTimes: [cool, hot, hot], requests: r(3), levels: [400, 500, 700], target: 30, expected: 3, utilization: 40 },
  { name: 'scale up ignores failed pods', currentReplicas: 2, readiness: [T, T, F, F], phases: ['Running', 'Running', 'Failed', 'Failed'], requests: r(4), levels: [500, 700], target: 30, expected: 4, utilization: 60 },
  { name: 'scale up ignores deleted pods', currentReplicas: 2, readiness: [T, T, F, F], phases: ['Running', 'Running', 'Running', 'Running'], deleted: [F, F, T, T], requests: r(4), levels: [500, 700], target: 30, expected: 4, utilization: 60 },
  { name: 'scale down', currentReplicas: 5, requests: r(5), levels: [100, 300, 500, 250, 250], target: 50, expected: 3, utilization: 28 },
  { name: 'scale down excludes unready pods', currentReplicas: 5, readiness: [T, T, T, F, F], requests: r(5), levels: [100, 300, 500, 250, 250], target: 50, expected: 2, utilization: 30 },
  { name: 'scale down excludes pending (unscheduled) pods', currentReplicas: 5, readiness: [T, F, F, F, F], phases: ['Running', 'Pending', 'Pending', 'Pending', 'Pending'], requests: r(5), levels: [100], target: 50, expected: 1, utilization: 10 },
  { name: 'scale down ignores hot CPU pods', currentReplicas: 5, startTimes: [cool, cool, cool, hot, hot], requests: r(5), levels: [100, 300, 500, 250, 250], target: 50, expected: 2, utilization: 30 },
  { name: 'scale down ignores failed pods', currentReplicas: 5, readiness: [T, T, T, T, T, F, F], phases: ['Running', 'Running', 'Running', 'Running', 'Running', 'Failed', 'Failed'], requests: r(7), levels: [100, 300, 500, 250, 250], target: 50, expected: 3, utilization: 28 },
  { name: 'scale down ignores succeeded pods', currentReplicas: 5, readiness: [T, T, T, T, T, F, F], phases: ['Running', 'Running', 'Running', 'Running', 'Running', 'Succeeded', 'Succeeded'], requests: r(7), levels: [100, 300, 500, 250, 250], target: 50, expected: 3, utilization: 28 },
  { name: 'scale up ignores succeeded pods', currentReplicas: 2, readiness: [T, T, F, F], phases: ['Running', 'Running', 'Succeeded', 'Succeeded'], requests: r(4), levels: [500, 700], target: 30, expected: 4, utilization: 60 },
  { name: 'scale down ignores deleted pods that still run', currentReplicas: 5, readiness: [T, T, T, T, T, F, F], phases: Array(7).fill('Running'), deleted: [F, F, F, F, F, T, T], requests: r(7), levels: [100, 300, 500, 250, 250], target: 50, expected: 3, utilization: 28 },
  { name: 'within tolerance', currentReplicas: 3, requests: [900, 1000, 1100], levels: [1010, 1030, 1020], target: 100, expected: 3, utilization: 102 },
  { name: 'exactly at the upper edge of the band', currentReplicas: 4, requests: r(4), levels: r(4, 550), target: 50, expected: 4, utilization: 55 },
  { name: 'exactly at the lower edge of the band', currentReplicas: 4, requests: r(4), levels: r(4, 450), target: 50, expected: 4, utilization: 45 },
  { name: 'just above the band', currentReplicas: 4, requests: r(4), levels: r(4, 560), target: 50, expected: 5, utilization: 56 },
  { name: 'superfluous metrics never reach the decision (the collector joins samples to pods)', currentReplicas: 4, requests: r(4), levels: [4000, 9500, 3000, 7000], target: 100, expected: 24, utilization: 587 },
  { name: 'missing metrics count as 100 % on a scale down', currentReplicas: 4, requests: r(4), levels: [400, 95], target: 100, expected: 3, utilization: 24 },
  { name: 'missing metrics, ratio exactly 1 -> no change', currentReplicas: 2, requests: r(2), levels: [1000], target: 100, expected: 2, utilization: 100 },
  { name: 'missing metrics count as 0 on a scale up -> within tolerance', currentReplicas: 2, requests: r(2), levels: [1900], target: 100, expected: 2, utilization: 190 },
  { name: 'missing metrics on a scale down -> ceil(0.8 x 2) = current', currentReplicas: 2, requests: r(2), levels: [600], target: 100, expected: 2, utilization: 60 },
  { name: 'missing metrics with an unready pod: rebalance would flip -> no change', currentReplicas: 3, readiness: [F, T, T], requests: r(3), levels: [100, 450], target: 50, expected: 3, utilization: 45 },
  { name: 'missing metrics with a hot CPU pod -> no change', currentReplicas: 3, startTimes: [hot, cool, cool], requests: r(3), levels: [100, 450], target: 50, expected: 3, utilization: 45 },
  { name: 'missing metrics with an unready pod -> scale up', currentReplicas: 3, readiness: [F, T, T], requests: r(3), levels: [100, 2000], target: 50, expected: 4, utilization: 200 },
  { name: 'missing metrics with a hot unready pod -> scale up', currentReplicas: 3, readiness: [F, T, T], startTimes: [hot, cool, cool], requests: r(3), levels: [100, 2000], target: 50, expected: 4, utilization: 200 },
  { name: 'missing metrics with an unready pod -> scale down', currentReplicas: 4, readiness: [F, T, T, T], requests: r(4), levels: [100, 100, 100], target: 50, expected: 3, utilization: 10 },
  { name: 'missing metrics on a scale down with a target above 100 % count as the target', currentReplicas: 4, readiness: [F, T, T, T], requests: [1000, 1000, 2000, 2000], levels: [200, 100, 100], target: 300, expected: 2, utilization: 6 },
  { name: 'during a rolling update with max surge', currentReplicas: 2, phases: ['Running', 'Running', 'Running'], requests: r(3), levels: [100, 100], target: 50, expected: 2, utilization: 10 },
  { name: 'computed tolerance: just outside the band scales down', currentReplicas: 10, requests: [400, 200, 310, 290, 302, 298, 301, 299, 300, 300], levels: r(10, 150), target: 56, expected: 9, utilization: 50 },
  { name: 'computed tolerance: just inside the band keeps the count', currentReplicas: 10, requests: [400, 200, 310, 290, 302, 298, 301, 299, 300, 300], levels: r(10, 150), target: 55, expected: 10, utilization: 50 },
];

describe('calculateReplicas: CPU utilization (ported from the controller)', () => {
  it.each(utilizationCases)('$name', ({ target, expected, utilization, ...table }) => {
    const result = run({ ...table, resource: 'cpu' }, cpu(target));
    expect(result).toMatchObject({ ok: true, replicas: expected, currentValue: utilization });
  });
});

describe('calculateReplicas: errors', () => {
  it.each([
    { name: 'no pods', table: { currentReplicas: 0, requests: [], levels: [] }, error: 'no pods matched' },
    { name: 'no metrics at all', table: { currentReplicas: 4, requests: r(3), levels: [] }, error: 'no cpu metrics for any ready pod' },
    { name: 'no CPU request', table: { currentReplicas: 1, requests: [], levels: [200] }, error: 'missing cpu request on pod test-pod-0' },
    { name: 'only unready pods have metrics', table: { currentReplicas: 2, readiness: [F, F], requests: r(2), levels: [100, 100] }, error: 'might be unready' },
  ])('$name', ({ table, error }) => {
    const result = run({ ...table, resource: 'cpu' }, cpu(50));
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.error).toContain(error);
  });
});

describe('calculateReplicas: memory and average values', () => {
  const memory = (averageUtilization: number): MetricTarget => ({ resource: 'memory', kind: 'utilization', averageUtilization });
  const cpuAverage = (averageValue: number): MetricTarget => ({ resource: 'cpu', kind: 'average', averageValue });
  it.each([
    { name: 'memory utilization counts unready running pods as ready', table: { currentReplicas: 3, resource: 'memory', readiness: [F, T, T], requests: r(3, 1e6), levels: [3e5, 5e5, 7e5] }, target: memory(30), expected: 5, value: 50 },
    { name: 'memory utilization still leaves pending pods out', table: { currentReplicas: 3, resource: 'memory', phases: ['Pending', 'Running', 'Running'], requests: r(3, 1e6), levels: [0, 5e5, 7e5] }, target: memory(30), expected: 4, value: 60 },
    { name: 'CPU average: 1000m per pod against 500m -> double', table: { currentReplicas: 3, resource: 'cpu', levels: [300, 500, 700] }, target: cpuAverage(500), expected: 6, value: 1000 },
    { name: 'CPU average needs no requests, but keeps the CPU readiness rules', table: { currentReplicas: 3, resource: 'cpu', startTimes: [hot, cool, cool], levels: [300, 500, 700] }, target: cpuAverage(500), expected: 5, value: 1200 },
    { name: 'CPU average within tolerance', table: { currentReplicas: 3, resource: 'cpu', levels: [250, 260, 240] }, target: cpuAverage(500), expected: 3, value: 500 },
  ] satisfies { name: string; table: PodTable; target: MetricTarget; expected: number; value: number }[])('$name', ({ table, target, expected, value }) => {
    expect(run(table, target)).toMatchObject({ ok: true, replicas: expected, currentValue: value });
  });
});

// Ported from the controller's pods-metric cases (GetMetricReplicas): a per-pod value of L milli-units is a
// memory average of L/1000 bytes here, which follows the same calcPlainMetricReplicas path without CPU rules.
describe('calculateReplicas: plain average values (ported pods-metric cases)', () => {
  const memoryAverage = (milli: number): MetricTarget => ({ resource: 'memory', kind: 'average', averageValue: milli / 1000 });
  const perPod = (milli: number[]): number[] => milli.map((m) => m / 1000 / 2);
  it.each([
    { name: 'scale up', currentReplicas: 3, levels: [20000, 10000, 30000], target: 15000, expected: 4, usage: 20000 },
    { name: 'unready pods count for non-CPU metrics -> no less scale', currentReplicas: 3, readiness: [T, T, F], startTimes: [cool, cool, hot], levels: [50000, 10000, 30000], target: 15000, expected: 6, usage: 30000 },
    { name: 'unready hot pods count for non-CPU metrics', currentReplicas: 3, readiness: [F, T, F], startTimes: [hot, cool, hot], levels: [50000, 15000, 30000], target: 15000, expected: 7, usage: 31666 },
    { name: 'scale down', currentReplicas: 5, levels: [12000, 12000, 12000, 12000, 12000], target: 20000, expected: 3, usage: 12000 },
    { name: 'within tolerance', currentReplicas: 3, levels: [20000, 21000, 21000], target: 20000, expected: 3, usage: 20666 },
    { name: 'missing metrics, ratio exactly 1 -> no change', currentReplicas: 5, levels: [20000, 19000, 21000], target: 20000, expected: 5, usage: 20000 },
    { name: 'rolling update with max surge: missing pod counts as the target', currentReplicas: 2, phases: ['Running', 'Running', 'Running'] as const, levels: [10000, 10000], target: 17000, expected: 2, usage: 10000 },
  ])('$name', ({ levels, target, expected, usage, ...rest }) => {
    const result = run({ ...rest, resource: 'memory', levels: perPod(levels) }, memoryAverage(target));
    expect(result).toMatchObject({ ok: true, replicas: expected, currentValue: usage / 1000 });
  });
});

describe('calculateReplicas: configurable tolerances', () => {
  it.each([
    { name: 'ratio 1.04 with up tolerance 0.1 keeps the count', levels: [525], up: 0.1, down: 0.1, expected: 4 },
    { name: 'ratio 1.04 with up tolerance 0.01 scales up', levels: [525], up: 0.01, down: 0.1, expected: 5 },
    { name: 'ratio 0.7 with down tolerance 0.5 keeps the count', levels: [350], up: 0.1, down: 0.5, expected: 4 },
    { name: 'ratio 0.7 with down tolerance 0.1 scales down', levels: [350], up: 0.1, down: 0.1, expected: 3 },
  ])('$name', ({ levels, up, down, expected }) => {
    const table = { currentReplicas: 4, resource: 'cpu' as const, requests: r(4), levels: Array(4).fill(levels[0]) };
    expect(run(table, cpu(50), { scaleUp: up, scaleDown: down })).toMatchObject({ ok: true, replicas: expected });
  });
});
