import { describe, expect, it } from 'vitest';
import { customMetricId, type CustomMetric } from './custom-metric.ts';
import type { CustomMetricReading } from './custom-metrics-snapshot.ts';
import type { HpaMetricsSpec } from './metrics-parse.ts';
import type { PodSample } from './pod-metrics-snapshot.ts';
import { recommendHpa } from './recommend.ts';
import { decisionInput, type DecisionSetup } from './test-support/decision.ts';
import { pod } from './test-support/pods.ts';

const rps: CustomMetric = { source: 'Pods', metric: { name: 'rps', selector: '' }, averageValueMilli: 10_000 };
const ingress = (type: 'Value' | 'AverageValue', milli: number): CustomMetric => ({
  source: 'Object',
  describedObject: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'main' },
  metric: { name: 'requests', selector: '' },
  target: type === 'Value' ? { type, valueMilli: milli } : { type, averageValueMilli: milli },
});
const queue = (type: 'Value' | 'AverageValue', milli: number): CustomMetric => ({
  source: 'External',
  metric: { name: 'queue', selector: 'queue=orders' },
  target: type === 'Value' ? { type, valueMilli: milli } : { type, averageValueMilli: milli },
});
const total = (valueMilli: number): CustomMetricReading => ({ ok: true, kind: 'total', valueMilli });
const running = (n: number, overrides: Partial<PodSample> = {}): PodSample[] => Array.from({ length: n }, (_, i) => pod(`p${i}`, { usage: undefined, ...overrides }));

/** A decision on `metrics` with their readings over `pods`. */
function decide(metrics: readonly [CustomMetric, CustomMetricReading][], pods: readonly PodSample[], setup: DecisionSetup = {}) {
  const spec: HpaMetricsSpec = { resources: [], custom: metrics.map(([m]) => m) };
  const readings = Object.fromEntries(metrics.map(([m, r]) => [customMetricId(m), r]));
  return recommendHpa(decisionInput({ ...setup, config: { metrics: spec, ...setup.config }, custom: { pods, readings }, scaling: { maxReplicas: 50, ...setup.scaling } })).recommendation;
}

describe('Pods, Object and External metrics', () => {
  it.each([
    // Pods: average of the ready pods' values over the per-pod target (upstream "scale up": 20 / 15 x 3 -> 4).
    ['Pods scale up', [[{ ...rps, averageValueMilli: 15_000 }, { ok: true, kind: 'pods', valuesMilli: { p0: 10_000, p1: 20_000, p2: 30_000 } }]], running(3), 4, 'pods metric rps 20 above target 15 per pod'],
    ['Pods within tolerance', [[rps, { ok: true, kind: 'pods', valuesMilli: { p0: 10_500, p1: 10_000 } }]], running(2), 2, 'pods metric rps 10250m near target 10 per pod'],
    // A pod without a value on a scale-up counts as 0: (30 + 30 + 0) / 3 = 20 -> 6.
    ['Pods with a missing pod', [[rps, { ok: true, kind: 'pods', valuesMilli: { p0: 30_000, p1: 30_000 } }]], running(3), 6, 'pods metric rps 30 above target 10 per pod'],
    // Object Value: ratio x ready pods (upstream "scale up": 20000 / 15000 x 3 -> 4).
    ['Object Value scale up', [[ingress('Value', 15_000), total(20_000)]], running(3), 4, 'Ingress metric requests 20 above target 15'],
    ['Object Value counts only ready pods', [[ingress('Value', 10_000), total(50_000)]], [...running(1), ...running(2, { ready: false, readyStatus: 'False' }).map((p, i) => ({ ...p, name: `u${i}` }))], 5, ''],
    // Object AverageValue: total / per-pod target (upstream "scale up": 8600 / 2150 = 4).
    ['Object AverageValue', [[ingress('AverageValue', 2150), total(8600)]], running(3), 4, 'Ingress metric requests 2867m above target 2150m per pod'],
    ['External Value sum', [[queue('Value', 30_000), total(60_000)]], running(2), 4, 'external metric queue 60 above target 30 (2 ready pods): 4 replicas'],
    ['External AverageValue within tolerance', [[queue('AverageValue', 30_000), total(95_000)]], running(3), 3, 'near target 30 per pod'],
  ] satisfies [string, [CustomMetric, CustomMetricReading][], PodSample[], number, string][])('%s', (_name, metrics, pods, replicas, reason) => {
    expect(decide(metrics, pods)).toMatchObject({ kind: 'replicas', replicas, reason: expect.stringContaining(reason) });
  });

  it('a failed reading is an invalid metric: it holds a scale-down of the others, never reads as zero', () => {
    const failed: CustomMetricReading = { ok: false, error: 'no values of external metric queue returned' };
    expect(decide([[queue('Value', 30_000), failed], [ingress('Value', 10_000), total(1_000)]], running(4))).toMatchObject({
      kind: 'no-data',
      reason: expect.stringContaining('1 of 2 metrics invalid and the others would scale down'),
    });
    expect(decide([[queue('Value', 30_000), failed], [ingress('Value', 10_000), total(80_000)]], running(4))).toMatchObject({ kind: 'replicas', replicas: 8 });
  });

  it('no custom metrics snapshot yet is no data', () => {
    const rec = recommendHpa(decisionInput({ config: { metrics: { resources: [], custom: [rps] } }, current: 3 })).recommendation;
    expect(rec).toMatchObject({ kind: 'no-data', reason: 'no custom and external metrics yet (snapshot "hpa-custom-metrics")' });
  });
});

describe('scale from zero (KEP-2021)', () => {
  const zero = { current: 0, scaling: { minReplicas: 0, scaleToZero: true } } satisfies DecisionSetup;

  it.each([
    ['External Value: ceil(value / target), tolerance ignored', [[queue('Value', 30_000), total(31_000)]], 2],
    ['External AverageValue: ceil(total / per-pod target)', [[queue('AverageValue', 30_000), total(90_000)]], 3],
    ['Object Value', [[ingress('Value', 10_000), total(25_000)]], 3],
    ['a zero value stays at zero', [[queue('Value', 30_000), total(0)]], 0],
    ['limited like any scale-up without a behavior: at most 4 from 0', [[queue('Value', 1_000), total(90_000)]], 4],
    ['a Pods metric is invalid at zero and does not hold the others', [[rps, { ok: true, kind: 'pods', valuesMilli: {} }], [queue('Value', 10_000), total(20_000)]], 2],
  ] satisfies [string, [CustomMetric, CustomMetricReading][], number][])('%s', (_name, metrics, replicas) => {
    expect(decide(metrics, [], zero)).toMatchObject({ kind: 'replicas', replicas });
  });

  it('says the total when there are no pods to share it', () => {
    expect(decide([[queue('AverageValue', 30_000), total(75_000)]], [], zero)).toMatchObject({
      reason: 'external metric queue 75 in total above target 30 per pod (0 ready pods): 3 replicas',
    });
  });

  it('from zero with min-replicas 2 goes to at least 2', () => {
    expect(decide([[queue('Value', 30_000), total(10_000)]], [], { ...zero, scaling: { minReplicas: 2 } })).toMatchObject({ kind: 'replicas', replicas: 2 });
  });

  it('without an Object or External metric the HPA has no opinion at zero', () => {
    expect(decide([[rps, { ok: true, kind: 'pods', valuesMilli: {} }]], [], zero)).toMatchObject({ kind: 'no-opinion' });
  });

  it('goes to zero when min-replicas is 0 and the load is gone, like an HPA with minReplicas 0', () => {
    const setup = { current: 3, scaling: { minReplicas: 0, scaleToZero: true }, config: { behavior: { scaleDown: { stabilizationWindowSeconds: 0 } } } } satisfies DecisionSetup;
    expect(decide([[queue('Value', 30_000), total(0)]], running(3), setup)).toMatchObject({ kind: 'replicas', replicas: 0 });
    // With scale-to-zero off, or a Pods metric only, the HPA's floor stays 1.
    expect(decide([[queue('Value', 30_000), total(0)]], running(3), { ...setup, scaling: { minReplicas: 0, scaleToZero: false } })).toMatchObject({ replicas: 1 });
  });
});
