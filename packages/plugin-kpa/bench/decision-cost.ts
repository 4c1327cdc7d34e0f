/**
 * Cost of one KPA decision per target-tick: the plugin's `recommend` (stable and panic averages over core's 1 s
 * windows, then Knative's decision) on a target with a full window, for both aggregation algorithms and for the
 * default (60 s) and the longest (1 h) stable window. CPU time only: the clock is a number moved by hand.
 *
 * Run: node --conditions=@ebb/source --disable-warning=ExperimentalWarning packages/plugin-kpa/bench/decision-cost.ts
 */
import { performance } from 'node:perf_hooks';
import { benchStore, benchTarget, decide } from './bench-support.ts';

const T0 = Date.UTC(2026, 0, 1);
const ROUNDS = 5;
/** Keeps results alive, so no decision is optimised away. */
let sink = 0;

/** Median ns per decision over ROUNDS rounds of `decisions` decisions, after a warm-up. */
function measure(annotations: Record<string, string>, windowS: number, decisions: number): { ns: number; replicas: number } {
  const t = benchTarget(annotations);
  const key = 'bench/web';
  const store = benchStore(t, key);
  // A full window of per-second samples around 90 in flight, as the collectors leave it.
  for (let s = 0; s < windowS; s++) store.record(key, 'concurrency', 85 + (s % 11), T0 + s * 1000);
  const nowMs = T0 + (windowS - 1) * 1000 + 500;
  let state = decide(t, store, key, nowMs, 13, undefined).state;
  for (let i = 0; i < decisions / 10; i++) sink += decide(t, store, key, nowMs + (i % 2), 13, state).replicas;
  const rounds: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const start = performance.now();
    for (let i = 0; i < decisions; i++) {
      const d = decide(t, store, key, nowMs + (i % 2), 13, state);
      state = d.state;
      sink += d.replicas;
    }
    rounds.push(((performance.now() - start) * 1e6) / decisions);
  }
  rounds.sort((a, b) => a - b);
  return { ns: rounds[Math.floor(ROUNDS / 2)] ?? NaN, replicas: decide(t, store, key, nowMs, 13, state).replicas };
}

const cases: Array<{ name: string; annotations: Record<string, string>; windowS: number; decisions: number }> = [
  { name: 'linear, 60 s window (default)', annotations: { 'ebb.dev/kpa.target': '10' }, windowS: 60, decisions: 200_000 },
  { name: 'weighted-exponential, 60 s window', annotations: { 'ebb.dev/kpa.target': '10', 'ebb.dev/kpa.metric-aggregation-algorithm': 'weighted-exponential' }, windowS: 60, decisions: 200_000 },
  { name: 'linear, 1 h window (longest)', annotations: { 'ebb.dev/kpa.target': '10', 'ebb.dev/kpa.window': '1h' }, windowS: 3600, decisions: 5_000 },
  { name: 'weighted-exponential, 1 h window', annotations: { 'ebb.dev/kpa.target': '10', 'ebb.dev/kpa.window': '1h', 'ebb.dev/kpa.metric-aggregation-algorithm': 'weighted-exponential' }, windowS: 3600, decisions: 2_000 },
];

console.log(`KPA decision cost per target-tick (node ${process.version}, median of ${ROUNDS} rounds)\n`);
console.log('| case | decisions per round | µs per decision | decisions per second (one core) | recommended pods |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const c of cases) {
  const { ns, replicas } = measure(c.annotations, c.windowS, c.decisions);
  console.log(`| ${c.name} | ${c.decisions.toLocaleString('en')} | ${(ns / 1000).toFixed(2)} | ${Math.round(1e9 / ns).toLocaleString('en')} | ${replicas} |`);
}
if (sink === Number.MIN_SAFE_INTEGER) console.log(sink);
