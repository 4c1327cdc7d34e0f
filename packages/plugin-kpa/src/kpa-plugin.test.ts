import { describe, expect, it } from 'vitest';
import { ErrorCodes, isEbbError } from '@ebb/core';
import { KPA_MANIFEST, createKpaPlugin, kpaMetricNeeds } from './kpa-plugin.ts';
import { FakeWindow, fakeMetrics } from './test-support/fake-metrics.ts';
import { T0, knativeTestConfig, s } from './test-support/knative-fixtures.ts';
import { recommendInput } from './test-support/recommend-input.ts';

describe('KPA_MANIFEST', () => {
  it('declares the id kpa and supports this core', () => {
    expect(KPA_MANIFEST).toMatchObject({ id: 'kpa', version: '0.1.0', coreVersion: '^0.1.0' });
    expect(KPA_MANIFEST.description).toContain('Knative');
  });
});

describe('kpaMetricNeeds', () => {
  it.each([
    { name: 'concurrency, 60 s', config: knativeTestConfig(10, 0), want: [{ metric: 'concurrency', retentionMs: 60_000 }] },
    { name: 'rps, 2 min', config: knativeTestConfig(10, 0, { metric: 'rps', stableWindowMs: s(120) }), want: [{ metric: 'rps', retentionMs: 120_000 }] },
    { name: 'another class needs nothing', config: knativeTestConfig(10, 0, { selected: false, autoscalerClass: 'hpa.autoscaling.knative.dev' }), want: [] },
  ])('$name', ({ config, want }) => {
    expect(kpaMetricNeeds(config)).toEqual(want);
    for (const need of kpaMetricNeeds(config)) expect(need.retentionMs).toBeGreaterThanOrEqual(config.stableWindowMs);
  });
});

describe('createKpaPlugin', () => {
  it('assembles manifest, schema, metric needs and the decision', () => {
    const plugin = createKpaPlugin();
    expect(plugin.manifest).toBe(KPA_MANIFEST);
    expect(plugin.config.keys('ebb.dev/kpa.')).toContain('autoscaling.knative.dev/target');
    expect(plugin.metrics).toBe(kpaMetricNeeds);
  });

  it('decides from Knative annotations end to end: target 10 (7 per pod), 90 in flight -> 13 pods', () => {
    const plugin = createKpaPlugin();
    const parsed = plugin.config.parse({ 'autoscaling.knative.dev/target': '10' }, 'ebb.dev/kpa.');
    if (!parsed.ok) throw new Error(parsed.issues.map((i) => i.message).join('; '));
    expect(plugin.metrics?.(parsed.value)).toEqual([{ metric: 'concurrency', retentionMs: 60_000 }]);
    const metrics = fakeMetrics({ concurrency: new FakeWindow().fill(T0 - s(59), T0 + 1, 90) });
    const state = { panicTimeMs: undefined, maxPanicPods: 0 };
    const out = plugin.recommend(recommendInput(parsed.value, { ready: 13, metrics, state }));
    expect(out.recommendation).toMatchObject({ kind: 'replicas', replicas: 13, reason: 'concurrency 90 over 60s / 7 per pod = 13 pods' });
  });

  it('applies cluster-wide options as defaults, which annotations still override', () => {
    const plugin = createKpaPlugin({ containerConcurrencyTargetDefault: 10, containerConcurrencyTargetPercentage: 100, stableWindowMs: 30_000 });
    const defaults = plugin.config.parse({}, 'ebb.dev/kpa.');
    const overridden = plugin.config.parse({ 'autoscaling.knative.dev/window': '90s' }, 'ebb.dev/kpa.');
    expect(defaults.ok && defaults.value).toMatchObject({ targetPerPod: 10, stableWindowMs: 30_000, panicWindowMs: 3_000 });
    expect(overridden.ok && overridden.value).toMatchObject({ stableWindowMs: 90_000 });
  });

  it('fails at start-up with EBB_CONFIG_FILE_INVALID on a bad option', () => {
    let caught: unknown;
    try {
      createKpaPlugin({ maxScaleDownRate: 1 });
    } catch (e) {
      caught = e;
    }
    expect(isEbbError(caught, ErrorCodes.CONFIG_FILE_INVALID)).toBe(true);
  });
});
