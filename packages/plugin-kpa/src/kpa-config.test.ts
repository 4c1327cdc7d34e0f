import { describe, expect, it } from 'vitest';
import { panicWindowMs, resolveKpaConfig, resolveMetricTarget } from './kpa-config.ts';
import type { KpaSettings } from './kpa-fields.ts';
import { KNATIVE_DEFAULTS, resolveKpaDefaults, type KpaOptions } from './kpa-options.ts';

interface TargetCase {
  readonly name: string;
  readonly metric?: 'concurrency' | 'rps';
  readonly target?: number;
  readonly utilization?: number;
  readonly cc?: number;
  readonly options?: KpaOptions;
  readonly wantTarget: number;
  readonly wantTotal: number;
}

// Knative TestResolveMetricTarget (pkg/reconciler/autoscaling/resources/target_test.go), with today's defaults
// (utilization 70 %, target floor 0.01).
const targetCases: readonly TargetCase[] = [
  { name: 'defaults: 100 x 70 %', wantTarget: 70, wantTotal: 100 },
  { name: 'default CC + 80% TU', options: { containerConcurrencyTargetPercentage: 80 }, wantTarget: 80, wantTotal: 100 },
  { name: 'legacy fraction 0.8 in the cluster option', options: { containerConcurrencyTargetPercentage: 0.8 }, wantTarget: 80, wantTotal: 100 },
  {
    name: 'non-default CC and TU',
    options: { containerConcurrencyTargetPercentage: 30, containerConcurrencyTargetDefault: 2 },
    wantTarget: 0.6,
    wantTotal: 2,
  },
  {
    name: 'with container concurrency 12 and TU=80%, but TU annotation 75%',
    cc: 12,
    utilization: 0.75,
    options: { containerConcurrencyTargetPercentage: 80 },
    wantTarget: 9,
    wantTotal: 12,
  },
  { name: 'with container concurrency 10 and TU=80%', cc: 10, options: { containerConcurrencyTargetPercentage: 80 }, wantTarget: 8, wantTotal: 10 },
  { name: 'with container concurrency 10', cc: 10, wantTarget: 7, wantTotal: 10 },
  { name: 'with container concurrency 1 and TU=80%', cc: 1, options: { containerConcurrencyTargetPercentage: 80 }, wantTarget: 0.8, wantTotal: 1 },
  { name: 'with target annotation 1', target: 1, wantTarget: 0.7, wantTotal: 1 },
  { name: 'with target annotation 10 and TU=75%', target: 10, options: { containerConcurrencyTargetPercentage: 75 }, wantTarget: 7.5, wantTotal: 10 },
  { name: 'with container concurrency greater than target annotation (ok)', cc: 10, target: 1, wantTarget: 0.7, wantTotal: 1 },
  { name: 'with target annotation greater than default (ok)', target: 500, wantTarget: 350, wantTotal: 500 },
  {
    name: 'with target annotation greater than container concurrency (the hard limit wins)',
    cc: 1,
    target: 10,
    utilization: 1,
    wantTarget: 1,
    wantTotal: 1,
  },
  { name: 'target floor 0.01: target 0.01 x 1 %', target: 0.01, utilization: 0.01, wantTarget: 0.01, wantTotal: 0.01 },
  { name: 'RPS: defaults (containerConcurrency ignored)', metric: 'rps', cc: 1, wantTarget: 140, wantTotal: 200 },
  { name: 'RPS: with target annotation 1', metric: 'rps', target: 1, utilization: 1, wantTarget: 1, wantTotal: 1 },
  { name: 'RPS: with TU annotation 75%', metric: 'rps', utilization: 0.75, wantTarget: 150, wantTotal: 200 },
  { name: 'RPS: with target annotation greater than default', metric: 'rps', target: 300, wantTarget: 210, wantTotal: 300 },
  { name: 'RPS: cluster default and utilization', metric: 'rps', options: { requestsPerSecondTargetDefault: 50, targetUtilizationPercentage: 50 }, wantTarget: 25, wantTotal: 50 },
  { name: 'RPS target is not capped by containerConcurrency', metric: 'rps', cc: 5, target: 300, wantTarget: 210, wantTotal: 300 },
];

describe('resolveMetricTarget (Knative ResolveMetricTarget)', () => {
  it.each(targetCases)('$name', ({ metric, target, utilization, cc, options, wantTarget, wantTotal }) => {
    const got = resolveMetricTarget({ target, targetUtilization: utilization, containerConcurrency: cc ?? 0 }, metric ?? 'concurrency', resolveKpaDefaults(options));
    expect(got.targetPerPod).toBeCloseTo(wantTarget, 10);
    expect(got.totalPerPod).toBe(wantTotal);
  });
});

describe('panicWindowMs (Knative MakeMetric)', () => {
  it.each([
    { stable: 60_000, pct: 10, want: 6_000 },
    { stable: 60_000, pct: 100, want: 60_000 },
    { stable: 6_000, pct: 10, want: 1_000 },
    { stable: 6_000, pct: 1, want: 1_000 },
    { stable: 15_000, pct: 10, want: 2_000 },
    { stable: 14_000, pct: 10, want: 1_000 },
    { stable: 3_600_000, pct: 1, want: 36_000 },
    { stable: 1_984_000, pct: 75, want: 1_488_000 },
  ])('$stable ms x $pct % -> $want ms', ({ stable, pct, want }) => {
    expect(panicWindowMs(stable, pct)).toBe(want);
  });
});

const settings: KpaSettings = {
  autoscalerClass: 'kpa.autoscaling.knative.dev',
  metric: 'concurrency',
  target: undefined,
  targetUtilization: undefined,
  containerConcurrency: 0,
  stableWindowMs: 60_000,
  panicWindowPercentage: 10,
  panicThreshold: 2,
  targetBurstCapacity: 211,
  maxScaleUpRate: 1000,
  maxScaleDownRate: 2,
  aggregation: 'linear',
  metricSource: 'external',
  prometheusQuery: '',
};

describe('resolveKpaConfig', () => {
  it('resolves the defaults as Knative does', () => {
    expect(resolveKpaConfig(settings, KNATIVE_DEFAULTS)).toEqual({
      autoscalerClass: 'kpa.autoscaling.knative.dev',
      selected: true,
      metric: 'concurrency',
      targetPerPod: 70,
      totalPerPod: 100,
      targetBurstCapacity: 211,
      panicThreshold: 2,
      maxScaleUpRate: 1000,
      maxScaleDownRate: 2,
      stableWindowMs: 60_000,
      panicWindowMs: 6_000,
      aggregation: 'linear',
      metricSource: 'external',
      prometheusQuery: undefined,
    });
  });

  it.each([
    { cls: 'hpa.autoscaling.knative.dev', selected: false },
    { cls: 'custom.example.com', selected: false },
    { cls: 'kpa.autoscaling.knative.dev', selected: true },
  ])('class $cls -> selected $selected', ({ cls, selected }) => {
    expect(resolveKpaConfig({ ...settings, autoscalerClass: cls }, KNATIVE_DEFAULTS).selected).toBe(selected);
  });

  it('falls back to concurrency and linear for a class it does not serve (values Knative leaves unchecked)', () => {
    const got = resolveKpaConfig({ ...settings, autoscalerClass: 'hpa.autoscaling.knative.dev', metric: 'cpu', aggregation: 'whatever' }, KNATIVE_DEFAULTS);
    expect(got).toMatchObject({ selected: false, metric: 'concurrency', aggregation: 'linear' });
  });

  it('keeps the weighted-exponential algorithm and the rps metric', () => {
    const got = resolveKpaConfig({ ...settings, metric: 'rps', aggregation: 'weighted-exponential' }, KNATIVE_DEFAULTS);
    expect(got).toMatchObject({ metric: 'rps', aggregation: 'weighted-exponential', targetPerPod: 140, totalPerPod: 200 });
  });
});
