/**
 * Compares the `prewarm-histogram` preset with the 10-minute keep-alive on a trace: cold starts (overall and of
 * the 75th-percentile function), idle pod-time (pod-time with no request in flight on the pod), warm idle time
 * (time a function has a pod and no request in flight or queued: what a keep-alive decides) and cost. Also the paper's fallback (4 h keep-alive while learning), and no
 * keep-alive at all (the floor: idle pod-time that no keep-alive policy controls, from pods started for bursts).
 *
 *   node --conditions=@ebb/source --disable-warning=ExperimentalWarning scripts/prewarm-compare.ts TRACE [--hours H]
 */
import { parseArgs } from 'node:util';
import { builtinPresets, loadTrace, percentile, runSimulation, type SimConfiguration, type Trace } from '@ebb/simulator';

const { positionals, values } = parseArgs({ allowPositionals: true, options: { hours: { type: 'string' }, 'per-function': { type: 'boolean' } } });
const file = positionals[0];
if (!file) {
  process.stderr.write('usage: scripts/prewarm-compare.ts TRACE [--hours H]\n');
  process.exit(2);
}
const trace: Trace = loadTrace(file, { seed: 1 });
const presets = builtinPresets({ podConcurrency: 1 });
const byName = (name: string): SimConfiguration => presets.find((p) => p.name === name)!;
const histogram = byName('prewarm-histogram');
const configurations: SimConfiguration[] = [
  byName('keepalive-10m'),
  histogram,
  { ...histogram, name: 'prewarm-fallback-4h', annotations: { ...histogram.annotations, 'ebb.dev/prewarm.fallback-keep-alive': '4h' } },
  // The floor: the same pod per request, released 16 s after the demand (no keep-alive at all).
  { ...histogram, name: 'no-keep-alive', annotations: { ...histogram.annotations, 'ebb.dev/policies': 'eventgw' } },
];
const started = performance.now();
const r = await runSimulation({ trace, configurations, ...(values.hours ? { hours: Number(values.hours) } : {}) });
const rows = r.configurations.map((c) => {
  const called = c.functions.filter((f) => f.requests > 0).map((f) => f.coldStartPercent);
  return {
    name: c.name,
    cold: c.total.coldStarts,
    coldPercent: c.total.coldStartPercent,
    p75: percentile(called, 75) ?? 0,
    idleHours: c.total.idlePodSeconds / 3600,
    warmHours: c.total.warmIdleSeconds / 3600,
    costHours: c.total.cost / 3600,
  };
});
const base = rows[0]!;
const pct = (x: number, of: number): string => `${((x / of) * 100).toFixed(1)} %`;
process.stdout.write(`${r.trace.name}: ${trace.functions.length} functions, ${r.trace.requests} requests, ${r.trace.hours} h (${((performance.now() - started) / 1000).toFixed(0)} s)\n`);
process.stdout.write('| configuration | cold starts | cold % | p75 fn cold % | idle pod-h | vs 10m | warm idle h | vs 10m | cost pod-h | vs 10m |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n');
for (const x of rows) {
  const cells = [
    x.name,
    String(x.cold),
    `${x.coldPercent.toFixed(2)} %`,
    `${x.p75.toFixed(2)} %`,
    x.idleHours.toFixed(1),
    pct(x.idleHours, base.idleHours),
    x.warmHours.toFixed(1),
    pct(x.warmHours, base.warmHours),
    x.costHours.toFixed(1),
    pct(x.costHours, base.costHours),
  ];
  process.stdout.write(`| ${cells.join(' | ')} |\n`);
}
if (values['per-function']) {
  process.stdout.write('\nper function: cold starts / idle pod-h / warm idle h\n');
  for (const [i, f] of trace.functions.entries()) {
    const cells = r.configurations.map((c) => {
      const x = c.functions[i]!;
      return `${String(x.coldStarts).padStart(5)} / ${(x.idlePodSeconds / 3600).toFixed(2).padStart(6)} / ${(x.warmIdleSeconds / 3600).toFixed(2).padStart(6)}`;
    });
    process.stdout.write(`${f.id.slice(0, 8)} ${String(f.arrivalsMs.length).padStart(6)} req  ${cells.join('   ')}\n`);
  }
}
