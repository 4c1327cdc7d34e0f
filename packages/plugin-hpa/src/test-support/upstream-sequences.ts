/**
 * Seeded random sequences for comparing the plugin with the port of the controller (`upstream-*.ts`): one HPA
 * with random metrics, tolerance, bounds and behavior, decided again and again over random pods and loads, fed
 * to both in their own shapes.
 */
import type { HpaBehaviorSpec, HpaScalingPolicy, HpaScalingRulesSpec } from '../behavior.ts';
import type { HpaConfig } from '../hpa-fields.ts';
import type { PodPhase, PodSample } from '../pod-metrics-snapshot.ts';
import type { UpstreamMetricSpec } from './upstream-horizontal.ts';
import type { ConditionStatus, PodMetricsInfo, UpstreamPod, UpstreamResource } from './upstream-replica-calculator.ts';

/** mulberry32: a small seeded PRNG, uniform in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Rng = () => number;
const int = (rng: Rng, lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo + 1));
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)] as T;
const MI = 1024 * 1024;

/** One HPA of a sequence, in both shapes. */
export interface SequenceSetup {
  readonly config: Partial<HpaConfig>;
  readonly metrics: readonly UpstreamMetricSpec[];
  readonly behavior: HpaBehaviorSpec | undefined;
  readonly tolerance: number;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly cpuInitializationPeriodMs: number;
  readonly initialReadinessDelayMs: number;
}

function randomPolicy(rng: Rng): HpaScalingPolicy {
  return rng() < 0.5
    ? { type: 'Pods', value: int(rng, 1, 6), periodSeconds: pick(rng, [5, 15, 30, 60, 120, 300]) }
    : { type: 'Percent', value: pick(rng, [10, 25, 50, 100, 200]), periodSeconds: pick(rng, [5, 15, 30, 60, 120, 300]) };
}

function randomRules(rng: Rng): HpaScalingRulesSpec | undefined {
  if (rng() < 0.3) return undefined;
  return {
    ...(rng() < 0.6 ? { stabilizationWindowSeconds: pick(rng, [0, 0, 10, 30, 60, 120]) } : {}),
    ...(rng() < 0.3 ? { selectPolicy: pick(rng, ['Max', 'Min', 'Min', 'Disabled'] as const) } : {}),
    ...(rng() < 0.7 ? { policies: Array.from({ length: int(rng, 1, 2) }, () => randomPolicy(rng)) } : {}),
    ...(rng() < 0.2 ? { tolerance: pick(rng, [0, 0.05, 0.2]) } : {}),
  };
}

export function randomSetup(rng: Rng): SequenceSetup {
  const all: [keyof HpaConfig, number, UpstreamMetricSpec][] = [];
  const cpuUtilization = int(rng, 20, 150);
  const memoryUtilization = int(rng, 20, 150);
  const cpuAverageMilli = int(rng, 100, 1000);
  const memoryAverageBytes = int(rng, 64, 1024) * MI;
  all.push(['cpuUtilization', cpuUtilization, { resource: 'cpu', averageUtilization: cpuUtilization }]);
  all.push(['memoryUtilization', memoryUtilization, { resource: 'memory', averageUtilization: memoryUtilization }]);
  all.push(['cpuAverageMilli', cpuAverageMilli, { resource: 'cpu', averageValueMilli: cpuAverageMilli }]);
  all.push(['memoryAverageBytes', memoryAverageBytes, { resource: 'memory', averageValueMilli: memoryAverageBytes * 1000 }]);
  const chosen = rng() < 0.1 ? [] : all.filter(() => rng() < 0.4);
  const metrics = chosen.length ? chosen.map((c) => c[2]) : [{ resource: 'cpu' as const, averageUtilization: 80 }];
  const behavior = rng() < 0.35 ? undefined : { ...((r) => (r ? { scaleUp: r } : {}))(randomRules(rng)), ...((r) => (r ? { scaleDown: r } : {}))(randomRules(rng)) };
  const tolerance = pick(rng, [0.1, 0.1, 0, 0.05, 0.2]);
  const minReplicas = int(rng, 1, 3);
  const maxReplicas = minReplicas + int(rng, 2, 30);
  const cpuInitializationPeriodMs = pick(rng, [120_000, 300_000]);
  const initialReadinessDelayMs = pick(rng, [10_000, 30_000]);
  const config: Partial<HpaConfig> = {
    ...Object.fromEntries(chosen.map(([k, v]) => [k, v])),
    tolerance,
    cpuInitializationPeriodMs,
    initialReadinessDelayMs,
    ...(behavior ? { behavior } : {}),
  };
  return { config, metrics, behavior, tolerance, minReplicas, maxReplicas, cpuInitializationPeriodMs, initialReadinessDelayMs };
}

/** One pod in a neutral shape: what both sides are built from. Memory in bytes, CPU in millicores. */
export interface GeneratedPod {
  readonly name: string;
  readonly phase: PodPhase;
  readonly deleted: boolean;
  readonly startTimeMs?: number;
  readonly ready?: { readonly status: ConditionStatus; readonly transitionMs: number };
  readonly cpuRequest?: number;
  readonly memoryRequest?: number;
  readonly sample?: { readonly cpu: number; readonly memory: number; readonly timestampMs: number; readonly windowMs: number };
}

/** `count` pods for a load of `load` times their requests, with the odd pending, finished, deleted, unready pod. */
export function randomPods(rng: Rng, count: number, load: number, nowMs: number, tick: number): GeneratedPod[] {
  const extra = rng() < 0.25 ? int(rng, 1, 3) : 0;
  return Array.from({ length: count + extra }, (_, i) => {
    const phase: PodPhase = rng() < 0.9 ? 'Running' : pick(rng, ['Pending', 'Failed', 'Succeeded', 'Running'] as const);
    const startTimeMs = rng() < 0.02 ? undefined : nowMs - int(rng, 0, 900) * 1000;
    const age = startTimeMs === undefined ? 0 : nowMs - startTimeMs;
    const ready =
      rng() < 0.04
        ? undefined
        : { status: rng() < 0.85 ? ('True' as const) : pick(rng, ['False', 'Unknown'] as const), transitionMs: nowMs - Math.floor(rng() * (age + 1)) };
    const cpuRequest = rng() < 0.01 ? undefined : pick(rng, [100, 250, 500, 1000, 2000]);
    const memoryRequest = rng() < 0.01 ? undefined : pick(rng, [128, 256, 512, 1024]) * MI;
    const jitter = (): number => 0.5 + rng();
    const sample =
      rng() < 0.1 || phase === 'Pending'
        ? undefined
        : {
            cpu: Math.round((cpuRequest ?? 500) * load * jitter()),
            memory: Math.round((memoryRequest ?? 256 * MI) * Math.min(load, 2) * jitter()),
            timestampMs: nowMs - int(rng, 0, 60) * 1000,
            windowMs: pick(rng, [15_000, 30_000, 60_000]),
          };
    return {
      name: `pod-${tick}-${i}`,
      phase,
      deleted: rng() < 0.03,
      ...(startTimeMs === undefined ? {} : { startTimeMs }),
      ...(ready ? { ready } : {}),
      ...(cpuRequest === undefined ? {} : { cpuRequest }),
      ...(memoryRequest === undefined ? {} : { memoryRequest }),
      ...(sample ? { sample } : {}),
    };
  });
}

/** The pods as the plugin's snapshot holds them. */
export function toPodSamples(pods: readonly GeneratedPod[]): PodSample[] {
  return pods.map((p) => ({
    name: p.name,
    phase: p.phase,
    ready: p.ready?.status === 'True',
    deleted: p.deleted,
    ...(p.ready ? { readyStatus: p.ready.status, readyTransitionMs: p.ready.transitionMs } : {}),
    ...(p.startTimeMs === undefined ? {} : { startTimeMs: p.startTimeMs }),
    requests: { ...(p.cpuRequest === undefined ? {} : { cpuMilli: p.cpuRequest }), ...(p.memoryRequest === undefined ? {} : { memoryBytes: p.memoryRequest }) },
    ...(p.sample ? { usage: { cpuMilli: p.sample.cpu, memoryBytes: p.sample.memory, windowMs: p.sample.windowMs, timestampMs: p.sample.timestampMs } } : {}),
  }));
}

/** The pods as the controller's pod lister returns them (requests as `MilliValue()`). */
export function toUpstreamPods(pods: readonly GeneratedPod[]): UpstreamPod[] {
  return pods.map((p) => ({
    name: p.name,
    phase: p.phase,
    deleted: p.deleted,
    ...(p.startTimeMs === undefined ? {} : { startTimeMs: p.startTimeMs }),
    ...(p.ready ? { readyCondition: { status: p.ready.status, lastTransitionTimeMs: p.ready.transitionMs } } : {}),
    requests: { ...(p.cpuRequest === undefined ? {} : { cpu: p.cpuRequest }), ...(p.memoryRequest === undefined ? {} : { memory: p.memoryRequest * 1000 }) },
  }));
}

/** A fresh `PodMetricsInfo` of one resource (the metrics client's answer, in milli-units). */
export function upstreamMetrics(pods: readonly GeneratedPod[], resource: UpstreamResource): PodMetricsInfo {
  const info: PodMetricsInfo = new Map();
  for (const p of pods) {
    if (p.sample) info.set(p.name, { value: resource === 'cpu' ? p.sample.cpu : p.sample.memory * 1000, timestampMs: p.sample.timestampMs, windowMs: p.sample.windowMs });
  }
  return info;
}
