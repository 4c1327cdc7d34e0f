/**
 * `ebb run` as a child process for scale-scrape.ts: like the test helper spawnScaler, with scrape-probe.ts loaded
 * (`--import`) to time the pod scrapes, and `--cpu-prof` into EBB_BENCH_CPU_PROF (a folder) when set.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { findFreePort, waitFor } from '@ebb/testing';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const PROBE = fileURLToPath(new URL('./scrape-probe.ts', import.meta.url));

export interface BenchScaler {
  readonly child: ChildProcess;
  readonly port: number;
  /** Where the probe writes its scrape counts and durations. */
  readonly probeFile: string;
  readonly logs: string[];
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export async function spawnBenchScaler(o: { kubeconfig: string; config: Record<string, unknown>; name: string; metricsPort?: number }): Promise<BenchScaler> {
  const port = await findFreePort();
  const configPath = join(tmpdir(), `ebb-${o.name}-${process.pid}-${port}.yaml`);
  const probeFile = join(tmpdir(), `ebb-${o.name}-${process.pid}-${port}.probe.json`);
  writeFileSync(configPath, stringify({ ...o.config, http: { host: '127.0.0.1', port } }));
  writeFileSync(probeFile, JSON.stringify({ ok: 0, failed: 0, ms: {} }));
  const prof = process.env['EBB_BENCH_CPU_PROF'];
  const args = ['--conditions=@ebb/source', '--disable-warning=ExperimentalWarning', '--import', PROBE, ...(prof ? ['--cpu-prof', `--cpu-prof-dir=${prof}`] : [])];
  const child = spawn(process.execPath, [...args, MAIN, 'run', '--kubeconfig', o.kubeconfig, '--config', configPath], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, EBB_PROBE_FILE: probeFile, EBB_PROBE_PORT: String(o.metricsPort ?? 9090) },
  });
  const logs: string[] = [];
  const keep = (d: Buffer): void => {
    logs.push(d.toString());
    if (logs.length > 200) logs.shift();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`ebb run exited with ${child.exitCode}: ${logs.join('')}`);
      const res = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined);
      return res?.status === 200;
    },
    { timeoutMs: 120_000, description: `${o.name} ready` },
  );
  return {
    child,
    port,
    probeFile,
    logs,
    async kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
