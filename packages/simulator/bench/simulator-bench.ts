/**
 * Speed of the simulator: 24 h of the 10-function Azure Functions trace (and the ~1 h LLM inference trace)
 * through each built-in configuration, one at a time, reporting wall and CPU time and trace-hours simulated per
 * second. The trace folder is `packages/simulator/traces` (or EBB_TRACES). EBB_SKIP_IDLE=0: idle targets tick
 * as before (the reference for the idle-target skipping; the results are the same).
 *
 * Run: node --conditions=@ebb/source packages/simulator/bench/simulator-bench.ts   (from the repository root)
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtinPresets, loadTrace, runSimulation, type Trace } from '../src/index.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const traces = process.env['EBB_TRACES'] ?? join(repoRoot, 'packages', 'simulator', 'traces');
if (!existsSync(traces)) throw new Error(`no trace folder at ${traces}; set EBB_TRACES`);

const cases: Array<{ name: string; trace: Trace }> = [
  { name: 'Azure Functions 2019, 10 functions', trace: loadTrace(join(traces, 'azure-functions-2019-sample10-inv.csv'), { seed: 1 }) },
  { name: 'Azure LLM inference 2023 (code)', trace: loadTrace(join(traces, 'azure-llm-inference-2023-code.csv'), { seed: 1 }) },
];

const skipIdleTargets = process.env['EBB_SKIP_IDLE'] !== '0';
console.log(`node ${process.version}; ${process.env['EBB_BENCH_RUNS'] ?? 1} run(s) each, best of them; idle targets ${skipIdleTargets ? 'skip' : 'tick (EBB_SKIP_IDLE=0)'}`);
console.log('| trace | configuration | trace span | requests | wall | CPU | trace-hours per wall second | per CPU second |');
console.log('|---|---|---:|---:|---:|---:|---:|---:|');
const runs = Number(process.env['EBB_BENCH_RUNS'] ?? 1);
for (const c of cases) {
  const hours = (c.trace.endMs - c.trace.startMs) / 3_600_000;
  const requests = c.trace.functions.reduce((n, f) => n + f.arrivalsMs.length, 0);
  for (const preset of builtinPresets({ podConcurrency: 1 })) {
    let best = { wallMs: Infinity, cpuMs: Infinity };
    for (let r = 0; r < runs; r++) {
      const cpu0 = process.cpuUsage();
      const wall0 = performance.now();
      await runSimulation({ trace: c.trace, configurations: [preset], skipIdleTargets });
      const cpu = process.cpuUsage(cpu0);
      const wallMs = performance.now() - wall0;
      const cpuMs = (cpu.user + cpu.system) / 1000;
      if (wallMs < best.wallMs) best = { wallMs, cpuMs };
    }
    console.log(
      `| ${c.name} | ${preset.name} | ${hours.toFixed(2)} h | ${requests.toLocaleString('en-US')} | ${(best.wallMs / 1000).toFixed(2)} s | ` +
        `${(best.cpuMs / 1000).toFixed(2)} s | ${(hours / (best.wallMs / 1000)).toFixed(1)} | ${(hours / (best.cpuMs / 1000)).toFixed(1)} |`,
    );
  }
}
