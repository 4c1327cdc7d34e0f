/**
 * Speed and memory of the simulator on a large fleet: a synthetic day in the Azure Functions 2019 format
 * (`azureFleetCsv`: mostly idle functions, a few busy ones), written to a temporary folder and replayed through
 * each built-in configuration alone. Prints one Markdown row per configuration: wall and CPU time, peak RSS.
 *
 * Run (from the repository root): node --conditions=@ebb/source packages/simulator/bench/fleet-bench.ts [FUNCTIONS] [HOURS]
 * Environment: EBB_FLEET_PRESETS=knative-default,... (default all), EBB_SKIP_IDLE=0 (the reference: no target
 * skips a tick), EBB_FLEET_SEED (default 1).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { azureFleetCsv, builtinPresets, loadTrace, runSimulation, selectTrace } from '../src/index.ts';

const functions = Number(process.argv[2] ?? 1000);
const hours = Number(process.argv[3] ?? 24);
const seed = Number(process.env['EBB_FLEET_SEED'] ?? 1);
const skip = process.env['EBB_SKIP_IDLE'] !== '0';
const wanted = process.env['EBB_FLEET_PRESETS']?.split(',');
const dir = mkdtempSync(join(tmpdir(), 'ebb-fleet-'));
try {
  const tables = azureFleetCsv({ functions, seed, minutes: Math.ceil(hours * 60) });
  writeFileSync(join(dir, 'fleet-inv.csv'), tables.inv);
  writeFileSync(join(dir, 'fleet-run.csv'), tables.run);
  const trace = selectTrace(loadTrace(join(dir, 'fleet-inv.csv'), { seed: 1 }), {});
  const requests = trace.functions.reduce((n, f) => n + f.arrivalsMs.length, 0);
  console.log(`node ${process.version}; ${functions} functions, ${hours} h, ${requests.toLocaleString('en-US')} requests; idle targets ${skip ? 'skip' : 'tick'}`);
  console.log('| configuration | wall | CPU | peak RSS | target-time asleep | cost (pod-h) | cold starts |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const preset of builtinPresets({ podConcurrency: 1 }).filter((p) => !wanted || wanted.includes(p.name))) {
    const cpu0 = process.cpuUsage();
    const wall0 = performance.now();
    let asleep = 0;
    const r = await runSimulation({ trace, configurations: [preset], seed: 1, skipIdleTargets: skip, onIdleStats: (_c, st) => (asleep = st.asleepMs / st.targetMs) });
    const cpu = process.cpuUsage(cpu0);
    const t = r.configurations[0]!.total;
    console.log(
      `| ${preset.name} | ${((performance.now() - wall0) / 1000).toFixed(1)} s | ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s | ` +
        `${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB | ${(asleep * 100).toFixed(0)} % | ${(t.cost / 3600).toFixed(1)} | ${t.coldStarts.toLocaleString('en-US')} |`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
