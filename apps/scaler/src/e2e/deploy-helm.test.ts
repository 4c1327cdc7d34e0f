/**
 * The Helm chart (deploy/helm/ebb): `helm lint`, renders for the supported value sets (each config file read by
 * the scaler's own parser), refused combinations, then on the real cluster: `kubectl apply --dry-run=server`,
 * a real apply with both Deployments Ready, and `kubectl auth can-i` as the chart's ServiceAccounts.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureClusterBinaries, testKubeconfigPath, useTestNamespace, waitForDeploymentReady } from '@ebb/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { parseConfig } from '../runtime/config-file.ts';

const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
const CHART = join(REPO, 'deploy/helm/ebb');
const KUBE_VERSION = '1.35.0';
const ns = useTestNamespace('deploy-helm');
const release = `h${Date.now().toString(36).slice(-5)}`;

type Obj = { kind: string; metadata: { name: string; namespace?: string }; [k: string]: unknown };
type Rule = { apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] };

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

let helm = '';
let kubectlBin = '';
const kubectl = (args: string[], input?: string) => run(kubectlBin, ['--kubeconfig', testKubeconfigPath(), ...args], input);
const applied: string[] = [];

beforeAll(async () => {
  // The first run builds helm from its Go module (several minutes); later runs hit the cache.
  const built = await run('bash', [join(REPO, 'tools/helm/build.sh')]);
  if (built.code !== 0) throw new Error(`tools/helm/build.sh failed:\n${built.stderr}`);
  helm = join(built.stdout.trim(), 'helm');
  kubectlBin = join(await ensureClusterBinaries(), 'kubectl');
}, 900_000);

afterAll(async () => {
  // Cluster-scoped objects outlive the namespace.
  for (const manifest of applied) await kubectl(['delete', '--ignore-not-found', '--wait=false', '-f', '-'], manifest);
});

/** `helm template` with these values; the rendered text and its objects. */
async function render(values: Record<string, unknown>, o: { name?: string; namespace?: string } = {}): Promise<{ text: string; objects: Obj[] }> {
  const file = join(mkdtempSync(join(tmpdir(), 'ebb-helm-')), 'values.yaml');
  writeFileSync(file, stringify(values));
  const r = await run(helm, ['template', o.name ?? release, CHART, '-n', o.namespace ?? 'ebb-system', '--kube-version', KUBE_VERSION, '-f', file]);
  if (r.code !== 0) throw new Error(r.stderr.trim());
  const objects = parseAllDocuments(r.stdout)
    .map((d) => d.toJS() as Obj | null)
    .filter((o): o is Obj => !!o);
  return { text: r.stdout, objects };
}

const find = (objects: Obj[], kind: string, name?: string) => objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
const only = (objects: Obj[], kind: string, name?: string): Obj => {
  const found = find(objects, kind, name);
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name ?? ''}, found ${found.length}`);
  return found[0]!;
};
const scalerConfig = (objects: Obj[]) => {
  const cm = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name.endsWith('-scaler-config')) as { data: Record<string, string> } | undefined;
  return parseConfig(cm?.data['config.yaml'] ?? '', 'chart config.yaml');
};
const deploymentVerbs = (rules: Rule[]) => rules.filter((r) => r.apiGroups.includes('apps') && r.resources.includes('deployments')).flatMap((r) => r.verbs);

describe('helm chart, offline', () => {
  it.each([
    ['defaults', []],
    ['gateway, ServiceMonitor, shards', ['--set', 'gateway.enabled=true', '--set', 'serviceMonitor.enabled=true', '--set', 'scaler.shards=4']],
  ])('passes helm lint --strict (%s)', async (_what, args) => {
    const r = await run(helm, ['lint', '--strict', CHART, ...args]);
    expect(r.stderr + r.stdout).toContain('1 chart(s) linted, 0 chart(s) failed');
    expect(r.code).toBe(0);
  });

  it('renders the scaler alone by default, with a config file the scaler accepts', async () => {
    const { objects } = await render({});
    const kinds = [...new Set(objects.map((o) => o.kind))].sort();
    expect(kinds).toEqual(['ClusterRole', 'ClusterRoleBinding', 'ConfigMap', 'Deployment', 'PodDisruptionBudget', 'Role', 'RoleBinding', 'Service', 'ServiceAccount', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding']);
    expect(find(objects, 'Deployment').map((d) => d.metadata.name)).toEqual([`${release}-ebb-scaler`]);
    // One Service for clients, one headless Service naming every replica (the gateway pokes each of them).
    const services = find(objects, 'Service') as unknown as Array<{ metadata: { name: string }; spec: { clusterIP?: string } }>;
    expect(services.map((s) => [s.metadata.name, s.spec.clusterIP])).toEqual([[`${release}-ebb-scaler`, undefined], [`${release}-ebb-scaler-replicas`, 'None']]);
    const config = scalerConfig(objects);
    expect(config.leaderElection).toMatchObject({ enabled: true, namespace: 'ebb-system', name: `${release}-ebb-scaler`, leaseDurationMs: 15_000 });
    expect(config.plugins).toEqual(['cron', 'eventgw', 'hpa', 'kpa', 'prewarm']);
    expect(config.namespaces).toEqual([]);
    expect(config.http.port).toBe(8080);
    const role = only(objects, 'Role') as unknown as { rules: Rule[] };
    expect(role.rules).toContainEqual({ apiGroups: ['coordination.k8s.io'], resources: ['leases'], resourceNames: [`${release}-ebb-scaler`], verbs: ['get', 'update'] });
  });

  it('hardens every container: non-root, read-only root filesystem, no privilege escalation, no capabilities', async () => {
    const { objects } = await render({ gateway: { enabled: true } });
    const deployments = find(objects, 'Deployment') as unknown as Array<{ spec: { template: { spec: { securityContext: Record<string, unknown>; containers: Array<{ securityContext: Record<string, unknown>; args: string[] }> } } } }>;
    expect(deployments).toHaveLength(2);
    for (const d of deployments) {
      const pod = d.spec.template.spec;
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } });
      for (const c of pod.containers) expect(c.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    }
  });

  it('adds the gateway, points it at the scaler, and lets the eventgw collector find its pods', async () => {
    const { objects } = await render({ gateway: { enabled: true }, serviceMonitor: { enabled: true, labels: { release: 'prom' } } });
    const gw = only(objects, 'Deployment', `${release}-ebb-gateway`) as unknown as { spec: { template: { spec: { containers: Array<{ args: string[] }> } } } };
    expect(gw.spec.template.spec.containers[0]!.args).toContain(`--scaler=http://${release}-ebb-scaler-replicas.ebb-system.svc:8080`);
    expect(scalerConfig(objects).pluginOptions).toEqual({
      eventgw: { gatewayPods: { namespace: 'ebb-system', labelSelector: `app.kubernetes.io/name=ebb-gateway,app.kubernetes.io/instance=${release}`, adminPort: 9090 } },
    });
    const gwRole = only(objects, 'ClusterRole', `${release}-ebb-gateway`) as unknown as { rules: Rule[] };
    expect(gwRole.rules).toEqual([
      { apiGroups: ['apps'], resources: ['deployments'], verbs: ['list', 'watch'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['list', 'watch'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['get', 'patch'] },
      { apiGroups: [''], resources: ['services'], verbs: ['list', 'watch'] },
    ]);
    // Activator mode: the gateway's pods are the Services' endpoints in Proxy mode, at its data port.
    expect(scalerConfig(objects).activator).toEqual({ gatewayPods: { namespace: 'ebb-system', labelSelector: `app.kubernetes.io/name=ebb-gateway,app.kubernetes.io/instance=${release}`, port: 8080 } });
    const leases = only(objects, 'Role', `${release}-ebb-gateway-leases`) as unknown as { rules: Rule[] };
    expect(leases.rules).toEqual([{ apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'list', 'watch', 'create', 'update', 'delete'] }]);
    expect(gw.spec.template.spec.containers[0]!.args).toEqual(expect.arrayContaining(['--lease-namespace=ebb-system', `--lease-group=${release}-ebb-gateway`]));
    expect(find(objects, 'ServiceMonitor').map((s) => (s as unknown as { spec: { endpoints: Array<{ port: string }> } }).spec.endpoints[0]!.port)).toEqual(['http', 'admin']);
  });

  it('binds per namespace, and nothing cluster-wide, when watchNamespaces is set', async () => {
    const { objects } = await render({ watchNamespaces: ['shop', 'blog'], gateway: { enabled: true } });
    expect(find(objects, 'ClusterRoleBinding')).toEqual([]);
    const bindings = find(objects, 'RoleBinding').map((b) => `${b.metadata.namespace}/${b.metadata.name}`).sort();
    expect(bindings).toEqual([`blog/${release}-ebb-gateway`, `blog/${release}-ebb-scaler`, `ebb-system/${release}-ebb-gateway-leases`, `ebb-system/${release}-ebb-scaler-local`, `shop/${release}-ebb-gateway`, `shop/${release}-ebb-scaler`]);
    expect(scalerConfig(objects).namespaces).toEqual(['shop', 'blog']);
    const gw = only(objects, 'Deployment', `${release}-ebb-gateway`) as unknown as { spec: { template: { spec: { containers: Array<{ args: string[] }> } } } };
    expect(gw.spec.template.spec.containers[0]!.args.filter((a) => a.startsWith('--namespace='))).toEqual(['--namespace=shop', '--namespace=blog']);
  });

  it.each([
    ['defaults', {}],
    ['gateway', { gateway: { enabled: true }, serviceMonitor: { enabled: true } }],
    ['watching its own namespace', { watchNamespaces: ['ebb-system', 'shop'], gateway: { enabled: true } }],
    ['no leader election', { scaler: { replicas: 1, leaderElection: { enabled: false } } }],
  ])('never renders two objects with one name (%s)', async (_what, values) => {
    const keys = (await render(values)).objects.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`);
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
  });

  it('gives each shard its Lease name in the Role, and passes shards to the scaler', async () => {
    const { objects } = await render({ scaler: { replicas: 3, shards: 4, maxShardsPerReplica: 2, leaderElection: { name: 'ebb' } } });
    const role = only(objects, 'Role') as unknown as { rules: Rule[] };
    expect(role.rules.find((r) => r.resourceNames)?.resourceNames).toEqual(['ebb-0', 'ebb-1', 'ebb-2', 'ebb-3']);
    expect(scalerConfig(objects)).toMatchObject({ shards: 4, maxShardsPerReplica: 2, leaderElection: { name: 'ebb' } });
  });

  it('leaves out the reserve and metrics permissions when they are turned off', async () => {
    const on = only((await render({})).objects, 'ClusterRole') as unknown as { rules: Rule[] };
    const off = only((await render({ rbac: { reserve: false, metrics: false } })).objects, 'ClusterRole') as unknown as { rules: Rule[] };
    expect(deploymentVerbs(on.rules).sort()).toEqual(['create', 'delete', 'get', 'list', 'patch', 'update', 'watch']);
    expect(deploymentVerbs(off.rules).sort()).toEqual(['list', 'patch', 'watch']);
    expect(off.rules.some((r) => r.apiGroups.includes('metrics.k8s.io') || r.resources.includes('deployments/finalizers'))).toBe(false);
  });

  it.each([
    [{ scaler: { replicas: 2, leaderElection: { enabled: false } } }, 'scaler.replicas > 1 needs scaler.leaderElection.enabled=true'],
    [{ scaler: { replicas: 1, shards: 3, leaderElection: { enabled: false } } }, 'scaler.shards > 1 needs scaler.leaderElection.enabled=true'],
    [{ scaler: { replicas: 2, shards: 5, maxShardsPerReplica: 2 } }, 'scaler.maxShardsPerReplica (2) x scaler.replicas (2) < scaler.shards (5)'],
    [{ scaler: { shards: 0 } }, 'scaler.shards must be an integer 1..1024, got 0'],
  ])('refuses %j', async (values, message) => {
    await expect(render(values)).rejects.toThrow(message);
  });
});

describe('helm chart on the cluster', () => {
  const sa = (who: 'scaler' | 'gateway') => `system:serviceaccount:${ns.name}:${release}-ebb-${who}`;
  let manifest = '';

  beforeAll(async () => {
    manifest = (await render({ gateway: { enabled: true }, scaler: { shards: 2 } }, { namespace: ns.name })).text;
    applied.push(manifest);
  });

  it('applies with --dry-run=server, then for real, and both Deployments become Ready', async () => {
    const dry = await kubectl(['apply', '--dry-run=server', '-f', '-'], manifest);
    expect(dry.stderr).toBe('');
    expect(dry.stdout).toContain(`deployment.apps/${release}-ebb-scaler created (server dry run)`);
    expect(dry.stdout).toContain(`validatingadmissionpolicy.admissionregistration.k8s.io/${release}-ebb-scaler-writes created (server dry run)`);
    const real = await kubectl(['apply', '-f', '-'], manifest);
    expect(real.stderr).toBe('');
    for (const who of ['scaler', 'gateway']) await waitForDeploymentReady(ns.kubeConfig, ns.name, `${release}-ebb-${who}`, { timeoutMs: 60_000 });
  });

  const canI = async (who: 'scaler' | 'gateway', args: string[]) => (await kubectl(['auth', 'can-i', ...args, `--as=${sa(who)}`])).stdout.trim();

  // What the scaler needs, everywhere it scales (the namespace stands for any: the binding is cluster-wide).
  it.each([
    'patch deployments --subresource=scale',
    'get deployments --subresource=scale',
    'list deployments',
    'watch deployments',
    'patch deployments',
    'get deployments',
    'create deployments',
    'update deployments',
    'delete deployments',
    'update deployments --subresource=finalizers',
    'create events',
    'list pods',
    'watch pods',
    'create leases.coordination.k8s.io',
    // Activator mode: the Service of an opted-in Deployment and its two EndpointSlices.
    'get services',
    'list services',
    'watch services',
    'create services',
    'update services',
    'get endpointslices.discovery.k8s.io',
    'list endpointslices.discovery.k8s.io',
    'watch endpointslices.discovery.k8s.io',
    'create endpointslices.discovery.k8s.io',
    'update endpointslices.discovery.k8s.io',
  ])('the scaler can %s', async (line) => {
    expect(await canI('scaler', [...line.split(' '), '-n', ns.name])).toBe('yes');
  });

  it('the scaler can list pods.metrics.k8s.io (asked with a SubjectAccessReview: kubectl needs the API served)', async () => {
    const review = (verb: string) => ({
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SubjectAccessReview',
      spec: { user: sa('scaler'), groups: ['system:serviceaccounts', 'system:authenticated'], resourceAttributes: { group: 'metrics.k8s.io', resource: 'pods', verb, namespace: ns.name } },
    });
    const allowed = async (verb: string) => JSON.parse((await kubectl(['create', '-o', 'json', '-f', '-'], JSON.stringify(review(verb)))).stdout).status.allowed === true;
    expect(await allowed('list')).toBe(true);
    expect(await allowed('watch')).toBe(false);
  });

  it.each([
    'get secrets',
    'list secrets',
    'watch secrets',
    'get configmaps',
    'get pods',
    'create pods',
    'delete pods',
    'create pods --subresource=exec',
    'get pods --subresource=log',
    'delete services',
    'patch services',
    'delete endpointslices.discovery.k8s.io',
    'patch endpointslices.discovery.k8s.io',
    'patch statefulsets',
    'patch replicasets',
    'patch deployments --subresource=status',
    'patch events',
    'delete events',
    'create rolebindings',
    'create namespaces',
    'list nodes',
    'list leases.coordination.k8s.io',
    'update leases.coordination.k8s.io/kube-scheduler',
    'delete leases.coordination.k8s.io/OWN',
  ])('the scaler cannot %s', async (line) => {
    expect(await canI('scaler', [...line.replace('OWN', `${release}-ebb-scaler-0`).split(' '), '-n', ns.name])).toBe('no');
  });

  it('holds exactly its own shard Leases', async () => {
    for (const lease of [`${release}-ebb-scaler-0`, `${release}-ebb-scaler-1`]) {
      expect(await canI('scaler', ['get', `leases.coordination.k8s.io/${lease}`, '-n', ns.name])).toBe('yes');
      expect(await canI('scaler', ['update', `leases.coordination.k8s.io/${lease}`, '-n', ns.name])).toBe('yes');
    }
    expect(await canI('scaler', ['update', `leases.coordination.k8s.io/${release}-ebb-scaler-2`, '-n', ns.name])).toBe('no');
    expect(await canI('scaler', ['create', 'leases.coordination.k8s.io', '-n', 'default'])).toBe('no');
  });

  it.each([
    ['list deployments', 'yes'],
    ['watch deployments', 'yes'],
    ['list pods', 'yes'],
    ['watch pods', 'yes'],
    ['get deployments', 'no'],
    ['patch deployments', 'no'],
    ['patch deployments --subresource=scale', 'no'],
    ['get secrets', 'no'],
    ['create events', 'no'],
    ['get pods', 'yes'],
    ['patch pods', 'yes'],
    ['delete pods', 'no'],
    ['create leases.coordination.k8s.io', 'yes'],
    ['update leases.coordination.k8s.io', 'yes'],
    ['list endpointslices.discovery.k8s.io', 'no'],
    // The activator-mode Services route to their Deployments.
    ['list services', 'yes'],
    ['watch services', 'yes'],
    ['update services', 'no'],
  ])('the gateway: %s -> %s', async (line, answer) => {
    expect(await canI('gateway', [...line.split(' '), '-n', ns.name])).toBe(answer);
  });

  it.each([
    ['creates a Deployment that is not a reserve', ['create', 'deployment', 'evil', '--image=registry.invalid/x']],
    ['deletes a Deployment that is not a reserve', ['delete', 'deployment', `${release}-ebb-gateway`]],
    ['changes the pod template of a target', ['set', 'image', `deployment/${release}-ebb-gateway`, 'gateway=registry.invalid/x']],
  ])('the admission policy stops the scaler when it %s', async (_what, args) => {
    const r = await kubectl([...args, '-n', ns.name, `--as=${sa('scaler')}`]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`ValidatingAdmissionPolicy '${release}-ebb-scaler-writes'`);
  });

  it('lets the scaler annotate a target and write a reserve', async () => {
    const annotated = await kubectl(['annotate', 'deployment', `${release}-ebb-gateway`, 'ebb.dev/status={}', '-n', ns.name, `--as=${sa('scaler')}`]);
    expect(annotated.stderr).toBe('');
    const reserve = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web-reserve', namespace: ns.name, labels: { 'ebb.dev/reserve-role': 'reserve', app: 'web' } },
      spec: { replicas: 0, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'registry.invalid/web' }] } } },
    };
    const created = await kubectl(['create', '-f', '-', `--as=${sa('scaler')}`], JSON.stringify(reserve));
    expect(created.stderr).toBe('');
    const removed = await kubectl(['delete', 'deployment', 'web-reserve', '-n', ns.name, `--as=${sa('scaler')}`]);
    expect(removed.stderr).toBe('');
  });
});
