import { describe, expect, it } from 'vitest';
import type { Recommendation } from '@ebb/core';
import type { KpaConfig } from './kpa-config.ts';
import { recommendKpa } from './kpa-recommend.ts';
import type { KpaState } from './kpa-state.ts';
import { FakeWindow, fakeMetrics } from './test-support/fake-metrics.ts';
import { T0, expectedEbc, knativeTestConfig, s } from './test-support/knative-fixtures.ts';
import { recommendInput } from './test-support/recommend-input.ts';

/** Metrics where `metric` was `value` in every second of the last `seconds` seconds up to `nowMs`. */
function steady(metric: string, value: number, nowMs = T0, seconds = 60): ReturnType<typeof fakeMetrics> {
  return fakeMetrics({ [metric]: new FakeWindow().fill(nowMs - s(seconds - 1), nowMs + 1, value) });
}

function replicasOf(r: Recommendation): number {
  if (r.kind !== 'replicas') throw new Error(`expected replicas, got ${r.kind}: ${r.reason}`);
  return r.replicas;
}

describe('recommendKpa', () => {
  it('TestAutoscalerMetrics: reports desired pods, stable/panic values, target, burst capacity and panic (5 needed / 1 ready)', () => {
    const out = recommendKpa(recommendInput(knativeTestConfig(10, 100), { metrics: steady('concurrency', 50) }));
    expect(out.recommendation).toMatchObject({
      kind: 'replicas',
      replicas: 5,
      details: {
        metric: 'concurrency',
        observedStableValue: 50,
        observedPanicValue: 50,
        targetPerPod: 10,
        readyPods: 1,
        desiredStablePods: 5,
        desiredPanicPods: 5,
        inPanic: true,
        excessBurstCapacity: expectedEbc(10, 100, 50, 1),
        panicTimeMs: T0,
      },
    });
    expect(out.state).toEqual({ panicTimeMs: T0, maxPanicPods: 5 });
  });

  it('TestAutoscalerMetricsWithRPS: scales on rps, panicking at 10 pods needed for 1 ready', () => {
    // 54 s at 101 and 6 s at 99: stable (5454 + 594) / 60 = 100.8 -> 11 pods, limited to 10 by rate 10 x 1 pod.
    const w = new FakeWindow().fill(T0 - s(59), T0 - s(5), 101).fill(T0 - s(5), T0 + 1, 99);
    const out = recommendKpa(recommendInput(knativeTestConfig(10, 100, { metric: 'rps' }), { metrics: fakeMetrics({ rps: w }) }));
    expect(replicasOf(out.recommendation)).toBe(10);
    expect(out.recommendation.reason).toBe(
      'panic: rps 99 over 6s / 10 per pod = 10 pods; rps 100.8 over 60s / 10 per pod = 11 pods, limited to 10 by max-scale-up-rate 10',
    );
    expect(out.recommendation).toMatchObject({ details: { metric: 'rps', observedPanicValue: 99, inPanic: true, excessBurstCapacity: expectedEbc(10, 100, 99, 1), panicTimeMs: T0 } });
  });

  it('TestAutoscalerStartMetrics: a decider created on 2 ready pods starts in panic and holds them', () => {
    const out = recommendKpa(recommendInput(knativeTestConfig(10, 100), { ready: 2, metrics: steady('concurrency', 10) }));
    expect(replicasOf(out.recommendation)).toBe(2);
    expect(out.recommendation).toMatchObject({ details: { inPanic: true, desiredStablePods: 1 } });
    expect(out.state).toEqual({ panicTimeMs: T0, maxPanicPods: 2 });
  });

  it('TestAutoscalerNoDataNoAutoscale: no window for the metric is "no data", and the new decider state is kept', () => {
    const out = recommendKpa(recommendInput(knativeTestConfig(10, 100), { ready: 3 }));
    expect(out.recommendation.kind).toBe('no-data');
    expect(out.recommendation.reason).toContain('no data to scale on');
    expect(out.state).toEqual({ panicTimeMs: T0, maxPanicPods: 3 });
  });

  it('an empty stable window is "no data" and leaves the previous state as it was', () => {
    const state: KpaState = { panicTimeMs: T0 - s(10), maxPanicPods: 7 };
    const metrics = fakeMetrics({ concurrency: new FakeWindow().record(T0 - s(120), 40) });
    const out = recommendKpa(recommendInput(knativeTestConfig(10, 100), { ready: 7, metrics, state }));
    expect(out.recommendation.kind).toBe('no-data');
    expect(out.state).toBe(state);
  });

  it.each(['hpa.autoscaling.knative.dev', 'custom.example.com'])('gives no opinion for class %s and reads no metric', (cls) => {
    const window = new FakeWindow().fill(T0 - s(59), T0 + 1, 500);
    const out = recommendKpa(recommendInput(knativeTestConfig(10, 100, { autoscalerClass: cls, selected: false }), { metrics: fakeMetrics({ concurrency: window }) }));
    expect(out.recommendation.kind).toBe('no-opinion');
    expect(out.recommendation.reason).toContain(cls);
    expect(out.state).toBeUndefined();
    expect(window.reads).toEqual([]);
  });

  it('applies the activation scale from the target scaling config (Knative activation-scale)', () => {
    const out = recommendKpa(recommendInput(knativeTestConfig(10, 75), { metrics: steady('concurrency', 1), scaling: { activationReplicas: 3 } }));
    expect(replicasOf(out.recommendation)).toBe(3);
    expect(out.recommendation.reason).toContain('raised to 3 by activation scale');
  });

  it('recommends zero for a single idle pod (the scale-to-zero decision; core applies the grace period)', () => {
    const out = recommendKpa(recommendInput(knativeTestConfig(10, 75), { metrics: steady('concurrency', 0) }));
    expect(replicasOf(out.recommendation)).toBe(0);
  });

  it('uses the weighted-exponential average when configured', () => {
    // 59 s at 0, then 120 now. Linear: 120 / 60 = 2 and 120 / 6 = 20. The fake's weights (1, 1/2, 1/4, ...) give
    // about 60 for both windows.
    const w = new FakeWindow().fill(T0 - s(59), T0, 0).record(T0, 120);
    const details = (aggregation: KpaConfig['aggregation']): unknown => {
      const out = recommendKpa(recommendInput(knativeTestConfig(1, 0, { aggregation }), { metrics: fakeMetrics({ concurrency: w }) }));
      return out.recommendation.kind === 'replicas' ? out.recommendation.details : undefined;
    };
    expect(details('linear')).toMatchObject({ observedStableValue: 2, observedPanicValue: 20 });
    const weighted = details('weighted-exponential') as Record<string, number>;
    expect(weighted['observedStableValue']).toBeCloseTo(60, 6);
    expect(weighted['observedPanicValue']).toBeCloseTo(120 / (1 + 1 / 2 + 1 / 4 + 1 / 8 + 1 / 16 + 1 / 32), 9);
  });

  it('threads its state: panic entered on a spike, held when it passes, left a stable window later', () => {
    const config: KpaConfig = knativeTestConfig(10, 0, { maxScaleDownRate: 2 });
    const w = new FakeWindow().fill(T0 - s(100), T0 - s(3), 10).fill(T0 - s(3), T0 + 1, 200);
    let state: KpaState | undefined;
    const at = (nowMs: number, ready: number): { replicas: number; inPanic: unknown } => {
      const out = recommendKpa(recommendInput(config, { nowMs, ready, metrics: fakeMetrics({ concurrency: w }), state }));
      state = out.state;
      return { replicas: replicasOf(out.recommendation), inPanic: out.recommendation.kind === 'replicas' && out.recommendation.details?.['inPanic'] };
    };
    // Panic window (6 s): 3 s at 10 and 4 s at 200 in the last 6 s -> (3 x 10 + 3 x 200) / 6 ... the spike needs
    // many pods at once; 1 ready pod x rate 10 limits to 10.
    expect(at(T0, 1)).toEqual({ replicas: 10, inPanic: true });
    w.fill(T0 + s(1), T0 + s(70), 10);
    expect(at(T0 + s(20), 10)).toEqual({ replicas: 10, inPanic: true });
    expect(at(T0 + s(61), 10)).toEqual({ replicas: 5, inPanic: false });
  });

  it('is deterministic: the same input gives the same output', () => {
    const input = recommendInput(knativeTestConfig(10, 100), { ready: 4, metrics: steady('concurrency', 77) });
    expect(recommendKpa(input)).toEqual(recommendKpa(input));
  });
});
