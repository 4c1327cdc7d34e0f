import { describe, expect, it } from 'vitest';
import { DEFAULT_SCALE_DOWN_RULES, DEFAULT_SCALE_UP_RULES, type HpaScalingPolicy, type HpaScalingRules, type SelectPolicy } from './behavior.ts';
import type { ScaleEvent } from './hpa-state.ts';
import { limitWithBehavior, limitWithoutBehavior, replicasChangedInPeriod, scaleDownLimit, scaleUpLimit } from './rate-limits.ts';
import { NOW_MS } from './test-support/pods.ts';

/** `generateScalingRules` of horizontal_test.go: a Pods and/or a Percent policy, selectPolicy Max. */
function rules(pods: number, podsPeriod: number, percent: number, percentPeriod: number, window: number): HpaScalingRules {
  const policies: HpaScalingPolicy[] = [];
  if (pods !== 0) policies.push({ type: 'Pods', value: pods, periodSeconds: podsPeriod });
  if (percent !== 0) policies.push({ type: 'Percent', value: percent, periodSeconds: percentPeriod });
  return { stabilizationWindowSeconds: window, selectPolicy: 'Max', policies };
}

/**
 * `generateEventsUniformDistribution` of horizontal_test.go: the events sit in the middle of equal segments of
 * the last `periodSeconds`. Example: [1, 5, 9] over 120 s -> 100 s, 60 s and 20 s ago.
 */
function spread(changes: number[], periodSeconds: number): ScaleEvent[] {
  const segment = periodSeconds / changes.length;
  return changes.map((replicaChange, i) => ({ replicaChange, timeMs: NOW_MS - (periodSeconds - segment * (i + 1) + segment / 2) * 1000 }));
}

interface RulesCase {
  readonly name: string;
  readonly current: number;
  readonly desired: number;
  readonly min: number;
  readonly max: number;
  readonly up?: HpaScalingRules;
  readonly down?: HpaScalingRules;
  readonly upEvents?: ScaleEvent[];
  readonly downEvents?: ScaleEvent[];
  readonly expected: number;
  readonly reason: string;
}

// Ported from horizontal_test.go TestScalingWithRules; a missing direction takes the Kubernetes defaults.
const cases: RulesCase[] = [
  { name: 'prenormalized desired replicas within range', current: 5, desired: 7, min: 3, max: 8, expected: 7, reason: 'DesiredWithinRange' },
  { name: 'prenormalized desired replicas < minReplicas', current: 3, desired: 1, min: 2, max: 8, expected: 2, reason: 'TooFewReplicas' },
  { name: 'desired within range when minReplicas is 0', current: 1, desired: 0, min: 0, max: 10, expected: 0, reason: 'DesiredWithinRange' },
  { name: 'maxReplicas is the limit because maxReplicas < scaleUpLimit', current: 20, desired: 1000, min: 1, max: 10, expected: 10, reason: 'TooManyReplicas' },
  { name: 'desired replica count is more than the maximum replica count', current: 100, desired: 1000, min: 100, max: 150, expected: 150, reason: 'TooManyReplicas' },
  { name: 'scaleUpLimit < maxReplicas with user policies', current: 3, desired: 1000, min: 1, max: 2000, up: rules(0, 0, 1, 60, 0), expected: 4, reason: 'ScaleUpLimit' },
  { name: 'scaleDownLimit > minReplicas with user policies', current: 1000, desired: 3, min: 3, max: 2000, down: rules(20, 60, 0, 0, 0), expected: 980, reason: 'ScaleDownLimit' },
  { name: 'scaleUp with default behavior', current: 10, desired: 50, min: 1, max: 1000, expected: 20, reason: 'ScaleUpLimit' },
  { name: 'scaleUp with pods policy larger than percent policy', current: 10, desired: 500, min: 1, max: 1000, up: rules(100, 60, 100, 60, 0), expected: 110, reason: 'ScaleUpLimit' },
  { name: 'scaleUp with percent policy larger than pods policy', current: 10, desired: 500, min: 1, max: 1000, up: rules(2, 60, 100, 60, 0), expected: 20, reason: 'ScaleUpLimit' },
  { name: 'scaleUp with MaxReplicas limitation with large pod policy', current: 10, desired: 50, min: 1, max: 1000, up: rules(100, 60, 0, 0, 0), expected: 50, reason: 'DesiredWithinRange' },
  { name: 'scaleUp with MaxReplicas limitation with large percent policy', current: 10, desired: 50, min: 1, max: 1000, up: rules(10000, 60, 0, 0, 0), expected: 50, reason: 'DesiredWithinRange' },
  { name: 'scaleUp with pod policy limitation', current: 10, desired: 50, min: 1, max: 1000, up: rules(30, 60, 0, 0, 0), expected: 40, reason: 'ScaleUpLimit' },
  { name: 'scaleUp with percent policy limitation', current: 10, desired: 50, min: 1, max: 1000, up: rules(0, 0, 200, 60, 0), expected: 30, reason: 'ScaleUpLimit' },
  { name: 'scaleDown with percent policy larger than pod policy', current: 100, desired: 2, min: 1, max: 1000, down: rules(20, 60, 1, 60, 300), expected: 80, reason: 'ScaleDownLimit' },
  { name: 'scaleDown with pod policy larger than percent policy', current: 100, desired: 2, min: 1, max: 1000, down: rules(2, 60, 1, 60, 300), expected: 98, reason: 'ScaleDownLimit' },
  { name: 'scaleDown with MinReplicas limitation with large pod policy', current: 10, desired: 0, min: 1, max: 1000, down: rules(100, 60, 0, 0, 300), expected: 1, reason: 'TooFewReplicas' },
  { name: 'scaleDown with MinReplicas limitation with large percent policy', current: 10, desired: 2, min: 5, max: 1000, down: rules(0, 0, 100, 60, 300), expected: 5, reason: 'TooFewReplicas' },
  { name: 'scaleDown with pod policy limitation', current: 10, desired: 2, min: 1, max: 1000, down: rules(5, 60, 0, 0, 300), expected: 5, reason: 'ScaleDownLimit' },
  { name: 'scaleDown with percent policy limitation', current: 10, desired: 5, min: 1, max: 1000, down: rules(0, 0, 50, 60, 300), expected: 5, reason: 'DesiredWithinRange' },
  { name: 'scaleUp with MaxReplicas limitation with large pod policy and events', current: 100, desired: 500, min: 1, max: 200, up: rules(300, 60, 0, 0, 0), upEvents: spread([1, 5, 9], 120), expected: 200, reason: 'TooManyReplicas' },
  { name: 'scaleUp with MaxReplicas limitation with large percent policy and events', current: 100, desired: 500, min: 1, max: 200, up: rules(0, 0, 10000, 60, 0), upEvents: spread([1, 5, 9], 120), expected: 200, reason: 'TooManyReplicas' },
  { name: 'scaleUp limited to current by a lot of recent scale up events', current: 100, desired: 500, min: 1, max: 1000, up: rules(5, 120, 0, 0, 0), upEvents: spread([1, 5, 9], 120), expected: 100, reason: 'ScaleUpLimit' },
  { name: 'scaleUp with pod policy and previous scale up events', current: 100, desired: 500, min: 1, max: 1000, up: rules(150, 120, 0, 0, 0), upEvents: spread([1, 5, 9], 120), expected: 235, reason: 'ScaleUpLimit' },
  { name: 'scaleUp with percent policy and previous scale up events', current: 100, desired: 500, min: 1, max: 1000, up: rules(0, 0, 200, 120, 0), upEvents: spread([1, 5, 9], 120), expected: 255, reason: 'ScaleUpLimit' },
  { name: 'scaleUp with percent policy and previous scale up and down events', current: 6, desired: 24, min: 1, max: 1000, up: rules(0, 0, 300, 300, 0), upEvents: spread([4], 120), downEvents: spread([2], 120), expected: 16, reason: 'ScaleUpLimit' },
  { name: 'scaleDown with default policy and previous events', current: 10, desired: 5, min: 1, max: 1000, downEvents: spread([1, 5, 9], 120), expected: 5, reason: 'DesiredWithinRange' },
  { name: 'scaleDown with MinReplicas limitation with large pod policy and previous events', current: 100, desired: 0, min: 1, max: 1000, down: rules(115, 120, 0, 0, 300), downEvents: spread([1, 5, 9], 120), expected: 1, reason: 'TooFewReplicas' },
  { name: 'scaleDown with MinReplicas 5 and large pod policy and previous events', current: 100, desired: 0, min: 5, max: 1000, down: rules(130, 120, 0, 0, 300), downEvents: spread([1, 5, 9], 120), expected: 5, reason: 'TooFewReplicas' },
  { name: 'scaleDown with MinReplicas limitation with large percent policy and previous events', current: 100, desired: 2, min: 5, max: 1000, down: rules(0, 0, 100, 120, 300), downEvents: spread([1, 5, 9], 120), expected: 5, reason: 'TooFewReplicas' },
  { name: 'scaleDown with pod policy limitation and previous events', current: 100, desired: 2, min: 1, max: 1000, down: rules(5, 120, 0, 0, 300), downEvents: spread([1, 5, 9], 120), expected: 100, reason: 'ScaleDownLimit' },
  { name: 'scaleDown with percent policy limitation and previous events', current: 100, desired: 0, min: 1, max: 1000, down: rules(0, 0, 50, 120, 300), downEvents: spread([2, 4, 6], 120), expected: 56, reason: 'ScaleDownLimit' },
  { name: 'scaleDown with percent policy and previous scale up and down events', current: 10, desired: 1, min: 1, max: 1000, down: rules(0, 0, 50, 180, 0), upEvents: spread([2], 120), downEvents: spread([4], 120), expected: 6, reason: 'ScaleDownLimit' },
  { name: 'scaleDown with previous events preventing further scale down', current: 100, desired: 0, min: 1, max: 1000, down: rules(0, 0, 10, 120, 300), downEvents: spread([10, 10, 10], 120), expected: 100, reason: 'ScaleDownLimit' },
  { name: 'scaleDown with previous events still allowing more scale down', current: 10, desired: 5, min: 1, max: 1000, down: rules(0, 0, 1000, 120, 300), downEvents: spread([10, 10, 10], 120), expected: 5, reason: 'DesiredWithinRange' },
  { name: 'events of one up policy outside its period do not count', current: 100, desired: 200, min: 1, max: 1000, up: rules(1000, 60, 0, 0, 0), upEvents: spread([8, 12, 9, 11], 120), expected: 200, reason: 'DesiredWithinRange' },
  { name: 'events of two up policies with different periods', current: 100, desired: 200, min: 1, max: 1000, up: rules(1000, 120, 100, 60, 0), upEvents: spread([8, 12, 9, 11], 120), expected: 200, reason: 'DesiredWithinRange' },
  { name: 'events of one down policy outside its period do not count', current: 100, desired: 5, min: 1, max: 1000, down: rules(1000, 60, 0, 0, 300), downEvents: spread([8, 12, 9, 11], 120), expected: 5, reason: 'DesiredWithinRange' },
  { name: 'unbounded maximum: only the policies limit', current: 10, desired: 500, min: 1, max: Infinity, up: rules(7, 60, 0, 0, 0), expected: 17, reason: 'ScaleUpLimit' },
];

describe('limitWithBehavior (ported TestScalingWithRules)', () => {
  it.each(cases)('$name', ({ current, desired, min, max, up, down, upEvents = [], downEvents = [], expected, reason }) => {
    const behavior = { scaleUp: up ?? DEFAULT_SCALE_UP_RULES, scaleDown: down ?? DEFAULT_SCALE_DOWN_RULES };
    const limited = limitWithBehavior({
      currentReplicas: current,
      desiredReplicas: desired,
      minReplicas: min,
      maxReplicas: max,
      behavior,
      history: { scaleUpEvents: upEvents, scaleDownEvents: downEvents },
      nowMs: NOW_MS,
    });
    expect(limited).toEqual({ replicas: expected, reason });
  });
});

describe('select policies', () => {
  const withSelect = (selectPolicy: SelectPolicy, base: HpaScalingRules): HpaScalingRules => ({ ...base, selectPolicy });
  const history = { scaleUpEvents: [], scaleDownEvents: [] };
  it.each([
    // Scale down from 5 with Pods 2/60 s (-> 3) and Percent 50/60 s (-> trunc(2.5) = 2).
    { direction: 'down', select: 'Max', expected: 2 },
    { direction: 'down', select: 'Min', expected: 3 },
    { direction: 'down', select: 'Disabled', expected: 5 },
    // Scale up from 5 with Pods 2/60 s (-> 7) and Percent 50/60 s (-> ceil(7.5) = 8).
    { direction: 'up', select: 'Max', expected: 8 },
    { direction: 'up', select: 'Min', expected: 7 },
    { direction: 'up', select: 'Disabled', expected: 5 },
  ] as const)('scale $direction with selectPolicy $select -> $expected', ({ direction, select, expected }) => {
    const r = withSelect(select, rules(2, 60, 50, 60, 300));
    const limit = direction === 'up' ? scaleUpLimit(5, history, r, NOW_MS) : scaleDownLimit(5, history, r, NOW_MS);
    expect(limit).toBe(expected);
  });

  it.each([
    { name: 'Disabled scale-up keeps the count', behavior: { scaleUp: withSelect('Disabled', DEFAULT_SCALE_UP_RULES), scaleDown: DEFAULT_SCALE_DOWN_RULES }, desired: 9, expected: { replicas: 5, reason: 'ScaleUpLimit' } },
    { name: 'Disabled scale-down keeps the count', behavior: { scaleUp: DEFAULT_SCALE_UP_RULES, scaleDown: withSelect('Disabled', DEFAULT_SCALE_DOWN_RULES) }, desired: 2, expected: { replicas: 5, reason: 'ScaleDownLimit' } },
    { name: 'Disabled scale-down still lets it scale up', behavior: { scaleUp: DEFAULT_SCALE_UP_RULES, scaleDown: withSelect('Disabled', DEFAULT_SCALE_DOWN_RULES) }, desired: 9, expected: { replicas: 9, reason: 'DesiredWithinRange' } },
  ])('$name', ({ behavior, desired, expected }) => {
    const limited = limitWithBehavior({ currentReplicas: 5, desiredReplicas: desired, minReplicas: 1, maxReplicas: 100, behavior, history, nowMs: NOW_MS });
    expect(limited).toEqual(expected);
  });
});

describe('replicasChangedInPeriod', () => {
  it.each([
    { period: 120, expected: 15 },
    { period: 61, expected: 14 },
    { period: 60, expected: 9 },
    { period: 20, expected: 0 },
  ])('events [1, 5, 9] over the last 120 s: $expected within $period s', ({ period, expected }) => {
    expect(replicasChangedInPeriod(spread([1, 5, 9], 120), period, NOW_MS)).toBe(expected);
  });
});

describe('limitWithoutBehavior (convertDesiredReplicasWithRules)', () => {
  it.each([
    { current: 5, desired: 7, min: 3, max: 8, expected: 7, reason: 'DesiredWithinRange' },
    { current: 3, desired: 1, min: 2, max: 8, expected: 2, reason: 'TooFewReplicas' },
    { current: 20, desired: 1000, min: 1, max: 10, expected: 10, reason: 'TooManyReplicas' },
    { current: 10, desired: 50, min: 1, max: 1000, expected: 20, reason: 'ScaleUpLimit' },
    { current: 1, desired: 50, min: 1, max: 1000, expected: 4, reason: 'ScaleUpLimit' },
    { current: 1, desired: 50, min: 1, max: Infinity, expected: 4, reason: 'ScaleUpLimit' },
    { current: 2, desired: 3, min: 1, max: 3, expected: 3, reason: 'DesiredWithinRange' },
  ])('$current -> $desired within [$min, $max] gives $expected ($reason)', ({ current, desired, min, max, expected, reason }) => {
    expect(limitWithoutBehavior(current, desired, min, max)).toEqual({ replicas: expected, reason });
  });
});
