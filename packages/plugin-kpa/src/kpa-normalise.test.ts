import { describe, expect, it } from 'vitest';
import { kpaFieldDefaults, kpaFields, type KpaAnnotations } from './kpa-fields.ts';
import { normaliseKpaConfig, validateKpaConfig } from './kpa-normalise.ts';
import { KNATIVE_DEFAULTS } from './kpa-options.ts';

const defaults: KpaAnnotations = kpaFieldDefaults(kpaFields(KNATIVE_DEFAULTS));

describe('normaliseKpaConfig', () => {
  it('turns percentages into fractions and keeps the panic window percentage', () => {
    const got = normaliseKpaConfig({ ...defaults, targetUtilization: 85, panicThreshold: 150, panicWindowPercentage: 20 });
    expect(got).toMatchObject({ targetUtilization: 0.85, panicThreshold: 1.5, panicWindowPercentage: 20 });
  });

  it.each([
    { written: 'weightedExponential', want: 'weighted-exponential' },
    { written: 'weighted-exponential', want: 'weighted-exponential' },
    { written: 'linear', want: 'linear' },
    { written: 'bogus', want: 'bogus' },
  ])('aggregation $written -> $want', ({ written, want }) => {
    expect(normaliseKpaConfig({ ...defaults, aggregation: written }).aggregation).toBe(want);
  });

  it('leaves the other fields alone', () => {
    const got = normaliseKpaConfig(defaults);
    expect({ ...got, targetUtilization: 0, panicThreshold: 0 }).toEqual({ ...defaults, targetUtilization: 0, panicThreshold: 0 });
  });
});

describe('validateKpaConfig (Knative ValidateAnnotations, cross-field part)', () => {
  it.each([
    { name: 'defaults', change: {}, issues: [] },
    { name: 'invalid class', change: { autoscalerClass: 'unsupported.knative.dev' }, issues: [['autoscalerClass', 'invalid value: unsupported.knative.dev']] },
    { name: 'non-knative.dev domain class', change: { autoscalerClass: 'some.other.domain' }, issues: [] },
    { name: 'invalid metric for default class (KPA)', change: { metric: 'cpu' }, issues: [['metric', 'invalid value: cpu']] },
    { name: 'valid class KPA with metric RPS', change: { metric: 'rps' }, issues: [] },
    { name: 'valid class HPA with metric CPU', change: { autoscalerClass: 'hpa.autoscaling.knative.dev', metric: 'cpu' }, issues: [] },
    { name: 'other than HPA and KPA class', change: { autoscalerClass: 'other', metric: 'memory' }, issues: [] },
    { name: 'invalid algorithm for KPA', change: { aggregation: 'median' }, issues: [['aggregation', 'invalid value: median']] },
    { name: 'algorithm not checked for other classes', change: { autoscalerClass: 'other', aggregation: 'median' }, issues: [] },
    { name: 'TBC negative', change: { targetBurstCapacity: -11 }, issues: [['targetBurstCapacity', 'invalid value: -11']] },
    { name: 'TBC -0.5', change: { targetBurstCapacity: -0.5 }, issues: [['targetBurstCapacity', 'invalid value: -0.5']] },
    { name: 'TBC -1', change: { targetBurstCapacity: -1 }, issues: [] },
    { name: 'TBC 0', change: { targetBurstCapacity: 0 }, issues: [] },
    { name: 'TBC 19870709', change: { targetBurstCapacity: 19870709 }, issues: [] },
    {
      name: 'all together',
      change: { metric: 'cpu', aggregation: 'x', targetBurstCapacity: -3 },
      issues: [
        ['metric', 'invalid value: cpu'],
        ['aggregation', 'invalid value: x'],
        ['targetBurstCapacity', 'invalid value: -3'],
      ],
    },
  ])('$name', ({ change, issues }) => {
    const got = validateKpaConfig(normaliseKpaConfig({ ...defaults, ...change }));
    expect(got.map((i) => [i.field, i.message])).toEqual(issues);
    for (const issue of got) expect(issue.allowed).toBeTruthy();
  });
});
