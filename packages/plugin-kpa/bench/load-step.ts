/**
 * Ticks from a load step to the final desired count. A target runs steady at `from` in-flight requests, then the
 * load steps to `to` at t = 0. Collectors record the concurrency once per second (on the second); decisions run
 * every 2 s (Knative's tick), 0.5 s after a scrape; pods become ready `podStartS` seconds after a decision asks
 * for them. The KPA plugin decides with Knative's defaults (target 10 at 70 % -> 7 per pod, stable 60 s, panic
 * 6 s, panic threshold 200 %, up-rate 1000, down-rate 2) and core's 1 s windows. Printed per case: the desired
 * counts tick by tick, the first tick that recommends the final count ceil(to / 7), and the first tick at which
 * the stable-window count alone (no panic mode) would reach it.
 *
 * Run: node --conditions=@ebb/source --disable-warning=ExperimentalWarning packages/plugin-kpa/bench/load-step.ts
 */
import type { KpaState } from '../src/index.ts';
import { benchStore, benchTarget } from './bench-support.ts';

const TICK_MS = 2000;
const TICK_OFFSET_MS = 500;
const T0 = Date.UTC(2026, 0, 1, 12);

interface StepCase {
  readonly name: string;
  readonly from: number;
  readonly to: number;
  readonly podStartS: number;
  readonly annotations?: Record<string, string>;
}

interface StepResult {
  readonly final: number;
  readonly desired: number[];
  readonly firstFinalTick: number | undefined;
  readonly firstPanicTick: number | undefined;
  readonly stableFinalTick: number | undefined;
}

function run(c: StepCase, ticks: number): StepResult {
  const t = benchTarget({ 'ebb.dev/kpa.target': '10', ...c.annotations });
  const key = 'bench/step';
  const store = benchStore(t, key);
  const perPod = t.config.targetPerPod;
  const final = Math.ceil(c.to / perPod);
  // Steady state before the step: a full stable window at `from`, ready pods at its count.
  const settled = Math.ceil(c.from / perPod);
  const startMs = T0 - t.config.stableWindowMs - 10_000;
  for (let ms = startMs; ms < T0; ms += 1000) store.record(key, 'concurrency', c.from, ms);
  /** Decisions so far: when they were made and what they asked for, for readiness. */
  const asked: Array<{ atMs: number; replicas: number }> = [{ atMs: startMs, replicas: settled }];
  const readyAt = (ms: number): number => asked.filter((a) => a.atMs + c.podStartS * 1000 <= ms).at(-1)?.replicas ?? settled;
  let state: KpaState | undefined = { panicTimeMs: undefined, maxPanicPods: 0 };
  const desired: number[] = [];
  let firstPanicTick: number | undefined;
  let stableFinalTick: number | undefined;
  let recordedTo = T0 - 1000;
  for (let k = 1; k <= ticks; k++) {
    const nowMs = T0 + (k - 1) * TICK_MS + TICK_OFFSET_MS;
    for (let ms = recordedTo + 1000; ms <= nowMs; ms += 1000) store.record(key, 'concurrency', c.to, ms);
    recordedTo = Math.floor(nowMs / 1000) * 1000;
    const out = t.plugin.recommend({
      nowMs,
      target: { namespace: 'bench', name: 'step' },
      config: t.config,
      scaling: t.scaling,
      replicas: { current: readyAt(nowMs), ready: readyAt(nowMs) },
      metrics: store.view(key),
      state,
    });
    state = out.state;
    const r = out.recommendation;
    if (r.kind !== 'replicas') throw new Error(`tick ${k}: ${r.reason}`);
    desired.push(r.replicas);
    asked.push({ atMs: nowMs, replicas: r.replicas });
    if (firstPanicTick === undefined && r.details?.['inPanic'] === true) firstPanicTick = k;
    if (stableFinalTick === undefined && Number(r.details?.['desiredStablePods']) >= final) stableFinalTick = k;
  }
  const i = desired.indexOf(final);
  return { final, desired, firstFinalTick: i < 0 ? undefined : i + 1, firstPanicTick, stableFinalTick };
}

const cases: StepCase[] = [
  { name: 'demo: 7 -> 90 in flight (1 -> 13 pods), pods ready at once', from: 7, to: 90, podStartS: 0 },
  { name: 'same, pods ready 10 s after they are asked for', from: 7, to: 90, podStartS: 10 },
  { name: 'same, weighted-exponential averaging', from: 7, to: 90, podStartS: 0, annotations: { 'ebb.dev/kpa.metric-aggregation-algorithm': 'weighted-exponential' } },
  { name: 'same, panic window 1 s (panic-window-percentage 1)', from: 7, to: 90, podStartS: 0, annotations: { 'ebb.dev/kpa.panic-window-percentage': '1' } },
  { name: 'x10: 70 -> 700 in flight (10 -> 100 pods)', from: 70, to: 700, podStartS: 0 },
  { name: 'from zero: 0 -> 90 in flight (0 -> 13 pods)', from: 0, to: 90, podStartS: 0 },
  { name: 'small step: 70 -> 120 in flight (10 -> 18 pods, below the panic threshold)', from: 70, to: 120, podStartS: 0 },
];

const TICKS = 40;
console.log(`Ticks from a load step to the final desired count (tick ${TICK_MS / 1000} s; tick 1 is the first decision after the step, ${TICK_OFFSET_MS} ms into it)\n`);
console.log('| case | final pods | first tick at final | panic from tick | stable window alone reaches it at tick | desired pods, ticks 1..8 |');
console.log('| --- | ---: | ---: | ---: | ---: | --- |');
for (const c of cases) {
  const r = run(c, TICKS);
  const fmt = (n: number | undefined) => (n === undefined ? `> ${TICKS}` : String(n));
  console.log(`| ${c.name} | ${r.final} | ${fmt(r.firstFinalTick)} | ${r.firstPanicTick ?? 'no panic'} | ${fmt(r.stableFinalTick)} | ${r.desired.slice(0, 8).join(', ')} |`);
}
