import { describe, expect, it } from 'vitest';
import type { ConfigIssue, ParseResult } from '@ebb/core';
import type { KpaConfig } from './kpa-config.ts';
import { resolveKpaDefaults } from './kpa-options.ts';
import { createKpaConfigSchema, defaultKpaConfig } from './kpa-schema.ts';

const PREFIX = 'ebb.dev/kpa.';
const schema = createKpaConfigSchema(resolveKpaDefaults());
const parse = (annotations: Record<string, string>): ParseResult<KpaConfig> => schema.parse(annotations, PREFIX);
const kn = (name: string): string => `autoscaling.knative.dev/${name}`;

function issuesOf(result: ParseResult<KpaConfig>): readonly ConfigIssue[] {
  return result.ok ? [] : result.issues;
}

function valueOf(result: ParseResult<KpaConfig>): KpaConfig {
  if (!result.ok) throw new Error(`unexpected issues: ${result.issues.map((i) => i.message).join('; ')}`);
  return result.value;
}

describe('KPA schema: accepted annotations (Knative names, legacy names, Ebb names)', () => {
  it('parses no annotation to the Knative defaults', () => {
    expect(valueOf(parse({}))).toEqual(defaultKpaConfig(resolveKpaDefaults()));
    expect(valueOf(parse({}))).toMatchObject({ metric: 'concurrency', targetPerPod: 70, totalPerPod: 100, stableWindowMs: 60_000, panicWindowMs: 6_000 });
  });

  it.each<{ name: string; annotations: Record<string, string>; want: Partial<KpaConfig> }>([
    { name: 'Knative target', annotations: { [kn('target')]: '10' }, want: { targetPerPod: 7, totalPerPod: 10 } },
    { name: 'Ebb target', annotations: { [`${PREFIX}target`]: '10' }, want: { targetPerPod: 7, totalPerPod: 10 } },
    { name: 'Ebb key wins over the Knative alias', annotations: { [`${PREFIX}target`]: '10', [kn('target')]: '50' }, want: { totalPerPod: 10 } },
    { name: 'metric rps', annotations: { [kn('metric')]: 'rps' }, want: { metric: 'rps', targetPerPod: 140, totalPerPod: 200 } },
    { name: 'utilization', annotations: { [kn('target-utilization-percentage')]: '50' }, want: { targetPerPod: 50 } },
    { name: 'legacy utilization', annotations: { [kn('targetUtilizationPercentage')]: '50' }, want: { targetPerPod: 50 } },
    { name: 'container concurrency as default target', annotations: { [`${PREFIX}container-concurrency`]: '10' }, want: { targetPerPod: 7, totalPerPod: 10 } },
    {
      name: 'container concurrency caps the target',
      annotations: { [`${PREFIX}container-concurrency`]: '10', [kn('target')]: '50' },
      want: { targetPerPod: 7, totalPerPod: 10 },
    },
    { name: 'window', annotations: { [kn('window')]: '2m' }, want: { stableWindowMs: 120_000, panicWindowMs: 12_000 } },
    { name: 'window 1984s with 75 % panic window', annotations: { [kn('window')]: '1984s', [kn('panic-window-percentage')]: '75' }, want: { panicWindowMs: 1_488_000 } },
    { name: 'legacy panic window', annotations: { [kn('panicWindowPercentage')]: '20' }, want: { panicWindowMs: 12_000 } },
    { name: 'panic threshold 210', annotations: { [kn('panic-threshold-percentage')]: '210' }, want: { panicThreshold: 2.1 } },
    { name: 'legacy panic threshold 125', annotations: { [kn('panicThresholdPercentage')]: '125' }, want: { panicThreshold: 1.25 } },
    { name: 'TBC -1', annotations: { [kn('target-burst-capacity')]: '-1' }, want: { targetBurstCapacity: -1 } },
    { name: 'TBC 0', annotations: { [kn('target-burst-capacity')]: '0' }, want: { targetBurstCapacity: 0 } },
    { name: 'legacy TBC 19870709', annotations: { [kn('targetBurstCapacity')]: '19870709' }, want: { targetBurstCapacity: 19870709 } },
    { name: 'weighted exponential', annotations: { [kn('metric-aggregation-algorithm')]: 'weighted-exponential' }, want: { aggregation: 'weighted-exponential' } },
    { name: 'legacy weightedExponential', annotations: { [kn('metricAggregationAlgorithm')]: 'weightedExponential' }, want: { aggregation: 'weighted-exponential' } },
    { name: 'rates', annotations: { [`${PREFIX}max-scale-up-rate`]: '2.5', [`${PREFIX}max-scale-down-rate`]: '1.1' }, want: { maxScaleUpRate: 2.5, maxScaleDownRate: 1.1 } },
    { name: 'KPA class', annotations: { [kn('class')]: 'kpa.autoscaling.knative.dev' }, want: { selected: true } },
    { name: 'HPA class with metric cpu (not ours)', annotations: { [kn('class')]: 'hpa.autoscaling.knative.dev', [kn('metric')]: 'cpu' }, want: { selected: false } },
    { name: 'other class', annotations: { [kn('class')]: 'test', [kn('window')]: '7s' }, want: { selected: false, stableWindowMs: 7_000 } },
    { name: 'two aliases with the same value', annotations: { [kn('panic-window-percentage')]: '20', [kn('panicWindowPercentage')]: '20' }, want: { panicWindowMs: 12_000 } },
  ])('$name', ({ annotations, want }) => {
    expect(valueOf(parse(annotations))).toMatchObject(want);
  });
});

// Knative TestValidateAnnotations, for the KPA's keys: the same inputs are rejected, naming the key as written.
describe('KPA schema: rejected annotations', () => {
  it.each([
    { name: 'invalid class', key: kn('class'), value: 'unsupported.knative.dev', code: 'invalid_combination' },
    { name: 'panic window percentage bad', key: kn('panic-window-percentage'), value: '-1', code: 'out_of_range', message: 'expected 1 <= -1 <= 100' },
    { name: 'panic window percentage bad2', key: kn('panicWindowPercentage'), value: '202', code: 'out_of_range', message: 'expected 1 <= 202 <= 100' },
    { name: 'panic window percentage bad3', key: kn('panic-window-percentage'), value: 'fifty', code: 'invalid_type' },
    { name: 'panic threshold percentage bad2', key: kn('panic-threshold-percentage'), value: '109', code: 'out_of_range', message: 'expected 110 <= 109 <= 1000' },
    { name: 'panic threshold percentage bad2.5', key: kn('panicThresholdPercentage'), value: '10009', code: 'out_of_range', message: 'expected 110 <= 10009 <= 1000' },
    { name: 'panic threshold percentage bad3', key: kn('panic-threshold-percentage'), value: 'fifty', code: 'invalid_type' },
    { name: 'target negative', key: kn('target'), value: '-11', code: 'out_of_range' },
    { name: 'target 0', key: kn('target'), value: '0', code: 'out_of_range' },
    { name: 'target 0.001', key: `${PREFIX}target`, value: '0.001', code: 'out_of_range' },
    { name: 'TBC negative', key: kn('target-burst-capacity'), value: '-11', code: 'invalid_combination', message: 'invalid value: -11' },
    { name: 'TBC invalid', key: kn('targetBurstCapacity'), value: 'qarashen', code: 'invalid_type' },
    { name: 'TU too small', key: kn('target-utilization-percentage'), value: '0', code: 'out_of_range', message: 'expected 1 <= 0 <= 100' },
    { name: 'TU too big', key: kn('targetUtilizationPercentage'), value: '101', code: 'out_of_range', message: 'expected 1 <= 101 <= 100' },
    { name: 'TU invalid', key: kn('target-utilization-percentage'), value: 'dghyak', code: 'invalid_type' },
    { name: 'window invalid', key: kn('window'), value: 'jerry-was-a-racecar-driver', code: 'invalid_type' },
    { name: 'window too short', key: kn('window'), value: '1s', code: 'out_of_range', message: 'expected 6s <= 1s <= 1h' },
    { name: 'window too long', key: kn('window'), value: '365h', code: 'out_of_range', message: '365h' },
    { name: 'window too precise', key: kn('window'), value: '1m9s82ms', code: 'invalid_value', message: 'must be specified with at most second precision' },
    { name: 'invalid metric for default class (KPA)', key: kn('metric'), value: 'cpu', code: 'invalid_combination', message: 'invalid value: cpu' },
    { name: 'invalid algorithm', key: kn('metric-aggregation-algorithm'), value: 'median', code: 'invalid_combination' },
    { name: 'scale-up rate 1', key: `${PREFIX}max-scale-up-rate`, value: '1', code: 'out_of_range' },
    { name: 'scale-down rate 0.5', key: `${PREFIX}max-scale-down-rate`, value: '0.5', code: 'out_of_range' },
    { name: 'container concurrency 1001', key: `${PREFIX}container-concurrency`, value: '1001', code: 'out_of_range' },
    { name: 'container concurrency 1.5', key: `${PREFIX}container-concurrency`, value: '1.5', code: 'invalid_type' },
  ])('$name: $key=$value', ({ key, value, code, message }) => {
    const issues = issuesOf(parse({ [key]: value }));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code, key });
    expect(issues[0]?.message).toContain(key);
    expect(issues[0]?.message).toContain(code === 'invalid_combination' ? (message ?? value) : value);
    if (message) expect(issues[0]?.message).toContain(message);
  });

  it('gives Knative\'s exact message for a cross-field issue: "invalid value: cpu: autoscaling.knative.dev/metric"', () => {
    expect(issuesOf(parse({ [kn('metric')]: 'cpu' }))[0]?.message).toBe('invalid value: cpu: autoscaling.knative.dev/metric');
  });

  it('reports every problem at once ("all together now fail")', () => {
    const issues = issuesOf(parse({ [kn('panicThresholdPercentage')]: 'fifty', [kn('panicWindowPercentage')]: '-11', [kn('metric')]: 'cpu' }));
    expect(issues.map((i) => i.key).sort()).toEqual([kn('metric'), kn('panicThresholdPercentage'), kn('panicWindowPercentage')]);
  });

  it('rejects two aliases that disagree', () => {
    const issues = issuesOf(parse({ [kn('panic-window-percentage')]: '20', [kn('panicWindowPercentage')]: '30' }));
    expect(issues.map((i) => i.code)).toEqual(['conflicting_aliases']);
  });
});

describe('KPA schema: declared keys', () => {
  it('lists the Ebb keys and every Knative alias, legacy names included', () => {
    const keys = schema.keys(PREFIX);
    expect(keys).toEqual(
      expect.arrayContaining([
        `${PREFIX}class`,
        kn('class'),
        `${PREFIX}metric`,
        kn('metric'),
        `${PREFIX}target`,
        kn('target'),
        kn('target-utilization-percentage'),
        kn('targetUtilizationPercentage'),
        `${PREFIX}container-concurrency`,
        kn('window'),
        kn('panic-window-percentage'),
        kn('panicWindowPercentage'),
        kn('panic-threshold-percentage'),
        kn('panicThresholdPercentage'),
        kn('target-burst-capacity'),
        kn('targetBurstCapacity'),
        `${PREFIX}max-scale-up-rate`,
        `${PREFIX}max-scale-down-rate`,
        kn('metric-aggregation-algorithm'),
        kn('metricAggregationAlgorithm'),
        `${PREFIX}metric-source`,
        `${PREFIX}prometheus-query`,
      ]),
    );
    expect(keys).toHaveLength(28);
  });

  it('describes every field with its default in annotation units', () => {
    for (const spec of Object.values(schema.fields)) expect(spec.description.length).toBeGreaterThan(20);
    expect(schema.fields['stableWindowMs']?.default).toBe(60_000);
    expect(schema.fields['panicThreshold']?.default).toBe(200);
  });

  it('takes its defaults from the cluster options', () => {
    const custom = createKpaConfigSchema(resolveKpaDefaults({ stableWindowMs: 120_000, containerConcurrencyTargetDefault: 10, panicThresholdPercentage: 300 }));
    expect(valueOf(custom.parse({}, PREFIX))).toMatchObject({ stableWindowMs: 120_000, panicWindowMs: 12_000, targetPerPod: 7, panicThreshold: 3 });
    expect(valueOf(custom.parse({ [kn('window')]: '30s' }, PREFIX))).toMatchObject({ stableWindowMs: 30_000, panicWindowMs: 3_000 });
  });
});
