import { describe, expect, it } from 'vitest';
import type { ScalingConfig } from '../contracts/scaling.ts';
import type { Combiner } from '../loop/evaluate.ts';
import { combine } from './combine.ts';
import { recs, scalingConfig, type Answer } from './test-support/combine-fixtures.ts';

const NOW = Date.UTC(2026, 0, 1);

function once(answers: readonly Answer[], current: number, overrides: Partial<ScalingConfig> = {}) {
  return combine({ recommendations: recs(...answers), scaling: scalingConfig(overrides), currentReplicas: current, nowMs: NOW });
}

describe('combine: the max of the recommendations', () => {
  it.each([
    ['one plugin', [7], 3, 7, 'p0'],
    ['cron 10 and cpu 20 gives 20', [10, 20], 5, 20, 'p1'],
    ['order does not matter for the value', [20, 10], 5, 20, 'p0'],
    ['a tie goes to the first plugin in policy order', [12, 12, 12], 5, 12, 'p0'],
    ['no-opinion plugins are ignored', ['-', 4, '-'], 9, 4, 'p1'],
    ['a scale-down is allowed without missing data', [2], 9, 2, 'p0'],
    ['a fraction is rounded up', [2.2], 1, 3, 'p0'],
    ['zero for a target already at zero', [0], 0, 0, 'p0'],
  ] as const)('%s', (_name, answers, current, desired, winner) => {
    const r = once(answers, current);
    expect(r.desired).toBe(desired);
    expect(r.winner).toEqual({ pluginId: winner, reason: `wants ${Math.max(...answers.filter((a) => typeof a === 'number'))}` });
  });

  it.each([
    ['every plugin has no opinion', ['-', '-'], 6],
    ['no plugin at all', [], 6],
    ['one no-opinion and one no-data', ['-', '?'], 6],
  ] as const)('keeps the current count when %s, without a winner', (_name, answers, current) => {
    const r = once(answers, current);
    expect(r.desired).toBe(current);
    expect(r.winner).toBeUndefined();
    expect(r.applied).toEqual([]);
  });
});

describe('combine: no data blocks every scale-down', () => {
  it.each([
    ['a lower recommendation is held at current', [3, '?'], 8, 8, ['no-data-hold']],
    ['a higher recommendation still scales up', [12, '?'], 8, 12, []],
    ['no data alone holds', ['?'], 8, 8, []],
    ['no data never scales a target at zero up', ['?'], 0, 0, []],
    ['a zero recommendation does not reach the grace period', [0, '?'], 4, 4, ['no-data-hold']],
    ['an invalid recommendation counts as no data', [Number.NaN], 5, 5, []],
    ['a negative recommendation counts as no data', [-1, 2], 5, 5, ['no-data-hold']],
  ] as const)('%s', (_name, answers, current, desired, applied) => {
    const r = once(answers, current);
    expect(r.desired).toBe(desired);
    expect(r.applied).toEqual(applied);
  });

  it('names the plugins without data', () => {
    const r = once([1, '?', '?'], 5);
    expect(r.steps).toEqual([{ step: 'no-data-hold', from: 1, to: 5, detail: 'no data from p1, p2: holding at 5' }]);
  });

  it('lets max-replicas win over the hold (bounds are configuration)', () => {
    const r = once([3, '?'], 10, { maxReplicas: 6 });
    expect([r.desired, r.applied]).toEqual([6, ['no-data-hold', 'max-replicas']]);
  });
});

describe('combine: bounds', () => {
  it.each([
    ['below min', [1], 1, { minReplicas: 3 }, 3, ['min-replicas']],
    ['above max', [30], 10, { maxReplicas: 20 }, 20, ['max-replicas']],
    ['inside the bounds', [7], 7, { minReplicas: 3, maxReplicas: 20 }, 7, []],
    ['max 0 is unbounded', [5000], 10, { maxReplicas: 0 }, 5000, []],
    ['min applies with no opinion', ['-'], 0, { minReplicas: 2 }, 2, ['min-replicas']],
    ['max applies with no opinion', ['-'], 50, { maxReplicas: 20 }, 20, ['max-replicas']],
    ['min keeps a target from zero', [0], 5, { minReplicas: 1 }, 1, ['min-replicas']],
  ] as const)('%s', (_name, answers, current, overrides, desired, applied) => {
    const r = once(answers, current, overrides);
    expect(r.desired).toBe(desired);
    expect(r.applied).toEqual(applied);
  });

  it('records before and after for each step', () => {
    expect(once([30], 10, { maxReplicas: 20 }).steps).toEqual([{ step: 'max-replicas', from: 30, to: 20, detail: 'max-replicas is 20' }]);
  });
});

describe('combine: scale to zero in one decision', () => {
  it.each([
    ['disabled keeps one', 5, { scaleToZero: false }, 1, ['scale-to-zero-disabled']],
    ['disabled raises a target at zero to one', 0, { scaleToZero: false }, 1, ['scale-to-zero-disabled']],
    ['disabled, then activation from zero', 0, { scaleToZero: false, activationReplicas: 2 }, 2, ['scale-to-zero-disabled', 'activation']],
    ['a running target waits for the grace period', 5, {}, 1, ['scale-to-zero-grace']],
    ['the pod retention holds when longer than the grace period', 5, { scaleToZeroPodRetentionMs: 60_000 }, 1, ['pod-retention']],
    ['a target already at zero stays there', 0, {}, 0, []],
  ] as const)('%s', (_name, current, overrides, desired, applied) => {
    const r = once([0], current, overrides);
    expect(r.desired).toBe(desired);
    expect(r.applied).toEqual(applied);
  });
});

describe('combine: activation from zero', () => {
  it.each([
    ['from zero to at least activation', [1], 0, { activationReplicas: 3 }, 3, ['activation']],
    ['more than activation is kept', [5], 0, { activationReplicas: 3 }, 5, []],
    ['activation is capped by max', [1], 0, { activationReplicas: 5, maxReplicas: 4 }, 4, ['activation']],
    ['not when already running', [1], 2, { activationReplicas: 3 }, 1, []],
    ['after min-replicas', [0], 0, { minReplicas: 2, activationReplicas: 3 }, 3, ['min-replicas', 'activation']],
    ['not while staying at zero', [0], 0, { activationReplicas: 3 }, 0, []],
  ] as const)('%s', (_name, answers, current, overrides, desired, applied) => {
    const r = once(answers, current, overrides);
    expect(r.desired).toBe(desired);
    expect(r.applied).toEqual(applied);
  });
});

describe('combine: state', () => {
  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a string', 'garbage'],
    ['a malformed window', { delayWindow: [{ timeMs: 'x', replicas: 1 }] }],
    ['a window that is not an array', { delayWindow: 3 }],
  ])('starts afresh from %s', (_name, state) => {
    const r = combine({ recommendations: recs(2), scaling: scalingConfig({ scaleDownDelayMs: 10_000 }), currentReplicas: 4, nowMs: NOW, state });
    expect(r.desired).toBe(2);
    expect(r.state).toEqual({ delayWindow: [{ timeMs: NOW, replicas: 2 }], lastActiveMs: NOW });
  });

  it('survives a JSON round trip', () => {
    const scaling = scalingConfig({ scaleDownDelayMs: 10_000 });
    const first = combine({ recommendations: recs(9), scaling, currentReplicas: 4, nowMs: NOW });
    const second = combine({ recommendations: recs(2), scaling, currentReplicas: 9, nowMs: NOW + 2_000, state: JSON.parse(JSON.stringify(first.state)) });
    expect(second.desired).toBe(9);
  });

  it('keeps no delay window when there is no delay', () => {
    expect(once([3], 1).state.delayWindow).toEqual([]);
  });
});

describe('combine: fits the control loop', () => {
  it('is a Combiner the loop can be given', () => {
    const combiner: Combiner = combine;
    const r = combiner({ recommendations: recs(4), scaling: scalingConfig(), currentReplicas: 1, nowMs: NOW, state: undefined });
    expect([r.desired, r.winner?.pluginId]).toEqual([4, 'p0']);
  });
});

describe('combine: initial replicas (Knative initial-scale)', () => {
  const base = { scaling: scalingConfig({ initialReplicas: 2 }), nowMs: NOW };
  it.each([
    ['a new target at zero without data is raised to the initial count', { recommendations: [], currentReplicas: 0, readyReplicas: 0 }, 2, ['initial-replicas']],
    ['a policy wanting more wins', { recommendations: recs(5), currentReplicas: 0, readyReplicas: 0 }, 5, []],
    ['still raised while its pods are not ready yet', { recommendations: recs(0), currentReplicas: 2, readyReplicas: 1 }, 2, ['scale-to-zero-grace', 'initial-replicas']],
    ['once that many pods were ready, the policies decide', { recommendations: recs(0), currentReplicas: 2, readyReplicas: 2 }, 1, ['scale-to-zero-grace']],
    ['a target Ebb managed before is not raised after a scaler restart', { recommendations: recs(0), currentReplicas: 0, readyReplicas: 0, managedBefore: true }, 0, []],
  ])('%s', (_name, req, desired, applied) => {
    const r = combine({ ...base, state: undefined, ...req });
    expect(r.desired).toBe(desired);
    expect(r.applied).toEqual(applied);
  });

  it('remembers initialization: raised while starting, then free to scale to zero', () => {
    const first = combine({ ...base, recommendations: recs(0), currentReplicas: 0, readyReplicas: 0, state: undefined });
    expect(first.desired).toBe(2);
    const ready = combine({ ...base, nowMs: NOW + 10_000, recommendations: recs(0), currentReplicas: 2, readyReplicas: 2, state: first.state });
    expect(ready.state.initialized).toBe(true);
    const later = combine({ ...base, nowMs: NOW + 60_000, recommendations: recs(0), currentReplicas: 2, readyReplicas: 0, state: ready.state });
    expect(later.desired).toBe(0);
  });
});

describe('combine: a request waiting at zero', () => {
  it.each([
    ['wakes a target at zero before metrics show the request', { currentReplicas: 0, requestWaiting: true }, 1, ['activation']],
    ['wakes it to the activation count', { currentReplicas: 0, requestWaiting: true, scaling: scalingConfig({ activationReplicas: 3 }) }, 3, ['activation']],
    ['does nothing to a running target', { currentReplicas: 2, requestWaiting: true }, 1, ['scale-to-zero-grace']],
    ['without a waiting request a target at zero stays there', { currentReplicas: 0 }, 0, []],
  ])('%s', (_name, req, desired, applied) => {
    const r = combine({ recommendations: recs(0), scaling: scalingConfig(), nowMs: NOW, state: { delayWindow: [], lastActiveMs: NOW - 3_600_000 }, ...req });
    expect(r.desired).toBe(desired);
    expect(r.applied).toEqual(applied);
  });

  it('restarts the grace period, so the woken pod is not taken away before metrics arrive', () => {
    const woken = combine({ recommendations: recs(0), scaling: scalingConfig(), currentReplicas: 0, requestWaiting: true, nowMs: NOW, state: undefined });
    const next = combine({ recommendations: recs(0), scaling: scalingConfig(), currentReplicas: 1, nowMs: NOW + 2_000, state: woken.state });
    expect(next.desired).toBe(1);
    expect(next.applied).toEqual(['scale-to-zero-grace']);
  });
});
