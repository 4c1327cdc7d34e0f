/**
 * `ebb run` as a child process for scale-scrape.ts: the test helper spawnScaler with scrape-probe.ts loaded
 * (`--import`) to time the pod scrapes, and `--cpu-prof` into EBB_BENCH_CPU_PROF (a folder) when set.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findFreePort } from '@ebb/testing';
import { spawnScaler, type ScalerProcess } from '../src/test-support/scaler-process.ts';

const PROBE = fileURLToPath(new URL('./scrape-probe.ts', import.meta.url));

export interface BenchScaler extends Pick<ScalerProcess, 'child' | 'port' | 'logs' | 'kill'> {
  /** Where the probe writes its scrape counts and durations. */
  readonly probeFile: string;
}

export async function spawnBenchScaler(o: { kubeconfig: string; config: Record<string, unknown>; name: string; metricsPort?: number }): Promise<BenchScaler> {
  const port = await findFreePort();
  const probeFile = join(tmpdir(), `ebb-${o.name}-${process.pid}-${port}.probe.json`);
  writeFileSync(probeFile, JSON.stringify({ ok: 0, failed: 0, ms: {} }));
  const prof = process.env['EBB_BENCH_CPU_PROF'];
  const scaler = await spawnScaler({
    ...o,
    port,
    nodeArgs: ['--import', PROBE, ...(prof ? ['--cpu-prof', `--cpu-prof-dir=${prof}`] : [])],
    env: { EBB_PROBE_FILE: probeFile, EBB_PROBE_PORT: String(o.metricsPort ?? 9090) },
    maxLogChunks: 200,
    readyTimeoutMs: 120_000,
  });
  return { child: scaler.child, port: scaler.port, logs: scaler.logs, kill: (signal) => scaler.kill(signal), probeFile };
}
