import { combine, evaluateTarget, MetricStore, noopObserver, parseTargetConfig, PluginRegistry, scalingConfigSchema, targetKey, type ScaleTarget, type TargetEntry } from '@ebb/core';
import { createCronPlugin } from '@ebb/plugin-cron';
import { createHpaPlugin, POD_METRICS_SNAPSHOT, type PodMetricsSnapshot } from '@ebb/plugin-hpa';
import { describe, expect, it } from 'vitest';

const plugins = PluginRegistry.of([createCronPlugin(), createHpaPlugin()] as never[]).plugins();
const NOW = Date.UTC(2026, 10, 23, 10, 0, 0); // Monday 11:00 in Berlin: inside the office-hours window

/** Ten ready pods (the cron floor is already met), each using `cpuMilli` of 1000m requested, sampled now. */
function pods(cpuMilli: number, nowMs: number): PodMetricsSnapshot {
  return {
    pods: Array.from({ length: 10 }, (_, i) => ({
      name: `p${i}`,
      phase: 'Running',
      ready: true,
      deleted: false,
      startTimeMs: nowMs - 3_600_000,
      readyTransitionMs: nowMs - 3_590_000,
      requests: { cpuMilli: 1000 },
      usage: { cpuMilli, memoryBytes: 1, windowMs: 30_000, timestampMs: nowMs - 1000 },
    })),
  };
}

function decide(cpuMilli: number, nowMs = NOW) {
  const annotations = {
    'ebb.dev/policies': 'cron,hpa',
    'ebb.dev/hpa.cpu-utilization': '50',
    'ebb.dev/cron': '- name: office-hours\n  start: "0 9 * * 1-5"\n  end: "0 19 * * 1-5"\n  timezone: Europe/Berlin\n  replicas: 10\n',
  };
  const ref = { namespace: 'shop', name: 'web' };
  const target: ScaleTarget = { ref, key: targetKey(ref), uid: 'u', resourceVersion: '1', labels: {}, annotations, selector: {}, specReplicas: 10, readyReplicas: 10, observed: true };
  const config = parseTargetConfig(annotations, plugins, scalingConfigSchema);
  if (!config.ok) throw new Error(config.issues.map((i) => i.message).join('; '));
  const store = new MetricStore();
  const entry = { target, config, pluginState: new Map(), combineState: undefined } as unknown as TargetEntry;
  const evaluate = (at: number) => {
    store.snapshot(target.key, POD_METRICS_SNAPSHOT, pods(cpuMilli, at), at - 1000);
    return evaluateTarget(entry, { nowMs: at, metrics: store.view(target.key), combine, keepState: true, onPluginError: (id, e) => { throw new Error(`${id}: ${e}`); }, observer: noopObserver });
  };
  // The HPA holds a scale-down for its 300 s stabilization window (its first decision remembers the current
  // count, as the controller does): decide once 301 s earlier under the same load, then now.
  evaluate(nowMs - 301_000);
  return evaluate(nowMs);
}

describe('cron with the HPA: the max is the guarantee of stability', () => {
  it.each([
    // 10 pods at 1000m of 1000m requested = 100 % of a 50 % target: ceil(10 x 2) = 20 pods.
    ['cron 10, CPU wants 20 -> 20 (HPA wins)', 1000, 20, 'hpa'],
    // 10 pods at 250m = 25 % of a 50 % target: ceil(10 x 0.5) = 5 pods.
    ['cron 10, CPU wants 5 -> 10 (cron wins)', 250, 10, 'cron'],
  ])('%s', (_name, cpuMilli, desired, winner) => {
    const d = decide(cpuMilli);
    expect(d.recommendations.map((r) => [r.pluginId, r.recommendation.kind === 'replicas' ? r.recommendation.replicas : r.recommendation.kind])).toEqual([
      ['cron', 10],
      ['hpa', cpuMilli === 1000 ? 20 : 5],
    ]);
    expect(d.desired).toBe(desired);
    expect(d.winner?.pluginId).toBe(winner);
  });

  it('when the window ends, the other plugins decide again', () => {
    const evening = Date.UTC(2026, 10, 23, 19, 0, 0); // 20:00 in Berlin
    const d = decide(250, evening);
    expect(d.recommendations[0]!.recommendation.kind).toBe('no-opinion');
    expect(d.desired).toBe(5);
    expect(d.winner?.pluginId).toBe('hpa');
  });
});
