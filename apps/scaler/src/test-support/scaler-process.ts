import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { findFreePort, waitFor } from '@ebb/testing';

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));

/** An `ebb run` child process. */
export interface ScalerProcess {
  readonly port: number;
  readonly child: ChildProcess;
  readonly logs: string[];
  /** Value of one sample line of /metrics (undefined when absent or the process does not answer). */
  metric(line: RegExp): Promise<number | undefined>;
  /** Sum of every sample line of /metrics that matches (0 when none, or the process does not answer). */
  metricSum(line: RegExp): Promise<number>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

async function metricLines(port: number): Promise<string[]> {
  const text = await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(2000) })
    .then((r) => r.text())
    .catch(() => '');
  return text.split('\n');
}

/** Starts `node main.ts run` with a generated config file; resolves when /readyz answers 200 (loading the program takes 1-2 s of CPU, which a loaded 2-core machine can stretch to half a minute). */
export async function spawnScaler(o: {
  kubeconfig: string;
  config: Record<string, unknown>;
  name: string;
  port?: number;
  /** Extra node options before the program, e.g. `--import` of a probe or `--cpu-prof`. */
  nodeArgs?: readonly string[];
  /** Extra environment of the process. */
  env?: Readonly<Record<string, string>>;
  /** Keep only the last this many output chunks (default: all). */
  maxLogChunks?: number;
  readyTimeoutMs?: number;
}): Promise<ScalerProcess> {
  const port = o.port ?? (await findFreePort());
  const configPath = join(tmpdir(), `ebb-${o.name}-${process.pid}-${port}.yaml`);
  writeFileSync(configPath, stringify({ ...o.config, http: { host: '127.0.0.1', port } }));
  const args = ['--conditions=@ebb/source', '--disable-warning=ExperimentalWarning', ...(o.nodeArgs ?? []), MAIN, 'run', '--kubeconfig', o.kubeconfig, '--config', configPath];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], ...(o.env ? { env: { ...process.env, ...o.env } } : {}) });
  const logs: string[] = [];
  const keep = (d: Buffer): void => {
    logs.push(d.toString());
    if (o.maxLogChunks !== undefined && logs.length > o.maxLogChunks) logs.shift();
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
    { timeoutMs: o.readyTimeoutMs ?? 90_000, description: `${o.name} ready` },
  );
  return {
    port,
    child,
    logs,
    async metric(line) {
      const found = (await metricLines(port)).find((l) => line.test(l));
      return found === undefined ? undefined : Number(found.split(' ').at(-1));
    },
    async metricSum(line) {
      return (await metricLines(port)).filter((l) => line.test(l)).reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0);
    },
    async kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
