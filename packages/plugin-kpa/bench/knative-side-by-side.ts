/**
 * Ebb's KPA decision against Knative's own, side by side on this machine: Knative Serving v0.51.0's `Scale()`
 * (pkg/autoscaler/scaling) reading its own windows (pkg/autoscaler/metrics `MetricCollector` over the
 * aggregation package's buckets), built from the Go module proxy in `bench/knative-go`, against the plugin's
 * `recommend` reading core's metric windows — the same per-second series, the same decision times, the same
 * settings (Knative's defaults: target 10 at 70 %, panic window 10 % of the stable one, threshold 200 %).
 *
 * Per variant (fixed window values, linear or weighted-exponential windows of 60 s or 1 h) and mode:
 * - `decide`: the same full window decided on again and again (a steady target);
 * - `tick`: two new per-second samples recorded, then one decision (what every target costs every 2 s tick).
 * Printed: CPU ns per operation (process CPU time, so other work on the machine does not count; Node's includes
 * its garbage collector), bytes allocated per operation (Go: `runtime.MemStats`; Node: heap growth between two
 * collections), medians of interleaved rounds (Go, Node, Go, Node, ...), the ratio, and whether both sides gave
 * the same desired pod count at every one of the first 3,000 ticks.
 *
 * Run (Go 1.26 and the module proxy; the Go program is built into the temporary directory, never committed):
 *   node --expose-gc --max-semi-space-size=64 --min-semi-space-size=64 --conditions=@ebb/source \
 *     --disable-warning=ExperimentalWarning packages/plugin-kpa/bench/knative-side-by-side.ts
 * `EBB_BENCH_ROUNDS` (default 3) sets the rounds per side; `EBB_KNATIVE_GO` names an already built binary.
 */
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import type { MetricsView, RecommendInput, WindowView } from '@ebb/core';
import type { KpaConfig, KpaState } from '../src/index.ts';
import { benchStore, benchTarget, type BenchTarget } from './bench-support.ts';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc (see the command at the top of this file)');

const T0 = Date.UTC(2026, 0, 1);
const ROUNDS = Number(process.env['EBB_BENCH_ROUNDS'] ?? 3);
const ANSWER_TICKS = 3000;
const KEY = 'bench/web';

interface Variant {
  readonly name: string;
  readonly bare: boolean;
  readonly weighted: boolean;
  readonly windowS: number;
  readonly ops: number;
}

const VARIANTS: Variant[] = [
  { name: 'bare (fixed window values)', bare: true, weighted: false, windowS: 60, ops: 1_000_000 },
  { name: 'linear, 60 s', bare: false, weighted: false, windowS: 60, ops: 300_000 },
  { name: 'weighted, 60 s', bare: false, weighted: true, windowS: 60, ops: 300_000 },
  { name: 'linear, 1 h', bare: false, weighted: false, windowS: 3600, ops: 300_000 },
  { name: 'weighted, 1 h', bare: false, weighted: true, windowS: 3600, ops: 30_000 },
];
const MODES = ['decide', 'tick'] as const;
type Mode = (typeof MODES)[number];

interface Figures {
  readonly nsPerOp: number;
  readonly bytesPerOp: number;
  readonly allocsPerOp?: number;
  readonly lastDesired: number;
}

/** The per-second concurrency both sides record: Park-Miller numbers (exact in doubles and in Go's int64). */
function series(seed: number): (second: number) => number {
  let state = seed;
  return (second) => {
    state = (state * 16_807) % 2_147_483_647;
    return (second % 300 < 30 ? 210 : 60) + (state % 2000) / 10; // a 30 s burst every 5 minutes
  };
}

/** Ebb's side of one variant: the plugin, a store, the series, one reused input (only `recommend` allocates). */
class EbbSide {
  private readonly t: BenchTarget;
  private readonly next = series(1);
  private readonly v: Variant;
  private readonly store;
  private readonly replicas = { current: 1, ready: 1 };
  private readonly input: { -readonly [K in keyof RecommendInput<KpaConfig, KpaState>]: RecommendInput<KpaConfig, KpaState>[K] };
  second: number;

  constructor(v: Variant) {
    this.v = v;
    this.t = benchTarget(annotationsOf(v));
    this.store = benchStore(this.t, KEY);
    for (let s = 0; s < v.windowS; s++) this.record(s);
    this.second = v.windowS - 1;
    const metrics = v.bare ? fixedValues(this.t.config) : this.store.view(KEY);
    this.input = { nowMs: 0, target: { namespace: 'bench', name: 'web' }, config: this.t.config, scaling: this.t.scaling, replicas: this.replicas, metrics, state: undefined };
  }

  private record(second: number): void {
    if (!this.v.bare) this.store.record(KEY, 'concurrency', this.next(second), T0 + second * 1000);
  }

  decide(): number {
    const input = this.input;
    input.nowMs = T0 + this.second * 1000 + 500;
    const out = this.t.plugin.recommend(input);
    input.state = out.state;
    const r = out.recommendation;
    const desired = r.kind === 'replicas' ? r.replicas : 0;
    this.replicas.ready = this.replicas.current = desired > 0 ? desired : 1;
    return desired;
  }

  tick(): number {
    this.record(this.second + 1);
    this.record(this.second + 2);
    this.second += 2;
    return this.decide();
  }
}

function annotationsOf(v: Variant): Record<string, string> {
  return {
    'ebb.dev/kpa.target': '10',
    'ebb.dev/kpa.window': `${v.windowS}s`,
    ...(v.weighted ? { 'ebb.dev/kpa.metric-aggregation-algorithm': 'weighted-exponential' } : {}),
  };
}

/** A view whose window reads 90 over the stable window and 95 over the panic window, as the Go side's client. */
function fixedValues(config: KpaConfig): MetricsView {
  const read = (_nowMs: number, windowMs: number): number => (windowMs === config.stableWindowMs ? 90 : 95);
  const window: WindowView = { average: read, weightedAverage: read, max: read, lastSampleMs: () => T0 };
  return { window: () => window, snapshot: () => undefined };
}

/** One round of Ebb's side: the same prelude, warm-up and operation count as the Go program's. */
function ebbRound(v: Variant, mode: Mode): Figures {
  const side = new EbbSide(v);
  while (side.second < 2 * v.windowS + 150) side.tick();
  const op = mode === 'decide' ? () => side.decide() : () => side.tick();
  let last = 0;
  for (let i = 0; i < v.ops / 10; i++) last = op();
  gc?.();
  const start = process.cpuUsage();
  for (let i = 0; i < v.ops; i++) last = op();
  const used = process.cpuUsage(start);
  return { nsPerOp: ((used.user + used.system) * 1000) / v.ops, bytesPerOp: bytesPerOp(op), lastDesired: last };
}

/** Heap growth per operation over operations between two collections (none may happen in between). */
function bytesPerOp(op: () => number): number {
  const count = 20_000;
  for (let attempt = 0; attempt < 5; attempt++) {
    let collections = 0;
    const observer = new PerformanceObserver((list) => (collections += list.getEntries().length));
    observer.observe({ entryTypes: ['gc'] });
    gc?.();
    const from = performance.now();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < count; i++) op();
    const after = process.memoryUsage().heapUsed;
    const to = performance.now();
    const gcs = performance.getEntriesByType('gc').filter((e) => e.startTime > from && e.startTime < to).length;
    observer.disconnect();
    if (gcs === 0 && collections <= 1) return Math.max(0, (after - before) / count);
  }
  return NaN;
}

function goBinary(): string {
  const given = process.env['EBB_KNATIVE_GO'];
  if (given) return given;
  const out = join(tmpdir(), 'ebb-knative-go');
  const dir = join(import.meta.dirname, 'knative-go');
  console.error(`building ${dir} -> ${out} (go build, GOFLAGS=-mod=mod; the first build downloads and compiles Knative's modules)`);
  execFileSync('go', ['build', '-o', out, '.'], { cwd: dir, stdio: 'inherit', env: { ...process.env, GOFLAGS: '-mod=mod' } });
  return out;
}

function goArgs(t: BenchTarget, v: Variant): string[] {
  const c = t.config;
  return [
    `-window=${c.stableWindowMs}ms`,
    `-panic-window=${c.panicWindowMs}ms`,
    `-target=${c.targetPerPod}`,
    `-total=${c.totalPerPod}`,
    `-burst=${c.targetBurstCapacity}`,
    `-panic-threshold=${c.panicThreshold}`,
    `-max-scale-up-rate=${c.maxScaleUpRate}`,
    `-max-scale-down-rate=${c.maxScaleDownRate}`,
    ...(v.bare ? ['-bare'] : []),
    ...(v.weighted ? ['-weighted'] : []),
  ];
}

function goRound(bin: string, args: string[], mode: string, ops: number): Figures & { answers?: string } {
  return JSON.parse(execFileSync(bin, [...args, `-mode=${mode}`, `-ops=${ops}`], { encoding: 'utf8', maxBuffer: 64 << 20 })) as Figures & { answers?: string };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

const bin = goBinary();
const fmt = (x: number, digits = 0): string => (Number.isFinite(x) ? x.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : 'n/a');
console.log(`Ebb recommend vs Knative v0.51.0 Scale(), node ${process.version}, ${ROUNDS} interleaved rounds per side, medians\n`);
console.log('| variant | mode | Knative ns/op | Ebb ns/op | Ebb / Knative | Knative allocs, bytes per op | Ebb bytes per op | same answers (first 3,000 ticks) |');
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |');
for (const v of VARIANTS) {
  const args = goArgs(benchTarget(annotationsOf(v)), v);
  // Same answers: the desired counts of the first ticks, from the start (including the start-up panic).
  const theirs = (goRound(bin, args, 'answers', ANSWER_TICKS).answers ?? '').split(',').map(Number);
  const side = new EbbSide(v);
  const ours = Array.from({ length: ANSWER_TICKS }, () => side.tick());
  const differ = ours.filter((x, i) => x !== theirs[i]).length;
  const same = differ === 0 ? 'yes' : `no: ${differ} of ${ANSWER_TICKS} differ`;
  for (const mode of MODES) {
    const go: Figures[] = [];
    const ebb: Figures[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      go.push(goRound(bin, args, mode, v.ops));
      ebb.push(ebbRound(v, mode));
    }
    const k = median(go.map((f) => f.nsPerOp));
    const e = median(ebb.map((f) => f.nsPerOp));
    const kAllocs = median(go.map((f) => f.allocsPerOp ?? NaN));
    const kBytes = median(go.map((f) => f.bytesPerOp));
    const eBytes = median(ebb.map((f) => f.bytesPerOp));
    if (go.some((f, i) => f.lastDesired !== ebb[i]?.lastDesired)) console.error(`${v.name} ${mode}: last answers differ`, go, ebb);
    console.log(`| ${v.name} | ${mode} | ${fmt(k)} | ${fmt(e)} | ${fmt(e / k, 2)} | ${fmt(kAllocs, 2)}, ${fmt(kBytes)} | ${fmt(eBytes)} | ${same} |`);
  }
}
