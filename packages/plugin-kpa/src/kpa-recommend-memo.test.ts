import { MetricWindow, type MetricsView, type RecommendInput } from '@ebb/core';
import { describe, expect, it } from 'vitest';
import type { KpaConfig } from './kpa-config.ts';
import { recommendKpa } from './kpa-recommend.ts';
import type { KpaState } from './kpa-state.ts';
import { T0, knativeTestConfig, s } from './test-support/knative-fixtures.ts';
import { DEFAULT_SCALING } from './test-support/recommend-input.ts';

/** A target's live inputs: one real window, a config and a scaling config that keep their identity. */
function target(config: KpaConfig = knativeTestConfig(10, 100, { maxScaleDownRate: 2 })) {
  const window = new MetricWindow(s(60));
  const metrics: MetricsView = { window: (m) => (m === config.metric ? window : undefined), snapshot: () => undefined };
  const scaling = { ...DEFAULT_SCALING };
  const input = (nowMs: number, ready: number, state: KpaState | undefined, over: Partial<RecommendInput<KpaConfig, KpaState>> = {}) => ({
    nowMs,
    target: { namespace: 'default', name: 'web' },
    config,
    scaling,
    replicas: { current: ready, ready },
    metrics,
    state,
    ...over,
  });
  return { window, input, config, scaling };
}

/** The same decision made without the memo: a copy of the state is not the object a decision returned. */
const fresh = (i: RecommendInput<KpaConfig, KpaState>) => recommendKpa({ ...i, state: i.state && { ...i.state } });

describe('recommendKpa: a steady decision returns the previous answer', () => {
  it('returns the same objects while nothing it reads changes, equal to a fresh decision', () => {
    const t = target();
    for (let i = 0; i < 60; i++) t.window.record(35, T0 - s(59 - i));
    const first = recommendKpa(t.input(T0, 5, { panicTimeMs: undefined, maxPanicPods: 0 }));
    const second = recommendKpa(t.input(T0 + 500, 5, first.state));
    for (let i = 1; i <= 30; i++) t.window.record(35, T0 + s(i)); // time goes on, the load stays
    const third = recommendKpa(t.input(T0 + s(30), 5, second.state));
    expect(second).toBe(first);
    expect(third).toBe(first);
    expect(third).toEqual(fresh(t.input(T0 + s(30), 5, second.state)));
    expect(first.recommendation).toMatchObject({ kind: 'replicas', replicas: 4 });
  });

  it.each([
    ['the ready pods', (t: ReturnType<typeof target>, st: KpaState | undefined) => t.input(T0 + 500, 4, st)],
    ['the configuration', (t: ReturnType<typeof target>, st: KpaState | undefined) => t.input(T0 + 500, 5, st, { config: { ...t.config } })],
    ['the scaling configuration', (t: ReturnType<typeof target>, st: KpaState | undefined) => t.input(T0 + 500, 5, st, { scaling: { ...t.scaling, activationReplicas: 9 } })],
    [
      'the window values',
      (t: ReturnType<typeof target>, st: KpaState | undefined) => {
        t.window.record(1, T0);
        return t.input(T0 + 500, 5, st);
      },
    ],
  ])('decides again when %s changed', (_name, next) => {
    const t = target();
    for (let i = 0; i < 60; i++) t.window.record(35, T0 - s(59 - i));
    const first = recommendKpa(t.input(T0, 5, { panicTimeMs: undefined, maxPanicPods: 0 }));
    const input = next(t, first.state);
    const again = recommendKpa(input);
    expect(again).not.toBe(first);
    expect(again).toEqual(fresh(input));
  });

  it('keeps deciding in panic mode, where the time matters: panic ends a stable window after the last crossing', () => {
    const t = target();
    for (let i = 0; i < 60; i++) t.window.record(i < 54 ? 10 : 100, T0 - s(59 - i)); // panic value 100: 10 pods
    const first = recommendKpa(t.input(T0, 2, { panicTimeMs: undefined, maxPanicPods: 0 }));
    expect(first.state?.panicTimeMs).toBe(T0);
    // Back to a calm panic window; within the stable window the panic holds the pods, after it the decider calms.
    for (let i = 1; i <= 6; i++) t.window.record(10, T0 + s(i));
    const held = recommendKpa(t.input(T0 + s(6), 10, first.state));
    const later = recommendKpa(t.input(T0 + s(6) + 1, 10, held.state));
    expect(later).not.toBe(held);
    expect(later.state).toEqual(held.state);
    const calm = recommendKpa(t.input(T0 + s(61), 10, later.state));
    expect(calm.state?.panicTimeMs).toBeUndefined();
    expect(calm).toEqual(fresh(t.input(T0 + s(61), 10, later.state)));
  });

  it('returns the same "no data" answer while the window stays empty', () => {
    const t = target();
    const state = { panicTimeMs: undefined, maxPanicPods: 0 };
    const first = recommendKpa(t.input(T0, 1, state));
    expect(first.recommendation.kind).toBe('no-data');
    expect(recommendKpa(t.input(T0 + s(2), 1, first.state))).toBe(first);
    t.window.record(7, T0 + s(3));
    expect(recommendKpa(t.input(T0 + s(3), 1, first.state)).recommendation).toMatchObject({ kind: 'replicas', replicas: 1 });
  });
});
