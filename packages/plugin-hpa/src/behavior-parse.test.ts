import { describe, expect, it } from 'vitest';
import { DEFAULT_SCALE_DOWN_RULES, DEFAULT_SCALE_UP_RULES, resolveBehavior, type HpaBehaviorSpec } from './behavior.ts';
import { parseBehavior } from './behavior-parse.ts';

/** Parses a document as YAML would deliver it (annotation-level YAML is covered in hpa-schema.test.ts). */
function parse(doc: unknown): { value: HpaBehaviorSpec | undefined; issues: string[] } {
  const issues: string[] = [];
  const value = parseBehavior(doc, (message) => issues.push(message));
  return { value, issues };
}

describe('parseBehavior: valid documents', () => {
  it.each([
    { name: 'empty mapping', doc: {}, value: {} },
    { name: 'scale-down window only', doc: { scaleDown: { stabilizationWindowSeconds: 60 } }, value: { scaleDown: { stabilizationWindowSeconds: 60 } } },
    {
      name: 'both directions with policies',
      doc: {
        scaleUp: { selectPolicy: 'Min', policies: [{ type: 'Pods', value: 4, periodSeconds: 60 }, { type: 'Percent', value: 50, periodSeconds: 30 }] },
        scaleDown: { selectPolicy: 'Disabled' },
      },
      value: {
        scaleUp: { selectPolicy: 'Min', policies: [{ type: 'Pods', value: 4, periodSeconds: 60 }, { type: 'Percent', value: 50, periodSeconds: 30 }] },
        scaleDown: { selectPolicy: 'Disabled' },
      },
    },
    { name: 'tolerance as a number', doc: { scaleUp: { tolerance: 0.05 } }, value: { scaleUp: { tolerance: 0.05 } } },
    { name: 'tolerance as a quantity', doc: { scaleDown: { tolerance: '50m' } }, value: { scaleDown: { tolerance: 0.05 } } },
    { name: 'null direction is unset', doc: { scaleUp: null, scaleDown: { stabilizationWindowSeconds: 0 } }, value: { scaleDown: { stabilizationWindowSeconds: 0 } } },
    { name: 'window at the API maximum', doc: { scaleDown: { stabilizationWindowSeconds: 3600 } }, value: { scaleDown: { stabilizationWindowSeconds: 3600 } } },
  ])('$name', ({ doc, value }) => {
    expect(parse(doc)).toEqual({ value, issues: [] });
  });
});

describe('parseBehavior: every problem is reported', () => {
  it.each([
    { name: 'not a mapping', doc: ['scaleUp'], issues: ['behavior must be a YAML mapping'] },
    { name: 'empty document', doc: null, issues: ['behavior must be a YAML mapping'] },
    { name: 'unknown top-level field', doc: { scaleup: {} }, issues: ['scaleup is not a field of behavior'] },
    { name: 'unknown rules field', doc: { scaleUp: { window: 10 } }, issues: ['scaleUp.window is not a field of scaleUp'] },
    { name: 'window below 0', doc: { scaleDown: { stabilizationWindowSeconds: -1 } }, issues: ['scaleDown.stabilizationWindowSeconds must be an integer from 0 to 3600, got -1'] },
    { name: 'window above 1 h', doc: { scaleDown: { stabilizationWindowSeconds: 3601 } }, issues: ['scaleDown.stabilizationWindowSeconds must be an integer from 0 to 3600, got 3601'] },
    { name: 'window as a duration string', doc: { scaleDown: { stabilizationWindowSeconds: '5m' } }, issues: ['scaleDown.stabilizationWindowSeconds must be an integer from 0 to 3600, got "5m"'] },
    { name: 'unknown select policy', doc: { scaleUp: { selectPolicy: 'max' } }, issues: ['scaleUp.selectPolicy must be one of Max, Min, Disabled, got "max"'] },
    { name: 'empty policies', doc: { scaleUp: { policies: [] } }, issues: ['scaleUp.policies must list at least one policy'] },
    { name: 'policies not a list', doc: { scaleUp: { policies: { type: 'Pods' } } }, issues: ['scaleUp.policies must list at least one policy'] },
    {
      name: 'bad policy fields',
      doc: { scaleDown: { policies: [{ type: 'Replicas', value: 0, periodSeconds: 1801 }] } },
      issues: [
        'scaleDown.policies[0].type must be one of Pods, Percent, got "Replicas"',
        'scaleDown.policies[0].value must be an integer from 1',
        'scaleDown.policies[0].periodSeconds must be an integer from 1 to 1800, got 1801',
      ],
    },
    { name: 'missing policy fields', doc: { scaleDown: { policies: [{ type: 'Pods' }] } }, issues: ['policies[0].value must be an integer', 'policies[0].periodSeconds must be an integer'] },
    { name: 'unknown policy field', doc: { scaleUp: { policies: [{ type: 'Pods', value: 1, periodSeconds: 1, period: 2 }] } }, issues: ['scaleUp.policies[0].period is not a field of scaleUp.policies[0]'] },
    { name: 'negative tolerance', doc: { scaleUp: { tolerance: -0.1 } }, issues: ['scaleUp.tolerance must be a quantity >= 0'] },
    { name: 'tolerance not a quantity', doc: { scaleUp: { tolerance: 'ten' } }, issues: ['scaleUp.tolerance must be a quantity >= 0'] },
    { name: 'problems in both directions', doc: { scaleUp: { selectPolicy: 'x' }, scaleDown: 5 }, issues: ['scaleUp.selectPolicy', 'scaleDown must be a mapping'] },
  ])('$name', ({ doc, issues }) => {
    const result = parse(doc);
    expect(result.value).toBeUndefined();
    expect(result.issues).toHaveLength(issues.length);
    issues.forEach((expected, i) => expect(result.issues[i]).toContain(expected));
  });
});

// The defaults of pkg/apis/autoscaling/v2/defaults.go (GenerateHPAScaleUpRules / GenerateHPAScaleDownRules),
// with the controller's 300 s downscale stabilization for an unset scale-down window.
describe('resolveBehavior', () => {
  it('fills an empty behavior with the Kubernetes defaults', () => {
    expect(resolveBehavior({})).toEqual({
      scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] },
      scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
    });
  });

  it.each([
    { name: 'only a scale-down window', spec: { scaleDown: { stabilizationWindowSeconds: 60 } }, up: DEFAULT_SCALE_UP_RULES, down: { ...DEFAULT_SCALE_DOWN_RULES, stabilizationWindowSeconds: 60 } },
    { name: 'only a select policy', spec: { scaleUp: { selectPolicy: 'Disabled' } }, up: { ...DEFAULT_SCALE_UP_RULES, selectPolicy: 'Disabled' }, down: DEFAULT_SCALE_DOWN_RULES },
    {
      name: 'policies replace the default policies, not merge with them',
      spec: { scaleUp: { policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] } },
      up: { ...DEFAULT_SCALE_UP_RULES, policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] },
      down: DEFAULT_SCALE_DOWN_RULES,
    },
    { name: 'a tolerance is kept', spec: { scaleDown: { tolerance: 0.2 } }, up: DEFAULT_SCALE_UP_RULES, down: { ...DEFAULT_SCALE_DOWN_RULES, tolerance: 0.2 } },
  ] satisfies { name: string; spec: HpaBehaviorSpec; up: object; down: object }[])('$name', ({ spec, up, down }) => {
    expect(resolveBehavior(spec)).toEqual({ scaleUp: up, scaleDown: down });
  });
});
