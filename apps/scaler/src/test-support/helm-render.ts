import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments, stringify } from 'yaml';

/** The repository root and the chart. */
export const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
export const CHART = join(REPO, 'deploy/helm/ebb');

/** A rendered Kubernetes object, as far as the tests read it. */
export type RenderedObject = { kind: string; metadata: { name: string; namespace?: string } };

/** Runs a program with `input` on stdin; never rejects on a non-zero exit (the caller asserts on `code`). */
export function runProgram(cmd: string, args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

/** The helm binary, built from its Go module by tools/helm/build.sh on first use (cached afterwards). */
export async function buildHelm(): Promise<string> {
  const built = await runProgram('bash', [join(REPO, 'tools/helm/build.sh')]);
  if (built.code !== 0) throw new Error(`tools/helm/build.sh failed:\n${built.stderr}`);
  return join(built.stdout.trim(), 'helm');
}

/** `helm template <release> deploy/helm/ebb -n <namespace>` with `values`; the rendered objects. */
export async function renderChart(helm: string, release: string, namespace: string, values: Record<string, unknown>): Promise<RenderedObject[]> {
  const file = join(mkdtempSync(join(tmpdir(), 'ebb-helm-')), 'values.yaml');
  writeFileSync(file, stringify(values));
  const r = await runProgram(helm, ['template', release, CHART, '-n', namespace, '--kube-version', '1.35.0', '-f', file]);
  if (r.code !== 0) throw new Error(r.stderr.trim());
  return parseAllDocuments(r.stdout)
    .map((d) => d.toJS() as RenderedObject | null)
    .filter((o): o is RenderedObject => !!o);
}
