/**
 * Benchmark of the control loop in-process: the cost of one target-tick with three plugins (kpa, hpa, cron), and
 * of the whole loop at 1,000 and 10,000 targets (CPU per 2 s tick round, heap per target beyond the target
 * cache). Targets come from an in-memory source standing in for the informer cache; writes go to counting
 * sinks; time is a ManualClock moved by hand, so the figures are CPU spent, not waiting.
 *
 * Run: npm run bench:loop   (node --expose-gc; prints a Markdown table)
 */
import { performance } from 'node:perf_hooks';
import {
  combine,
  ControlLoop,
  ManualClock,
  MetricStore,
  Metrics,
  PluginRegistry,
  scalingConfigSchema,
  targetKey,
  type LoopObserver,
  type ScaleTarget,
  type TargetEvent,
  type TargetSource,
} from '@ebb/core';
import { createCronPlugin } from '@ebb/plugin-cron';
import { createHpaPlugin, POD_METRICS_SNAPSHOT, type PodMetricsSnapshot } from '@ebb/plugin-hpa';
import { createKpaPlugin } from '@ebb/plugin-kpa';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

const ANNOTATIONS = {
  'ebb.dev/policies': process.env['EBB_BENCH_POLICIES'] ?? 'kpa,hpa,cron',
  'ebb.dev/kpa.target': '10',
  'ebb.dev/hpa.cpu-utilization': '70',
  'ebb.dev/min-replicas': '1',
  'ebb.dev/max-replicas': '50',
  'ebb.dev/cron': '- name: office\n  start: "0 9 * * 1-5"\n  end: "0 19 * * 1-5"\n  timezone: Europe/Berlin\n  replicas: 3\n',
};

/** Annotations of target i: the same for all (templated Deployments), or different for each (`unique`). */
function annotationsOf(i: number, unique: boolean): Record<string, string> {
  if (!unique) return ANNOTATIONS;
  return {
    ...ANNOTATIONS,
    'ebb.dev/kpa.target': String(10 + (i % 1000) / 100),
    'ebb.dev/hpa.cpu-utilization': String(50 + (i % 40)),
    'ebb.dev/cron': ANNOTATIONS['ebb.dev/cron'].replace('replicas: 3', `replicas: ${3 + (i % 97)}`),
  };
}

function makeTargets(n: number, unique: boolean): ScaleTarget[] {
  return Array.from({ length: n }, (_, i) => {
    const ref = { namespace: `ns-${i % 50}`, name: `app-${i}` };
    return { ref, key: targetKey(ref), uid: `uid-${i}`, resourceVersion: '1', labels: { 'ebb.dev/autoscale': 'true' }, annotations: annotationsOf(i, unique), selector: { app: ref.name }, specReplicas: 3, readyReplicas: 3, observed: true };
  });
}

/** The informer cache stand-in; `scale` plays the apiserver and the Deployment controller (pods Ready at once). */
function memorySource(targets: ScaleTarget[]): TargetSource & { scale(t: ScaleTarget, replicas: number): void } {
  const byKey = new Map(targets.map((t) => [t.key, t]));
  const listeners = new Set<(e: TargetEvent, t: ScaleTarget) => void>();
  return {
    list: () => [...byKey.values()],
    get: (k) => byKey.get(k),
    subscribe: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    start: async () => undefined,
    stop: async () => undefined,
    scale(t, replicas) {
      const next = { ...t, specReplicas: replicas, readyReplicas: replicas, resourceVersion: String(Number(t.resourceVersion) + 1) };
      byKey.set(t.key, next);
      for (const l of listeners) l('upsert', next);
    },
  };
}

const snapshot = (nowMs: number): PodMetricsSnapshot => ({
  pods: [0, 1, 2].map((i) => ({
    name: `p${i}`,
    phase: 'Running',
    ready: true,
    deleted: false,
    startTimeMs: nowMs - 3_600_000,
    readyTransitionMs: nowMs - 3_590_000,
    requests: { cpuMilli: 500, memoryBytes: 256 * 2 ** 20 },
    usage: { cpuMilli: 340, memoryBytes: 200 * 2 ** 20, windowMs: 30_000, timestampMs: nowMs },
  })),
});

const flush = () => new Promise<void>((r) => setImmediate(r));

async function run(n: number, rounds: number, unique: boolean) {
  const clock = new ManualClock(Date.UTC(2026, 10, 23, 12, 0, 0));
  const targets = makeTargets(n, unique);
  gc!();
  const heapBase = process.memoryUsage().heapUsed;
  const store = new MetricStore();
  const writes = { scale: 0, status: 0, events: 0 };
  const tickMs: number[] = [];
  const observer: LoopObserver = {
    tick: (_t, ms) => tickMs.push(ms),
    recommendation: () => undefined,
    replicas: () => undefined,
    scaled: () => undefined,
    configIssues: () => undefined,
    collectorError: () => undefined,
    pluginError: () => undefined,
    forget: () => undefined,
  };
  const plugins = PluginRegistry.of([createKpaPlugin(), createHpaPlugin(), createCronPlugin()] as never[]).plugins();
  const source = memorySource(targets);
  const loop = new ControlLoop({
    clock,
    source,
    actuator: {
      scale: async (t, replicas) => {
        writes.scale++;
        source.scale(t, replicas);
      },
    },
    events: { event: async () => void writes.events++ },
    status: { write: async () => void writes.status++ },
    plugins,
    scalingSchema: scalingConfigSchema,
    combine,
    store,
    observer,
  });
  await loop.start();
  gc!();
  const heapAfterStart = process.memoryUsage().heapUsed;
  // Collector stand-in: what the real collectors record, for the targets that need it: one concurrency sample
  // per second (gateway stats) and a pods snapshot every 15 s (metrics.k8s.io).
  const collectCpu = { us: 0 };
  const concurrencyTargets = loop.targetsNeeding([Metrics.concurrency]);
  const podTargets = loop.targetsNeeding([POD_METRICS_SNAPSHOT]);
  const collect = () => {
    const t0 = process.cpuUsage();
    const now = clock.now();
    for (const t of concurrencyTargets) store.record(t.key, Metrics.concurrency, 21 + (t.key.length % 5), now);
    if (now % 15_000 < 1000) for (const t of podTargets) store.snapshot(t.key, POD_METRICS_SNAPSHOT, snapshot(now), now);
    const d = process.cpuUsage(t0);
    collectCpu.us += d.user + d.system;
  };
  // Warm-up: 330 s of samples so every window (the HPA's 300 s stabilization the longest) is full, targets have
  // converged, and the JIT settles.
  for (let s = 0; s < 330; s++) {
    collect();
    clock.advance(1000);
    await flush();
  }
  gc!();
  const heapAfterWarmup = process.memoryUsage().heapUsed;
  if (process.env['EBB_BENCH_SNAPSHOT'] && !unique) console.log('heap snapshot:', (await import('node:v8')).writeHeapSnapshot());
  if (process.env['EBB_BENCH_QUICK']) console.log(`heap per target: after start ${((heapAfterStart - heapBase) / n).toFixed(0)} B, after warm-up ${((heapAfterWarmup - heapBase) / n).toFixed(0)} B`);
  tickMs.length = 0;
  collectCpu.us = 0;
  const writesBefore = { ...writes };
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  for (let r = 0; r < rounds; r++) {
    for (let s = 0; s < 2; s++) {
      collect();
      clock.advance(1000);
      await flush();
    }
  }
  const cpu = process.cpuUsage(cpu0);
  const wallMs = performance.now() - wall0;
  gc!();
  const heapPerTargetB = (process.memoryUsage().heapUsed - heapBase) / n;
  await loop.stop();
  const sorted = [...tickMs].sort((a, b) => a - b);
  const loopCpuMs = (cpu.user + cpu.system - collectCpu.us) / 1000 / rounds;
  return {
    n,
    unique,
    ticks: tickMs.length,
    medianUs: (sorted[Math.floor(sorted.length / 2)] ?? 0) * 1000,
    p99Us: (sorted[Math.floor(sorted.length * 0.99)] ?? 0) * 1000,
    loopCpuMsPerRound: loopCpuMs,
    coreShareAt2s: loopCpuMs / 2000,
    collectCpuMsPerRound: collectCpu.us / 1000 / rounds,
    heapPerTargetB,
    writesPerRound: (writes.scale - writesBefore.scale + writes.status - writesBefore.status) / rounds,
    wallMs,
  };
}

const rows = [];
const scenarios: Array<[number, number, boolean]> = process.env['EBB_BENCH_QUICK']
  ? [[Number(process.env['EBB_BENCH_N'] ?? 2000), 5, false], [Number(process.env['EBB_BENCH_N'] ?? 2000), 5, true]]
  : [[1_000, 20, false], [10_000, 10, false], [1_000, 20, true], [10_000, 10, true]];
// A throwaway run first, so that code compiled and modules loaded on first use are not counted per target.
await run(200, 2, true);
for (const [n, rounds, unique] of scenarios) rows.push(await run(n, rounds, unique));
console.log(`policies: ${ANNOTATIONS['ebb.dev/policies']}; node ${process.version}`);
console.log('| targets | annotations | target-ticks | median per target-tick | p99 | loop CPU per 2 s round | share of one core at 2 s | collector stand-in CPU per round | heap per target | writes per round |');
console.log('|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  console.log(
    `| ${r.n.toLocaleString('en')} | ${r.unique ? 'different per target' : 'identical'} | ${r.ticks} | ${r.medianUs.toFixed(1)} µs | ${r.p99Us.toFixed(1)} µs | ${r.loopCpuMsPerRound.toFixed(1)} ms | ${(r.coreShareAt2s * 100).toFixed(1)} % | ${r.collectCpuMsPerRound.toFixed(1)} ms | ${(r.heapPerTargetB / 1024).toFixed(2)} KB | ${r.writesPerRound} |`,
  );
}
