import { describe, expect, it } from 'vitest';
import { DEFAULT_HPA_CONFIG, type HpaConfig } from './hpa-fields.ts';
import { createHpaConfigSchema } from './hpa-schema.ts';

const PREFIX = 'ebb.dev/hpa.';
const schema = createHpaConfigSchema();
const parse = (annotations: Record<string, string>) => schema.parse(annotations, PREFIX);
const Mi = 1024 * 1024;

interface ValueCase {
  readonly name: string;
  readonly annotations: Record<string, string>;
  readonly expected: Partial<HpaConfig>;
}

interface IssueCase {
  readonly name?: string;
  readonly annotations: Record<string, string>;
  readonly key: string;
  readonly code?: string;
  readonly text: string;
}

describe('HPA annotations: values', () => {
  it.each<ValueCase>([
    { name: 'no annotations: defaults', annotations: {}, expected: {} },
    { name: 'CPU utilization', annotations: { 'ebb.dev/hpa.cpu-utilization': '70' }, expected: { cpuUtilization: 70 } },
    { name: 'utilization above 100 %', annotations: { 'ebb.dev/hpa.cpu-utilization': '150' }, expected: { cpuUtilization: 150 } },
    { name: 'memory utilization', annotations: { 'ebb.dev/hpa.memory-utilization': '80' }, expected: { memoryUtilization: 80 } },
    { name: 'CPU average in millicores', annotations: { 'ebb.dev/hpa.cpu-average': '250m' }, expected: { cpuAverageMilli: 250 } },
    { name: 'CPU average in cores', annotations: { 'ebb.dev/hpa.cpu-average': '1.5' }, expected: { cpuAverageMilli: 1500 } },
    { name: 'memory average in Mi', annotations: { 'ebb.dev/hpa.memory-average': '512Mi' }, expected: { memoryAverageBytes: 512 * Mi } },
    { name: 'memory average in G', annotations: { 'ebb.dev/hpa.memory-average': '1G' }, expected: { memoryAverageBytes: 1e9 } },
    { name: 'several targets', annotations: { 'ebb.dev/hpa.cpu-utilization': '60', 'ebb.dev/hpa.memory-average': '1Gi' }, expected: { cpuUtilization: 60, memoryAverageBytes: 1024 * Mi } },
    { name: 'tolerance', annotations: { 'ebb.dev/hpa.tolerance': '0.05' }, expected: { tolerance: 0.05 } },
    { name: 'readiness timings', annotations: { 'ebb.dev/hpa.cpu-initialization-period': '2m', 'ebb.dev/hpa.initial-readiness-delay': '10s' }, expected: { cpuInitializationPeriodMs: 120_000, initialReadinessDelayMs: 10_000 } },
    {
      name: 'behavior YAML',
      annotations: { 'ebb.dev/hpa.behavior': 'scaleDown:\n  stabilizationWindowSeconds: 60\n  policies:\n  - type: Pods\n    value: 2\n    periodSeconds: 30\nscaleUp:\n  selectPolicy: Disabled\n' },
      expected: { behavior: { scaleDown: { stabilizationWindowSeconds: 60, policies: [{ type: 'Pods', value: 2, periodSeconds: 30 }] }, scaleUp: { selectPolicy: 'Disabled' } } },
    },
    { name: 'behavior with a quantity tolerance', annotations: { 'ebb.dev/hpa.behavior': 'scaleUp: {tolerance: 50m}' }, expected: { behavior: { scaleUp: { tolerance: 0.05 } } } },
  ])('$name', ({ annotations, expected }) => {
    expect(parse(annotations)).toEqual({ ok: true, value: { ...DEFAULT_HPA_CONFIG, ...expected } });
  });
});

describe('HPA annotations: problems name the key and the value', () => {
  it.each<IssueCase>([
    { annotations: { 'ebb.dev/hpa.cpu-utilization': '0' }, key: 'ebb.dev/hpa.cpu-utilization', code: 'invalid_value', text: 'expected an integer >= 1, got 0' },
    { annotations: { 'ebb.dev/hpa.cpu-utilization': '70%' }, key: 'ebb.dev/hpa.cpu-utilization', code: 'invalid_value', text: 'got "70%"' },
    { annotations: { 'ebb.dev/hpa.memory-utilization': '12.5' }, key: 'ebb.dev/hpa.memory-utilization', code: 'invalid_value', text: 'expected an integer >= 1' },
    { annotations: { 'ebb.dev/hpa.cpu-average': '-100m' }, key: 'ebb.dev/hpa.cpu-average', code: 'invalid_value', text: 'quantity greater than 0 such as 250m' },
    { annotations: { 'ebb.dev/hpa.memory-average': '512MB' }, key: 'ebb.dev/hpa.memory-average', code: 'invalid_value', text: 'got "512MB"' },
    { annotations: { 'ebb.dev/hpa.tolerance': '-0.1' }, key: 'ebb.dev/hpa.tolerance', code: 'out_of_range', text: 'ebb.dev/hpa.tolerance' },
    { annotations: { 'ebb.dev/hpa.cpu-initialization-period': '5 minutes' }, key: 'ebb.dev/hpa.cpu-initialization-period', code: 'invalid_type', text: '"5 minutes"' },
    { annotations: { 'ebb.dev/hpa.behavior': 'scaleUp: [' }, key: 'ebb.dev/hpa.behavior', code: 'invalid_value', text: 'invalid YAML' },
    { annotations: { 'ebb.dev/hpa.behavior': 'scaleDown: {stabilizationWindowSeconds: 7200}' }, key: 'ebb.dev/hpa.behavior', code: 'invalid_value', text: 'scaleDown.stabilizationWindowSeconds must be an integer from 0 to 3600, got 7200' },
    { annotations: { 'autoscaling.knative.dev/target': '0' }, key: 'autoscaling.knative.dev/target', code: 'invalid_value', text: 'expected a number >= 0.01' },
    { annotations: { 'autoscaling.knative.dev/window': '2s' }, key: 'autoscaling.knative.dev/window', code: 'invalid_value', text: '6s <= value <= 1h' },
    { annotations: { 'autoscaling.knative.dev/window': '10.5s' }, key: 'autoscaling.knative.dev/window', code: 'invalid_value', text: 'whole seconds' },
  ])('$key = $annotations', ({ annotations, key, code, text }) => {
    const result = parse(annotations);
    expect(result.ok).toBe(false);
    const issue = result.ok ? undefined : result.issues[0];
    expect(issue).toMatchObject({ code, key });
    expect(issue?.message).toContain(text);
  });

  it('reports every problem at once', () => {
    const result = parse({ 'ebb.dev/hpa.cpu-utilization': 'high', 'ebb.dev/hpa.tolerance': 'x', 'ebb.dev/hpa.behavior': 'scaleUp: {selectPolicy: Fast}' });
    expect(result.ok ? [] : result.issues.map((i) => i.key)).toEqual(['ebb.dev/hpa.cpu-utilization', 'ebb.dev/hpa.tolerance', 'ebb.dev/hpa.behavior']);
  });
});

describe("Knative's HPA class", () => {
  const hpaClass = { 'autoscaling.knative.dev/class': 'hpa.autoscaling.knative.dev' };
  it.each<ValueCase>([
    { name: 'cpu is the default metric; the target is a utilization, rounded up', annotations: { ...hpaClass, 'autoscaling.knative.dev/target': '70.2' }, expected: { cpuUtilization: 71 } },
    { name: 'metric cpu', annotations: { ...hpaClass, 'autoscaling.knative.dev/metric': 'cpu', 'autoscaling.knative.dev/target': '50' }, expected: { cpuUtilization: 50 } },
    { name: 'metric memory: the target is Mi per pod', annotations: { ...hpaClass, 'autoscaling.knative.dev/metric': 'memory', 'autoscaling.knative.dev/target': '512' }, expected: { memoryAverageBytes: 512 * Mi } },
    { name: 'memory target in whole Mi', annotations: { ...hpaClass, 'autoscaling.knative.dev/metric': 'memory', 'autoscaling.knative.dev/target': '100.9' }, expected: { memoryAverageBytes: 100 * Mi } },
    { name: 'no target: CPU at the default utilization', annotations: { ...hpaClass }, expected: {} },
    { name: 'the window sets both stabilization windows', annotations: { ...hpaClass, 'autoscaling.knative.dev/window': '90s' }, expected: { behavior: { scaleUp: { stabilizationWindowSeconds: 90 }, scaleDown: { stabilizationWindowSeconds: 90 } } } },
    { name: 'an Ebb target equal to the Knative one is fine', annotations: { ...hpaClass, 'autoscaling.knative.dev/target': '60', 'ebb.dev/hpa.cpu-utilization': '60' }, expected: { cpuUtilization: 60 } },
    { name: 'another class leaves the Knative target to its owner', annotations: { 'autoscaling.knative.dev/class': 'kpa.autoscaling.knative.dev', 'autoscaling.knative.dev/target': '10', 'autoscaling.knative.dev/metric': 'rps' }, expected: {} },
    { name: 'without a class the Knative target belongs to the KPA', annotations: { 'autoscaling.knative.dev/target': '10' }, expected: {} },
  ])('$name', ({ annotations, expected }) => {
    const result = parse(annotations);
    expect(result.ok).toBe(true);
    const { knativeClass: _c, knativeMetric: _m, knativeTarget: _t, knativeWindowMs: _w, ...value } = result.ok ? result.value : DEFAULT_HPA_CONFIG;
    const { knativeClass: _dc, knativeMetric: _dm, knativeTarget: _dt, knativeWindowMs: _dw, ...defaults } = DEFAULT_HPA_CONFIG;
    expect(value).toEqual({ ...defaults, ...expected });
  });

  it.each<IssueCase>([
    { name: 'an unsupported metric', annotations: { ...hpaClass, 'autoscaling.knative.dev/metric': 'rps' }, key: 'autoscaling.knative.dev/metric', text: 'metric "rps" is not supported' },
    { name: 'memory without a target', annotations: { ...hpaClass, 'autoscaling.knative.dev/metric': 'memory' }, key: 'autoscaling.knative.dev/metric', text: 'metric memory needs a target' },
    { name: 'memory target below 1 Mi', annotations: { ...hpaClass, 'autoscaling.knative.dev/metric': 'memory', 'autoscaling.knative.dev/target': '0.5' }, key: 'autoscaling.knative.dev/target', text: 'at least 1' },
    { name: 'a Knative target and a different Ebb target', annotations: { ...hpaClass, 'autoscaling.knative.dev/target': '60', 'ebb.dev/hpa.memory-average': '1Gi' }, key: 'autoscaling.knative.dev/target', text: 'ebb.dev/hpa.memory-average' },
    { name: 'a Knative window and a behavior', annotations: { ...hpaClass, 'autoscaling.knative.dev/window': '60s', 'ebb.dev/hpa.behavior': '{}' }, key: 'autoscaling.knative.dev/window', text: 'ebb.dev/hpa.behavior' },
  ])('rejects $name', ({ annotations, key, text }) => {
    const result = parse(annotations);
    expect(result.ok).toBe(false);
    const issue = result.ok ? undefined : result.issues[0];
    expect(issue).toMatchObject({ code: 'invalid_combination', key });
    expect(issue?.message).toContain(text);
  });
});

describe('HPA schema keys', () => {
  it('lists the Ebb keys and the Knative aliases', () => {
    expect(schema.keys(PREFIX)).toEqual(
      expect.arrayContaining([
        'ebb.dev/hpa.cpu-utilization',
        'ebb.dev/hpa.memory-utilization',
        'ebb.dev/hpa.cpu-average',
        'ebb.dev/hpa.memory-average',
        'ebb.dev/hpa.tolerance',
        'ebb.dev/hpa.cpu-initialization-period',
        'ebb.dev/hpa.initial-readiness-delay',
        'ebb.dev/hpa.behavior',
        'autoscaling.knative.dev/class',
        'autoscaling.knative.dev/metric',
        'autoscaling.knative.dev/target',
        'autoscaling.knative.dev/window',
      ]),
    );
  });
});
