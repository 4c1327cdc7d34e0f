import { describe, expect, it } from 'vitest';
import { customMetricId, type CustomMetric } from './custom-metric.ts';
import type { CustomMetricReading, CustomMetricsSnapshot } from './custom-metrics-snapshot.ts';
import { activePodCount } from './custom-replica-calculator.ts';
import { DEFAULT_HPA_DECISION_OPTIONS, evaluateHpaMetrics, recommendHpa } from './recommend.ts';
import { decisionInput } from './test-support/decision.ts';
import { NOW_MS } from './test-support/pods.ts';
import { upstreamComputeReplicasForMetrics, type UpstreamMetric } from './test-support/upstream-custom-metrics.ts';
import { isErr, type PodMetricsInfo } from './test-support/upstream-replica-calculator.ts';
import { randomPods, seededRandom, toPodSamples, toUpstreamPods, type GeneratedPod, type Rng } from './test-support/upstream-sequences.ts';

const CASES = 20_000;
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)] as T;
const TARGETS = [1, 500, 1000, 2000, 5000, 10_000, 30_000, 100_000];

interface Side {
  readonly metric: CustomMetric;
  readonly reading: CustomMetricReading;
  readonly upstream: UpstreamMetric;
}

/** A random Pods, Object or External metric, its reading (sometimes failed or empty) and the same for the port. */
function randomMetric(rng: Rng, i: number, pods: readonly GeneratedPod[], load: number): Side {
  const fails = rng() < 0.08;
  const type = pick(rng, ['Pods', 'Object', 'External'] as const);
  const target = pick(rng, TARGETS);
  if (type === 'Pods') {
    const metric: CustomMetric = { source: 'Pods', metric: { name: `m${i}`, selector: '' }, averageValueMilli: target };
    const info: PodMetricsInfo = new Map();
    const valuesMilli: Record<string, number> = {};
    for (const p of pods) {
      if (rng() < 0.12 || p.phase === 'Pending') continue;
      const value = Math.round(target * load * (0.5 + rng()));
      info.set(p.name, { value, timestampMs: NOW_MS, windowMs: 60_000 });
      valuesMilli[p.name] = value;
    }
    const empty = info.size === 0;
    const reading: CustomMetricReading = fails || empty ? { ok: false, error: 'no values' } : { ok: true, kind: 'pods', valuesMilli };
    return { metric, reading, upstream: { type, averageValue: target, metrics: fails ? undefined : info } };
  }
  const kind = pick(rng, ['Value', 'AverageValue'] as const);
  const series = type === 'Object' ? 1 : pick(rng, [0, 1, 1, 2, 3]);
  const scale = kind === 'Value' ? 1 : Math.max(1, pods.length);
  const usage = Array.from({ length: series }, () => (rng() < 0.05 ? 0 : Math.round((target * scale * load * (0.3 + rng() * 1.4)) / series)));
  const spec = kind === 'Value' ? ({ type: 'Value', valueMilli: target } as const) : ({ type: 'AverageValue', averageValueMilli: target } as const);
  const metric: CustomMetric =
    type === 'Object'
      ? { source: 'Object', describedObject: { apiVersion: 'v1', kind: 'Service', name: `s${i}` }, metric: { name: `m${i}`, selector: '' }, target: spec }
      : { source: 'External', metric: { name: `m${i}`, selector: '' }, target: spec };
  const failed = fails || series === 0;
  const reading: CustomMetricReading = failed ? { ok: false, error: 'no values' } : { ok: true, kind: 'total', valueMilli: usage.reduce((a, b) => a + b, 0) };
  return { metric, reading, upstream: { type, target: kind, value: target, usage: fails ? undefined : usage } };
}

/** One random case through the plugin and the port; a description of the difference, or undefined. */
function runCase(seed: number): string | undefined {
  const rng = seededRandom(seed);
  // From zero: no pods, or only ones being deleted (a Deployment at 0 has no other pods).
  const current = rng() < 0.2 ? 0 : 1 + Math.floor(rng() * 12);
  const load = rng() < 0.1 ? 0 : 0.1 + rng() * 2.5;
  let pods = randomPods(rng, current, load, NOW_MS, 0);
  if (current === 0) pods = pods.filter(() => rng() < 0.3).map((p) => ({ ...p, deleted: true }));
  const sides = Array.from({ length: 1 + Math.floor(rng() * 3) }, (_, i) => randomMetric(rng, i, pods, load));
  const tolerance = pick(rng, [0, 0.01, 0.05, 0.1, 0.2]);
  const tolerances = { scaleUp: tolerance, scaleDown: pick(rng, [tolerance, 0.02, 0.3]) };

  const custom: CustomMetricsSnapshot = { pods: toPodSamples(pods), readings: Object.fromEntries(sides.map((s) => [customMetricId(s.metric), s.reading])) };
  const input = decisionInput({ config: { metrics: { resources: [], custom: sides.map((s) => s.metric) } }, current, custom });
  const ours = evaluateHpaMetrics(input, DEFAULT_HPA_DECISION_OPTIONS, tolerances);
  const theirs = upstreamComputeReplicasForMetrics(
    sides.map((s) => s.upstream),
    {
      specReplicas: current,
      statusReplicas: activePodCount(custom.pods),
      tolerances,
      podList: toUpstreamPods(pods),
      settings: { cpuInitializationPeriodMs: 300_000, delayOfInitialReadinessStatusMs: 30_000 },
      nowMs: NOW_MS,
    },
  );
  const disabled = recommendHpa(input).recommendation.kind === 'no-opinion';
  const plugin = disabled ? 'disabled' : 'noData' in ours || !ours.ok ? 'error' : ours.replicas;
  const controller = theirs === undefined ? 'disabled' : isErr(theirs) ? 'error' : theirs;
  if (plugin === controller) return undefined;
  return `seed ${seed}: plugin ${plugin}, controller ${controller}; current ${current}, metrics ${JSON.stringify(sides.map((s) => [s.metric, s.reading]))}`;
}

describe('Pods, Object and External metrics against a line-by-line port of the controller', () => {
  it(`proposes what the controller proposes in ${CASES} random cases (from zero too)`, () => {
    const differences: string[] = [];
    for (let seed = 1; seed <= CASES && differences.length < 5; seed++) {
      const difference = runCase(seed);
      if (difference) differences.push(difference);
    }
    expect(differences).toEqual([]);
  });
});
