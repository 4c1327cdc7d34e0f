import { describe, expect, it } from 'vitest';
import { DEFAULT_HPA_CONFIG, KNATIVE_HPA_CLASS, type HpaConfig } from './hpa-fields.ts';
import { knativeTargets, knativeWindowBehavior, normaliseHpaConfig, validateHpaConfig } from './knative-mapping.ts';
import { metricTargets } from './metric-target.ts';

const Mi = 1024 * 1024;
const config = (fields: Partial<HpaConfig>): HpaConfig => ({ ...DEFAULT_HPA_CONFIG, ...fields });
const hpa = (fields: Partial<HpaConfig>): HpaConfig => config({ knativeClass: KNATIVE_HPA_CLASS, ...fields });

describe('knativeTargets', () => {
  it.each([
    { name: 'cpu by default, rounded up', c: hpa({ knativeTarget: 0.01 }), expected: { cpuUtilization: 1 } },
    { name: 'cpu 80', c: hpa({ knativeMetric: 'cpu', knativeTarget: 80 }), expected: { cpuUtilization: 80 } },
    { name: 'memory in whole Mi', c: hpa({ knativeMetric: 'memory', knativeTarget: 1.99 }), expected: { memoryAverageBytes: 1 * Mi } },
    { name: 'another class', c: config({ knativeClass: 'kpa.autoscaling.knative.dev', knativeTarget: 10 }), expected: undefined },
    { name: 'no target', c: hpa({ knativeMetric: 'memory' }), expected: undefined },
    { name: 'an unsupported metric', c: hpa({ knativeMetric: 'rps', knativeTarget: 10 }), expected: undefined },
  ])('$name', ({ c, expected }) => {
    const none = { cpuUtilization: undefined, memoryUtilization: undefined, cpuAverageMilli: undefined, memoryAverageBytes: undefined };
    expect(knativeTargets(c)).toEqual(expected === undefined ? undefined : { ...none, ...expected });
  });
});

describe('normaliseHpaConfig', () => {
  it.each([
    { name: 'maps a Knative target', c: hpa({ knativeTarget: 65 }), expected: { cpuUtilization: 65 } },
    { name: 'keeps Ebb targets over a Knative one (validation reports it)', c: hpa({ knativeTarget: 65, cpuAverageMilli: 300 }), expected: { cpuUtilization: undefined, cpuAverageMilli: 300 } },
    { name: 'maps the window to both stabilization windows', c: hpa({ knativeWindowMs: 120_000 }), expected: { behavior: { scaleUp: { stabilizationWindowSeconds: 120 }, scaleDown: { stabilizationWindowSeconds: 120 } } } },
    { name: 'keeps a written behavior over the window', c: hpa({ knativeWindowMs: 120_000, behavior: {} }), expected: { behavior: {} } },
    { name: 'ignores Knative keys of another class', c: config({ knativeTarget: 65, knativeWindowMs: 60_000 }), expected: { cpuUtilization: undefined, behavior: undefined } },
  ])('$name', ({ c, expected }) => {
    expect(normaliseHpaConfig(c)).toMatchObject(expected);
  });

  it('the mapped config scales on the Knative target', () => {
    expect(metricTargets(normaliseHpaConfig(hpa({ knativeMetric: 'memory', knativeTarget: 300 })))).toEqual([{ resource: 'memory', kind: 'average', averageValue: 300 * Mi }]);
  });

  it('without any target the plugin scales on CPU at 80 %', () => {
    expect(metricTargets(normaliseHpaConfig(hpa({})))).toEqual([{ resource: 'cpu', kind: 'utilization', averageUtilization: 80 }]);
  });
});

describe('validateHpaConfig', () => {
  const fieldsOf = (c: HpaConfig): string[] => validateHpaConfig(normaliseHpaConfig(c)).map((i) => i.field);
  it.each([
    { name: 'plain Ebb config', c: config({ cpuUtilization: 70, knativeMetric: 'rps' }), fields: [] },
    { name: 'Knative cpu target', c: hpa({ knativeTarget: 70 }), fields: [] },
    { name: 'Knative memory target', c: hpa({ knativeMetric: 'memory', knativeTarget: 512 }), fields: [] },
    { name: 'Knative window alone', c: hpa({ knativeWindowMs: 60_000 }), fields: [] },
    { name: 'Knative window equal to the written behavior', c: hpa({ knativeWindowMs: 60_000, behavior: knativeWindowBehavior(60_000) }), fields: [] },
    { name: 'unsupported metric', c: hpa({ knativeMetric: 'concurrency', knativeTarget: 10 }), fields: ['knativeMetric'] },
    { name: 'memory without target', c: hpa({ knativeMetric: 'memory' }), fields: ['knativeMetric'] },
    { name: 'memory target below 1 Mi', c: hpa({ knativeMetric: 'memory', knativeTarget: 0.5 }), fields: ['knativeTarget'] },
    { name: 'conflicting targets', c: hpa({ knativeTarget: 70, cpuUtilization: 60 }), fields: ['knativeTarget'] },
    { name: 'an extra Ebb target beside the Knative one', c: hpa({ knativeTarget: 70, memoryUtilization: 60 }), fields: ['knativeTarget'] },
    { name: 'window and behavior', c: hpa({ knativeWindowMs: 60_000, behavior: { scaleDown: { stabilizationWindowSeconds: 10 } } }), fields: ['knativeWindowMs'] },
  ])('$name', ({ c, fields }) => {
    expect(fieldsOf(c)).toEqual(fields);
  });

  it('names the Ebb targets that disagree', () => {
    const [issue] = validateHpaConfig(normaliseHpaConfig(hpa({ knativeTarget: 70, cpuUtilization: 60, memoryAverageBytes: Mi })));
    expect(issue?.related).toEqual(['cpuUtilization', 'memoryAverageBytes', 'knativeMetric']);
  });
});
