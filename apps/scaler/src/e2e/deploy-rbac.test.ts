/**
 * The chart's RBAC is enough, not only small: `ebb run` and `ebb gateway` run here with the tokens of the
 * chart's ServiceAccounts (and its admission policy in force), and do their whole job: leader election, scaling,
 * Events, the status annotation, a reserve swap, the gateway's watches. Nothing in their logs is forbidden.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppsV1Api, CoordinationV1Api } from '@kubernetes/client-node';
import { createTestDeployment, ensureClusterBinaries, findFreePorts, testKubeconfigPath, useTestNamespace, waitFor } from '@ebb/testing';
import { SELECTION_LABEL, STATUS_ANNOTATION } from '@ebb/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { annotate, eventsOf, specReplicas, waitForReplicas } from '../test-support/cluster-helpers.ts';
import { spawnScaler, type ScalerProcess } from '../test-support/scaler-process.ts';

const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));
const PLUGIN_MODULE = fileURLToPath(new URL('../test-support/fixed-plugin-module.ts', import.meta.url));
const ns = useTestNamespace('deploy-rbac');
const release = `r${Date.now().toString(36).slice(-5)}`;

type Obj = { kind: string; metadata: { name: string }; data?: Record<string, string> };

function run(cmd: string, args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
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

let kubectlBin = '';
const kubectl = async (args: string[], input?: string) => {
  const r = await run(kubectlBin, ['--kubeconfig', testKubeconfigPath(), ...args], input);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};
let rbacManifest = '';
let chartConfig: Record<string, unknown> = {};
const processes: Array<{ kill(): Promise<void> }> = [];

/** A kubeconfig that authenticates with a token of the ServiceAccount `sa` of the test namespace. */
async function tokenKubeconfig(sa: string): Promise<string> {
  const token = (await kubectl(['create', 'token', sa, '-n', ns.name, '--duration=1h'])).trim();
  const admin = JSON.parse(await kubectl(['config', 'view', '--raw', '--minify', '-o', 'json'])) as { clusters: Array<{ cluster: Record<string, string> }> };
  const cluster = { ...admin.clusters[0]!.cluster };
  const path = join(mkdtempSync(join(tmpdir(), 'ebb-sa-')), 'kubeconfig');
  writeFileSync(
    path,
    stringify({ apiVersion: 'v1', kind: 'Config', clusters: [{ name: 'c', cluster }], users: [{ name: sa, user: { token } }], contexts: [{ name: sa, context: { cluster: 'c', user: sa, namespace: ns.name } }], 'current-context': sa }),
  );
  return path;
}

beforeAll(async () => {
  const built = await run('bash', [join(REPO, 'tools/helm/build.sh')]);
  if (built.code !== 0) throw new Error(`tools/helm/build.sh failed:\n${built.stderr}`);
  kubectlBin = join(await ensureClusterBinaries(), 'kubectl');
  const values = join(mkdtempSync(join(tmpdir(), 'ebb-helm-')), 'values.yaml');
  writeFileSync(values, stringify({ watchNamespaces: [ns.name], gateway: { enabled: true } }));
  const r = await run(join(built.stdout.trim(), 'helm'), ['template', release, join(REPO, 'deploy/helm/ebb'), '-n', ns.name, '--kube-version', '1.35.0', '-f', values]);
  if (r.code !== 0) throw new Error(r.stderr);
  const objects = parseAllDocuments(r.stdout).map((d) => d.toJS() as Obj | null).filter((o): o is Obj => !!o);
  // Everything but the workloads: the scaler and the gateway run here, as the chart's ServiceAccounts.
  const kept = objects.filter((o) => !['Deployment', 'Service', 'PodDisruptionBudget'].includes(o.kind));
  expect(kept.map((o) => o.kind)).toContain('ValidatingAdmissionPolicy');
  rbacManifest = kept.map((o) => stringify(o)).join('---\n');
  await kubectl(['apply', '-f', '-'], rbacManifest);
  chartConfig = parse(objects.find((o) => o.kind === 'ConfigMap')!.data!['config.yaml']!) as Record<string, unknown>;
}, 900_000);

afterAll(async () => {
  await Promise.all(processes.map((p) => p.kill()));
  if (rbacManifest) await run(kubectlBin, ['--kubeconfig', testKubeconfigPath(), 'delete', '--ignore-not-found', '--wait=false', '-f', '-'], rbacManifest);
});

describe('the scaler and the gateway with exactly the chart RBAC', () => {
  let scaler: ScalerProcess;

  it('ebb run, as the scaler ServiceAccount, leads, scales, records Events and the status', async () => {
    const kubeconfig = await tokenKubeconfig(`${release}-ebb-scaler`);
    // The chart's own config file, plus a plugin that recommends what an annotation says.
    const config = { ...chartConfig, plugins: [...(chartConfig['plugins'] as string[]), PLUGIN_MODULE], tickInterval: '500ms' };
    // No KUBECONFIG in the environment: the eventgw collector (gatewayPods) must use the scaler's own credentials.
    const previous = process.env['KUBECONFIG'];
    process.env['KUBECONFIG'] = join(tmpdir(), 'no-such-kubeconfig');
    try {
      scaler = await spawnScaler({ kubeconfig, config, name: 'rbac' });
    } finally {
      if (previous === undefined) delete process.env['KUBECONFIG'];
      else process.env['KUBECONFIG'] = previous;
    }
    processes.push(scaler);
    const lease = await waitFor(
      async () => (await ns.kubeConfig.makeApiClient(CoordinationV1Api).readNamespacedLease({ name: `${release}-ebb-scaler`, namespace: ns.name })).spec?.holderIdentity || undefined,
      { timeoutMs: 20_000, description: 'the scaler holds its Lease' },
    );
    expect(lease).not.toBe('');

    await createTestDeployment(ns.kubeConfig, { namespace: ns.name, name: 'web', replicas: 1, labels: { [SELECTION_LABEL]: 'true' }, annotations: { 'ebb.dev/policies': 'fixed', 'ebb.dev/fixed.replicas': '3' } });
    await waitForReplicas(ns.kubeConfig, ns.name, 'web', 3);
    const event = await waitFor(async () => (await eventsOf(ns.kubeConfig, ns.name, 'web', 'SuccessfulRescale'))[0]);
    expect(event.message).toBe('New size: 3; reason: fixed: fixed at 3');
    const status = await waitFor(async () => {
      const d = await ns.kubeConfig.makeApiClient(AppsV1Api).readNamespacedDeployment({ name: 'web', namespace: ns.name });
      return d.metadata?.annotations?.[STATUS_ANNOTATION];
    });
    expect(JSON.parse(status)).toMatchObject({ desired: 3, winner: 'fixed' });
  });

  it('swaps a target at zero to its reserve and back', async () => {
    await createTestDeployment(ns.kubeConfig, {
      namespace: ns.name,
      name: 'idle',
      replicas: 1,
      labels: { [SELECTION_LABEL]: 'true' },
      annotations: { 'ebb.dev/policies': 'fixed', 'ebb.dev/fixed.replicas': '0', 'ebb.dev/reserve': 'true', 'ebb.dev/scale-to-zero-grace-period': '6s' },
    });
    await waitForReplicas(ns.kubeConfig, ns.name, 'idle', 0, 60_000);
    expect(await specReplicas(ns.kubeConfig, ns.name, 'idle-reserve')).toBe(1);
    await annotate(ns.kubeConfig, ns.name, 'idle', { 'ebb.dev/fixed.replicas': '2' });
    await waitForReplicas(ns.kubeConfig, ns.name, 'idle', 2, 60_000);
    await waitForReplicas(ns.kubeConfig, ns.name, 'idle-reserve', 0, 60_000);
  });

  it('ebb gateway, as the gateway ServiceAccount, starts its watches and turns ready', async () => {
    const kubeconfig = await tokenKubeconfig(`${release}-ebb-gateway`);
    const [port, adminPort] = await findFreePorts(2);
    const child: ChildProcess = spawn(
      process.execPath,
      ['--conditions=@ebb/source', '--disable-warning=ExperimentalWarning', MAIN, 'gateway', '--kubeconfig', kubeconfig, '--namespace', ns.name, `--port=${port}`, `--admin-port=${adminPort}`, `--lease-namespace=${ns.name}`, `--lease-group=${release}-ebb-gateway`],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const logs: string[] = [];
    child.stderr?.on('data', (d: Buffer) => logs.push(d.toString()));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    processes.push({ kill: async () => void (child.exitCode === null && child.kill('SIGKILL') && (await exited)) });
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`ebb gateway exited with ${child.exitCode}: ${logs.join('')}`);
        return (await fetch(`http://127.0.0.1:${adminPort}/readyz`).catch(() => undefined))?.status === 200;
      },
      { timeoutMs: 30_000, description: 'the gateway ready' },
    );
    const stats = (await (await fetch(`http://127.0.0.1:${adminPort}/stats`)).json()) as { targets: unknown };
    expect(stats.targets).toBeDefined();
    // Its membership Lease (slots shared with other replicas) was written with the chart's Role.
    const leases = await ns.kubeConfig.makeApiClient(CoordinationV1Api).listNamespacedLease({ namespace: ns.name, labelSelector: `ebb.dev/gateway-group=${release}-ebb-gateway` });
    expect(leases.items).toHaveLength(1);
    expect(logs.join('')).not.toMatch(/forbidden|\b403\b/i);
  });

  it('nothing the scaler did was forbidden', () => {
    expect(scaler.logs.join('')).not.toMatch(/forbidden|\b403\b/i);
  });
});
