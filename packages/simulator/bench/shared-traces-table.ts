/**
 * The comparison table of the built-in configurations on the shared traces, as Markdown (for docs/benchmarks.md).
 * The trace folder is `packages/simulator/traces` (or EBB_TRACES). Deterministic: seed 1.
 *
 * Run: node --conditions=@ebb/source packages/simulator/bench/shared-traces-table.ts   (from the repository root)
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtinPresets, runSimulation, type SimulationResult } from '../src/index.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const traces = process.env['EBB_TRACES'] ?? join(repoRoot, 'packages', 'simulator', 'traces');
if (!existsSync(traces)) throw new Error(`no trace folder at ${traces}; set EBB_TRACES`);

const h = (s: number): string => (s / 3600).toFixed(1);
const wait = (ms: number | null): string => (ms === null ? '-' : ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`);

function table(r: SimulationResult): string {
  const base = r.configurations[0]!.total.cost;
  const rows = r.configurations.map((c) => {
    const t = c.total;
    const change = ((t.cost / base - 1) * 100).toFixed(1);
    return `| ${c.name} | ${h(t.podSeconds)} | ${h(t.reservePodSeconds)} | ${h(t.cost)} | ${Number(change) >= 0 ? '+' : ''}${change} % | ${t.coldStarts.toLocaleString('en-US')} | ${t.coldStartPercent.toFixed(2)} % | ${wait(t.waitP50Ms)} | ${wait(t.waitP99Ms)} | ${t.maxReplicas} | ${t.scaleActions.toLocaleString('en-US')} | ${t.timedOut + t.rejected} |`;
  });
  return [
    `**${r.trace.name}**: ${r.trace.functions.length} function(s), ${r.trace.requests.toLocaleString('en-US')} requests over ${r.trace.hours} h.`,
    '',
    '| configuration | pod-h | reserve pod-h | cost (pod-h) | cost vs first | cold starts | cold % | wait p50 | wait p99 | max pods | scale actions | failed |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
  ].join('\n');
}

const configurations = builtinPresets({ podConcurrency: 1 });
for (const file of ['azure-functions-2019-sample10-inv.csv', 'azure-llm-inference-2023-code.csv']) {
  const r = await runSimulation({ trace: join(traces, file), configurations, seed: 1 });
  console.log(`${table(r)}\n`);
}
