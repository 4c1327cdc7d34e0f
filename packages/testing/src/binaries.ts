import { spawn } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { COMPONENTS } from './cluster-state.ts';

/** The build script, found relative to this file (the same from `src/` and from `dist/`). */
export const BUILD_SCRIPT = fileURLToPath(new URL('../../../tools/cluster/build.sh', import.meta.url));

/** Binaries a bin folder must hold for a local cluster. */
export const REQUIRED_BINARIES: readonly string[] = [...COMPONENTS, 'kubectl'];

/** Options of {@link ensureClusterBinaries}. */
export interface EnsureBinariesOptions {
  /** Receives the build's progress lines (stderr of `build.sh`). Default: dropped. */
  readonly log?: (line: string) => void;
  readonly env?: NodeJS.ProcessEnv;
}

/** The binaries named in {@link REQUIRED_BINARIES} that are missing or not executable in `binDir`. */
export async function missingBinaries(binDir: string): Promise<string[]> {
  const missing: string[] = [];
  for (const name of REQUIRED_BINARIES) {
    try {
      await access(join(binDir, name), constants.X_OK);
    } catch {
      missing.push(name);
    }
  }
  return missing;
}

/**
 * Returns a folder holding kube-apiserver, kube-controller-manager, kube-scheduler, kubectl, etcd and kwok.
 * Uses `EBB_CLUSTER_BIN_DIR` when set; otherwise runs `tools/cluster/build.sh`, which builds them from the
 * pinned Go modules once (about 10 minutes on 2 cores) and answers from its cache afterwards (milliseconds).
 * Throws an error that names what is missing (Go, a binary, the script) when no binaries can be had.
 */
export async function ensureClusterBinaries(options: EnsureBinariesOptions = {}): Promise<string> {
  const env = options.env ?? process.env;
  const given = env['EBB_CLUSTER_BIN_DIR'];
  const binDir = given || (await runBuildScript(options.log, env));
  const missing = await missingBinaries(binDir);
  if (missing.length > 0) {
    const source = given ? 'EBB_CLUSTER_BIN_DIR' : BUILD_SCRIPT;
    throw new Error(`the local cluster needs ${missing.join(', ')} in ${binDir} (from ${source}), and they are missing or not executable`);
  }
  return binDir;
}

async function runBuildScript(log: ((line: string) => void) | undefined, env: NodeJS.ProcessEnv): Promise<string> {
  try {
    await access(BUILD_SCRIPT, constants.R_OK);
  } catch {
    throw new Error(`the local cluster is built by ${BUILD_SCRIPT}, which is not there (is this a checkout of the Ebb repository?)`);
  }
  return await new Promise<string>((resolve, reject) => {
    const child = spawn('bash', [BUILD_SCRIPT], { stdio: ['ignore', 'pipe', 'pipe'], env });
    let stdout = '';
    const stderrTail: string[] = [];
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      for (const line of chunk.split('\n').filter(Boolean)) {
        log?.(line);
        stderrTail.push(line);
        if (stderrTail.length > 20) stderrTail.shift();
      }
    });
    child.on('error', (error) => reject(new Error(`could not run ${BUILD_SCRIPT} with bash: ${error.message}`)));
    child.on('close', (code) => {
      const binDir = stdout.trim().split('\n').at(-1) ?? '';
      if (code === 0 && binDir) resolve(binDir);
      else reject(new Error(`building the local cluster failed (${BUILD_SCRIPT} exited with ${code}):\n${stderrTail.join('\n')}`));
    });
  });
}
