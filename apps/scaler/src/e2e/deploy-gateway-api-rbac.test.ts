/**
 * The chart's `gatewayApi.enabled`: nothing without it; with it, the scaler and the gateway may read what
 * HTTPRoutes are compiled from (GatewayClasses cluster-wide; Gateways, HTTPRoutes and Services where they
 * watch), and only the scaler may patch route status. Checked on the real cluster with SubjectAccessReviews.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureClusterBinaries, testKubeconfigPath, useTestNamespace } from '@ebb/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';

const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
const CHART = join(REPO, 'deploy/helm/ebb');
const ns = useTestNamespace('deploy-gwapi');
const release = `g${Date.now().toString(36).slice(-5)}`;
const RBAC_KINDS = new Set(['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding']);

type Obj = { kind: string; metadata: { name: string; namespace?: string } };

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
let applied = '';
const kubectl = (args: string[], input?: string) => run(kubectlBin, ['--kubeconfig', testKubeconfigPath(), ...args], input);

async function render(values: Record<string, unknown>): Promise<Obj[]> {
  const file = join(mkdtempSync(join(tmpdir(), 'ebb-helm-')), 'values.yaml');
  writeFileSync(file, stringify(values));
  const r = await run(helm, ['template', release, CHART, '-n', ns.name, '--kube-version', '1.35.0', '-f', file]);
  if (r.code !== 0) throw new Error(r.stderr.trim());
  return parseAllDocuments(r.stdout)
    .map((d) => d.toJS() as Obj | null)
    .filter((o): o is Obj => !!o);
}

beforeAll(async () => {
  const built = await run('bash', [join(REPO, 'tools/helm/build.sh')]);
  if (built.code !== 0) throw new Error(`tools/helm/build.sh failed:\n${built.stderr}`);
  helm = join(built.stdout.trim(), 'helm');
  kubectlBin = join(await ensureClusterBinaries(), 'kubectl');
}, 900_000);

afterAll(async () => {
  if (applied) await kubectl(['delete', '--ignore-not-found', '--wait=false', '-f', '-'], applied);
});

describe('the chart with gatewayApi.enabled', () => {
  it('renders no Gateway API permission by default', async () => {
    const names = (await render({ gateway: { enabled: true } })).map((o) => o.metadata.name);
    expect(names.filter((n) => n.includes('gateway-api'))).toEqual([]);
  });

  it('grants reading routes to both, route status to the scaler only', async () => {
    const rbac = (await render({ gateway: { enabled: true }, gatewayApi: { enabled: true } })).filter((o) => RBAC_KINDS.has(o.kind));
    applied = rbac.map((o) => JSON.stringify(o)).join('\n');
    const r = await kubectl(['apply', '-f', '-'], applied);
    expect(r.stderr).toBe('');
    const allowed = async (who: string, verb: string, resource: string, o: { subresource?: string; namespace?: string } = {}) => {
      const review = {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SubjectAccessReview',
        spec: {
          user: `system:serviceaccount:${ns.name}:${release}-ebb-${who}`,
          groups: ['system:serviceaccounts', 'system:authenticated'],
          resourceAttributes: { group: resource === 'services' ? '' : 'gateway.networking.k8s.io', resource, verb, ...(o.subresource ? { subresource: o.subresource } : {}), ...(o.namespace ? { namespace: o.namespace } : {}) },
        },
      };
      return JSON.parse((await kubectl(['create', '-o', 'json', '-f', '-'], JSON.stringify(review))).stdout).status.allowed === true;
    };
    const where = { namespace: 'any-namespace' };
    for (const who of ['scaler', 'gateway']) {
      for (const verb of ['list', 'watch']) {
        expect([who, verb, 'gatewayclasses', await allowed(who, verb, 'gatewayclasses')]).toEqual([who, verb, 'gatewayclasses', true]);
        for (const resource of ['gateways', 'httproutes', 'services']) expect([who, verb, resource, await allowed(who, verb, resource, where)]).toEqual([who, verb, resource, true]);
      }
      for (const [verb, resource] of [['create', 'httproutes'], ['update', 'gateways'], ['get', 'services'], ['patch', 'gatewayclasses']] as const) {
        expect([who, verb, resource, await allowed(who, verb, resource, where)]).toEqual([who, verb, resource, false]);
      }
    }
    expect(await allowed('scaler', 'patch', 'httproutes', { ...where, subresource: 'status' })).toBe(true);
    expect(await allowed('scaler', 'update', 'httproutes', { ...where, subresource: 'status' })).toBe(false);
    expect(await allowed('gateway', 'patch', 'httproutes', { ...where, subresource: 'status' })).toBe(false);
  });
});
