/**
 * The plain manifests (deploy/kustomize): the same objects as the Helm chart with its defaults (so the two
 * cannot drift apart), a config file the scaler accepts, and on the real cluster a server dry run, a real apply
 * into ebb-system with both Deployments Ready, and `kubectl auth can-i` as the ServiceAccounts they create.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureClusterBinaries, testKubeConfig, testKubeconfigPath, waitFor, waitForDeploymentReady } from '@ebb/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { parseConfig } from '../runtime/config-file.ts';

const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
const KUSTOMIZE = join(REPO, 'deploy/kustomize');
const CHART = join(REPO, 'deploy/helm/ebb');

type Obj = { kind: string; metadata: { name: string; namespace?: string }; data?: Record<string, string>; [k: string]: unknown };

/** Runs a program; never rejects on a non-zero exit (the caller asserts on `code`). */
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

const parse = (text: string): Obj[] =>
  parseAllDocuments(text)
    .map((d) => d.toJS() as Obj | null)
    .filter((o): o is Obj => !!o);

let helm = '';
let kubectlBin = '';
const kubectl = (args: string[], input?: string) => run(kubectlBin, ['--kubeconfig', testKubeconfigPath(), ...args], input);

beforeAll(async () => {
  const built = await run('bash', [join(REPO, 'tools/helm/build.sh')]);
  if (built.code !== 0) throw new Error(`tools/helm/build.sh failed:\n${built.stderr}`);
  helm = join(built.stdout.trim(), 'helm');
  kubectlBin = join(await ensureClusterBinaries(), 'kubectl');
}, 900_000);

async function kustomize(dir: string): Promise<{ text: string; objects: Obj[] }> {
  const r = await kubectl(['kustomize', join(KUSTOMIZE, dir)]);
  if (r.code !== 0) throw new Error(r.stderr);
  return { text: r.stdout, objects: parse(r.stdout) };
}

async function helmTemplate(args: string[]): Promise<Obj[]> {
  const r = await run(helm, ['template', 'ebb', CHART, '-n', 'ebb-system', '--kube-version', '1.35.0', ...args]);
  if (r.code !== 0) throw new Error(r.stderr);
  return parse(r.stdout);
}

/** What must match between the two: everything but labels, annotations and generated names. */
function essence(o: Obj): unknown {
  const { metadata, apiVersion: _v, ...rest } = o as Obj & { apiVersion?: string };
  const text = JSON.stringify(rest)
    // kustomize appends a content hash to the ConfigMap's name; helm rolls pods through a checksum annotation.
    .replace(/"ebb-scaler-config-[a-z0-9]{10}"/g, '"ebb-scaler-config"');
  const copy = JSON.parse(text) as { spec?: { template?: { metadata?: { annotations?: unknown } } } };
  if (copy.spec?.template?.metadata) delete copy.spec.template.metadata.annotations;
  return { kind: o.kind, name: metadata.name, ...copy };
}

const configOf = (objects: Obj[]) => {
  const cm = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('ebb-scaler-config'));
  return parseConfig(cm?.data?.['config.yaml'] ?? '', 'config.yaml');
};

describe('kustomize manifests, offline', () => {
  it.each([
    ['base', [] as string[]],
    ['overlays/gateway', ['--set', 'gateway.enabled=true']],
  ])('%s holds the objects the Helm chart renders with the same settings', async (dir, helmArgs) => {
    const plain = (await kustomize(dir)).objects;
    const chart = await helmTemplate(helmArgs);
    // kustomize's schema does not know the admission policy kinds are cluster-scoped and gives them the
    // namespace; kubectl and the apiserver ignore it.
    const namespaceOf = (o: Obj) => (o.kind.startsWith('ValidatingAdmissionPolicy') ? '' : (o.metadata.namespace ?? ''));
    const key = (o: Obj) => `${o.kind}/${namespaceOf(o)}/${o.metadata.name.replace(/-config-[a-z0-9]{10}$/, '-config')}`;
    // The plain manifests also create the namespace.
    expect(plain.filter((o) => o.kind !== 'Namespace').map(key).sort()).toEqual(chart.map(key).sort());
    for (const o of chart.filter((c) => c.kind !== 'ConfigMap')) {
      const twin = plain.find((p) => key(p) === key(o));
      expect(essence(twin!), key(o)).toEqual(essence(o));
    }
    expect(configOf(plain)).toEqual(configOf(chart));
  });

  it('keeps the Lease names of the Role as written (kustomize rewrites names it mistakes for references)', async () => {
    const role = (await kustomize('base')).objects.find((o) => o.kind === 'Role') as unknown as { rules: Array<{ resourceNames?: string[] }> };
    expect(role.rules.flatMap((r) => r.resourceNames ?? [])).toEqual(['ebb-scaler']);
    const config = configOf((await kustomize('base')).objects);
    expect(config.leaderElection).toMatchObject({ enabled: true, namespace: 'ebb-system', name: 'ebb-scaler' });
  });

  it('the gateway overlay tells the eventgw collector where the gateway pods are', async () => {
    const config = configOf((await kustomize('overlays/gateway')).objects);
    expect(config.pluginOptions).toEqual({ eventgw: { gatewayPods: { namespace: 'ebb-system', labelSelector: 'app.kubernetes.io/name=ebb-gateway,app.kubernetes.io/instance=ebb', adminPort: 9090 } } });
  });
});

describe('kustomize manifests on the cluster (namespace ebb-system)', () => {
  let text = '';
  beforeAll(async () => {
    text = (await kustomize('overlays/gateway')).text;
    // A previous run on the same cluster (EBB_TEST_KUBECONFIG) may still be deleting the namespace.
    await waitFor(async () => (await kubectl(['get', 'namespace', 'ebb-system', '--ignore-not-found', '-o', 'name'])).stdout.trim() === '', {
      timeoutMs: 90_000,
      description: 'namespace ebb-system gone from an earlier run',
    });
  }, 120_000);
  afterAll(async () => {
    if (text) await kubectl(['delete', '--ignore-not-found', '--wait=false', '-f', '-'], text);
  });

  it('applies with --dry-run=server, then for real, and both Deployments become Ready', async () => {
    // A server dry run cannot create the namespace the other objects go into, so the namespace comes first.
    const namespace = parse(text).filter((o) => o.kind === 'Namespace');
    expect((await kubectl(['apply', '-f', '-'], JSON.stringify(namespace[0]))).stderr).toBe('');
    const dry = await kubectl(['apply', '--dry-run=server', '-f', '-'], text);
    expect(dry.stderr).toBe('');
    expect(dry.stdout).toContain('deployment.apps/ebb-gateway created (server dry run)');
    const real = await kubectl(['apply', '-f', '-'], text);
    expect(real.stderr).toBe('');
    const kc = testKubeConfig();
    for (const name of ['ebb-scaler', 'ebb-gateway']) await waitForDeploymentReady(kc, 'ebb-system', name, { timeoutMs: 60_000 });
  });

  it.each([
    ['scaler', 'patch deployments --subresource=scale -n default', 'yes'],
    ['scaler', 'create deployments -n default', 'yes'],
    ['scaler', 'create events -n default', 'yes'],
    ['scaler', 'watch pods -n default', 'yes'],
    ['scaler', 'update leases.coordination.k8s.io/ebb-scaler -n ebb-system', 'yes'],
    ['scaler', 'create leases.coordination.k8s.io -n ebb-system', 'yes'],
    ['scaler', 'create leases.coordination.k8s.io -n default', 'no'],
    ['scaler', 'get secrets -n ebb-system', 'no'],
    ['scaler', 'get configmaps -n ebb-system', 'no'],
    ['scaler', 'delete pods -n default', 'no'],
    ['scaler', 'patch services -n default', 'no'],
    ['scaler', 'update services -n default', 'yes'],
    ['scaler', 'create endpointslices.discovery.k8s.io -n default', 'yes'],
    ['scaler', 'update endpointslices.discovery.k8s.io -n default', 'yes'],
    ['scaler', 'delete endpointslices.discovery.k8s.io -n default', 'no'],
    ['gateway', 'watch services -n default', 'yes'],
    ['gateway', 'update services -n default', 'no'],
    ['gateway', 'list deployments -n default', 'yes'],
    ['gateway', 'list pods -n default', 'yes'],
    ['gateway', 'patch deployments -n default', 'no'],
    ['gateway', 'patch pods -n default', 'yes'],
    ['gateway', 'delete pods -n default', 'no'],
    ['gateway', 'update leases.coordination.k8s.io -n ebb-system', 'yes'],
    ['gateway', 'create leases.coordination.k8s.io -n default', 'no'],
    ['gateway', 'get secrets -n default', 'no'],
  ])('can-i as ebb-%s: %s -> %s', async (who, line, answer) => {
    const r = await kubectl(['auth', 'can-i', ...line.split(' '), `--as=system:serviceaccount:ebb-system:ebb-${who}`]);
    expect(r.stdout.trim()).toBe(answer);
  });
});
