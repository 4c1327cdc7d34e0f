import { describe, expect, it } from 'vitest';
import { STATUS_ANNOTATION } from '../contracts/config.ts';
import { scalingConfigSchema } from './scaling-schema.ts';
import { unknownKeys } from './unknown-keys.ts';

const known = scalingConfigSchema.keys('ebb.dev/');

describe('unknownKeys', () => {
  it.each([
    ['ebb.dev/min-replica', 'ebb.dev/min-replicas'],
    ['ebb.dev/max-replcas', 'ebb.dev/max-replicas'],
    ['ebb.dev/scale-to-zero-grace', 'ebb.dev/scale-to-zero-grace-period'],
    ['ebb.dev/scale-down', 'ebb.dev/scale-down-delay'],
    ['ebb.dev/scale-to-zero-pod-retention', 'ebb.dev/scale-to-zero-pod-retention-period'],
    ['ebb.dev/polcies', 'ebb.dev/policies'],
    ['ebb.dev/totally-unrelated-thing', undefined],
  ])('reports %s (suggesting %s)', (key, suggestion) => {
    const issues = unknownKeys({ [key]: 'x', 'ebb.dev/min-replicas': '1' }, known);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: 'unknown_key', key, value: 'x' });
    expect(issues[0]?.allowed).toBe(suggestion);
    if (suggestion) expect(issues[0]?.message).toBe(`unknown annotation ${key}: did you mean ${suggestion}?`);
  });

  it('ignores keys outside the prefixes, known keys, aliases and the status annotation', () => {
    const annotations = {
      'ebb.dev/min-replicas': '1',
      'autoscaling.knative.dev/max-scale': '3',
      'autoscaling.knative.dev/whatever': 'x',
      'deployment.kubernetes.io/revision': '4',
      [STATUS_ANNOTATION]: '{}',
    };
    expect(unknownKeys(annotations, known)).toEqual([]);
  });

  it('checks further prefixes when asked, sorted by key', () => {
    const issues = unknownKeys({ 'autoscaling.knative.dev/min-scal': '1', 'ebb.dev/zzz': '1' }, known, ['ebb.dev/', 'autoscaling.knative.dev/']);
    expect(issues.map((i) => [i.key, i.allowed])).toEqual([
      ['autoscaling.knative.dev/min-scal', 'autoscaling.knative.dev/min-scale'],
      ['ebb.dev/zzz', undefined],
    ]);
  });
});
