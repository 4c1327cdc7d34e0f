import { describe, expect, it } from 'vitest';
import type { ConfigIssue } from '../contracts/config.ts';
import type { ScalingConfig } from '../contracts/scaling.ts';
import { parseScalingConfig, scalingConfigSchema } from './scaling-schema.ts';

const KN = 'autoscaling.knative.dev/';

function value(annotations: Record<string, string>): ScalingConfig {
  const r = parseScalingConfig(annotations);
  if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('; '));
  return r.value;
}

function issues(annotations: Record<string, string>): readonly ConfigIssue[] {
  const r = parseScalingConfig(annotations);
  return r.ok ? [] : r.issues;
}

describe('scaling schema: defaults', () => {
  it('matches Knative defaults', () => {
    expect(value({})).toEqual({
      policies: ['kpa'],
      minReplicas: 0,
      maxReplicas: 0,
      initialReplicas: 1,
      activationReplicas: 1,
      scaleDownDelayMs: 0,
      scaleToZero: true,
      scaleToZeroGracePeriodMs: 30_000,
      scaleToZeroPodRetentionMs: 0,
    });
  });
});

describe('scaling schema: Ebb keys and Knative aliases', () => {
  it.each([
    ['ebb.dev/policies', 'kpa, cron', 'policies', ['kpa', 'cron']],
    ['ebb.dev/min-replicas', '2', 'minReplicas', 2],
    [`${KN}min-scale`, '2', 'minReplicas', 2],
    [`${KN}minScale`, '3', 'minReplicas', 3],
    ['ebb.dev/max-replicas', '50', 'maxReplicas', 50],
    [`${KN}max-scale`, '50', 'maxReplicas', 50],
    [`${KN}maxScale`, '5', 'maxReplicas', 5],
    ['ebb.dev/initial-replicas', '0', 'initialReplicas', 0],
    [`${KN}initial-scale`, '4', 'initialReplicas', 4],
    [`${KN}initialScale`, '4', 'initialReplicas', 4],
    ['ebb.dev/activation-replicas', '3', 'activationReplicas', 3],
    [`${KN}activation-scale`, '3', 'activationReplicas', 3],
    ['ebb.dev/scale-down-delay', '5m', 'scaleDownDelayMs', 300_000],
    [`${KN}scale-down-delay`, '15s', 'scaleDownDelayMs', 15_000],
    [`${KN}scaleDownDelay`, '1h', 'scaleDownDelayMs', 3_600_000],
    ['ebb.dev/scale-to-zero', 'false', 'scaleToZero', false],
    ['ebb.dev/scale-to-zero-grace-period', '1m', 'scaleToZeroGracePeriodMs', 60_000],
    ['ebb.dev/scale-to-zero-pod-retention-period', '1m5s', 'scaleToZeroPodRetentionMs', 65_000],
    [`${KN}scale-to-zero-pod-retention-period`, '42s', 'scaleToZeroPodRetentionMs', 42_000],
    [`${KN}scaleToZeroPodRetentionPeriod`, '500ms', 'scaleToZeroPodRetentionMs', 500],
  ] as const)('%s=%j -> %s', (key, raw, prop, expected) => {
    expect(value({ [key]: raw })[prop]).toEqual(expected);
  });

  it('prefers the Ebb key over Knative aliases', () => {
    expect(value({ 'ebb.dev/min-replicas': '1', [`${KN}min-scale`]: '4', [`${KN}minScale`]: '5' }).minReplicas).toBe(1);
  });

  it('reports Knative aliases that disagree', () => {
    expect(issues({ [`${KN}min-scale`]: '1', [`${KN}minScale`]: '2' })).toMatchObject([{ code: 'conflicting_aliases', key: `${KN}min-scale` }]);
  });
});

describe("scaling schema: Knative's ranges and messages", () => {
  it.each([
    [`${KN}min-scale`, '-1', 'out_of_range', `expected 0 <= -1 <= 2147483647: ${KN}min-scale`],
    [`${KN}max-scale`, '2147483648', 'out_of_range', `expected 0 <= 2147483648 <= 2147483647: ${KN}max-scale`],
    ['ebb.dev/min-replicas', 'two', 'invalid_type', 'invalid value "two" for ebb.dev/min-replicas: expected an integer >= 0 and <= 2147483647'],
    [`${KN}activation-scale`, '0', 'out_of_range', `expected 1 <= 0 <= 2147483647: ${KN}activation-scale`],
    [`${KN}initial-scale`, '-3', 'out_of_range', `expected 0 <= -3 <= 2147483647: ${KN}initial-scale`],
    [`${KN}scale-down-delay`, '2h', 'out_of_range', `expected 0s <= 2h <= 1h: ${KN}scale-down-delay`],
    [`${KN}scale-down-delay`, '-1s', 'out_of_range', `expected 0s <= -1s <= 1h: ${KN}scale-down-delay`],
    [`${KN}scale-down-delay`, '1500ms', 'invalid_value', `invalid value "1500ms" for ${KN}scale-down-delay: must be specified with at most second precision`],
    [`${KN}scale-to-zero-pod-retention-period`, '61m', 'out_of_range', `expected 0s <= 61m <= 1h: ${KN}scale-to-zero-pod-retention-period`],
    ['ebb.dev/scale-to-zero-grace-period', '5s', 'out_of_range', 'expected 6s <= 5s <= 1h: ebb.dev/scale-to-zero-grace-period'],
    ['ebb.dev/scale-to-zero', 'yes', 'invalid_type', 'invalid value "yes" for ebb.dev/scale-to-zero: expected true or false'],
  ])('%s=%j: %s', (key, raw, code, message) => {
    expect(issues({ [key]: raw })).toEqual([expect.objectContaining({ code, key, value: raw, message })]);
  });

  it.each([
    [{ 'ebb.dev/min-replicas': '5', 'ebb.dev/max-replicas': '2' }, 'max-replicas=2 is less than min-replicas=5: ebb.dev/max-replicas, ebb.dev/min-replicas'],
    [{ [`${KN}min-scale`]: '5', [`${KN}max-scale`]: '2' }, `max-scale=2 is less than min-scale=5: ${KN}max-scale, ${KN}min-scale`],
    [{ [`${KN}minScale`]: '5', 'ebb.dev/max-replicas': '2' }, `max-replicas=2 is less than minScale=5: ebb.dev/max-replicas, ${KN}minScale`],
    [{ 'ebb.dev/activation-replicas': '3', 'ebb.dev/max-replicas': '2' }, 'max-replicas=2 is less than activation-replicas=3: ebb.dev/max-replicas, ebb.dev/activation-replicas'],
  ])('rejects %j', (annotations, message) => {
    expect(issues(annotations)).toEqual([expect.objectContaining({ code: 'invalid_combination', message })]);
  });

  it.each([
    [{ 'ebb.dev/min-replicas': '5', 'ebb.dev/max-replicas': '0' }],
    [{ 'ebb.dev/min-replicas': '5', 'ebb.dev/max-replicas': '5' }],
    [{ 'ebb.dev/activation-replicas': '5', 'ebb.dev/max-replicas': '5' }],
    [{ 'ebb.dev/activation-replicas': '9' }],
  ])('accepts %j', (annotations) => expect(issues(annotations)).toEqual([]));

  it('reports every problem of a badly configured target at once', () => {
    const found = issues({ 'ebb.dev/min-replicas': '9', 'ebb.dev/max-replicas': '3', [`${KN}scale-down-delay`]: 'soon', 'ebb.dev/scale-to-zero': '1' });
    expect(found.map((i) => i.code).sort()).toEqual(['invalid_combination', 'invalid_type', 'invalid_type']);
  });

  it('reads every documented key', () => {
    expect(scalingConfigSchema.keys('ebb.dev/')).toHaveLength(9 + 11);
  });
});
