import { formatIssues } from '@ebb/core';
import { describe, expect, it } from 'vitest';
import { parseRolloutConfig } from './rollout-config.ts';

describe('parseRolloutConfig', () => {
  it.each([
    ['nothing: off', {}, { durationMs: 0, maxSurgePods: 0, progressDeadlineMs: 600_000 }],
    ['Ebb keys', { 'ebb.dev/rollout-duration': '60s', 'ebb.dev/rollout-max-surge': '2', 'ebb.dev/rollout-progress-deadline': '2m' }, { durationMs: 60_000, maxSurgePods: 2, progressDeadlineMs: 120_000 }],
    ["Knative's key", { 'serving.knative.dev/rollout-duration': '380s' }, { durationMs: 380_000, maxSurgePods: 0, progressDeadlineMs: 600_000 }],
  ])('%s', (_, annotations, expected) => {
    expect(parseRolloutConfig(annotations)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['ebb.dev/rollout-duration', '1.5s', /at most second precision/],
    ['ebb.dev/rollout-duration', 'soon', /duration/],
    ['ebb.dev/rollout-max-surge', '-1', /0 <= -1 <= 10000/],
    ['ebb.dev/rollout-progress-deadline', '5s', /10s <= 5s <= 24h/],
  ])('refuses %s: %s, naming the key, the value and what is allowed', (key, value, message) => {
    const parsed = parseRolloutConfig({ [key]: value });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.issues).toHaveLength(1);
    expect(parsed.issues[0]).toMatchObject({ key, value });
    expect(formatIssues(parsed.issues)).toMatch(message);
  });
});
