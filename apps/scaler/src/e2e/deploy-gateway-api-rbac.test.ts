/**
 * The chart's `gatewayApi.enabled`: nothing without it; with it, the scaler and the gateway may read what
 * HTTPRoutes are compiled from (GatewayClasses cluster-wide; Gateways, HTTPRoutes and Services where they
 * watch), and only the scaler may patch the status of routes, Gateways and GatewayClasses. Checked on the real cluster with SubjectAccessReviews.
 */
import { join } from 'node:path';
import { ensureClusterBinaries, testKubeconfigPath, useTestNamespace } from '@ebb/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { buildHelm, REPO, renderChart, runProgram, type RenderedObject } from '../test-support/helm-render.ts';

const ns = useTestNamespace('deploy-gwapi');
const release = `g${Date.now().toString(36).slice(-5)}`;
const RBAC_KINDS = new Set(['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding']);

let helm = '';
let kubectlBin = '';
let applied = '';
const kubectl = (args: string[], input?: string) => runProgram(kubectlBin, ['--kubeconfig', testKubeconfigPath(), ...args], input);
const render = (values: Record<string, unknown>) => renderChart(helm, release, ns.name, values);

beforeAll(async () => {
  helm = await buildHelm();
  kubectlBin = join(await ensureClusterBinaries(), 'kubectl');
}, 900_000);

afterAll(async () => {
  if (applied) await kubectl(['delete', '--ignore-not-found', '--wait=false', '-f', '-'], applied);
});

describe('the plain manifests with the Gateway API (deploy/kustomize/overlays/gateway-api)', () => {
  it('hold the RBAC objects the chart renders with gateway and gatewayApi enabled', async () => {
    const r = await kubectl(['kustomize', join(REPO, 'deploy/kustomize/overlays/gateway-api')]);
    expect(r.stderr).toBe('');
    const essence = (o: RenderedObject) => {
      const { metadata, ...rest } = o as RenderedObject & Record<string, unknown>;
      return JSON.stringify({ name: metadata.name, ...rest });
    };
    const plain = parseAllDocuments(r.stdout).map((d) => d.toJS() as RenderedObject).filter((o) => o.metadata.name.includes('gateway-api'));
    const chart = (await renderChart(helm, 'ebb', 'ebb-system', { gateway: { enabled: true }, gatewayApi: { enabled: true } })).filter((o) => o.metadata.name.includes('gateway-api'));
    expect(plain.map(essence).sort()).toEqual(chart.map(essence).sort());
    expect(plain).toHaveLength(8);
  });
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
      for (const [verb, resource] of [['create', 'httproutes'], ['update', 'gateways'], ['delete', 'httproutes'], ['patch', 'gatewayclasses']] as const) {
        expect([who, verb, resource, await allowed(who, verb, resource, where)]).toEqual([who, verb, resource, false]);
      }
    }
    for (const [resource, o] of [['httproutes', where], ['gateways', where], ['gatewayclasses', {}]] as const) {
      expect([resource, await allowed('scaler', 'patch', resource, { ...o, subresource: 'status' })]).toEqual([resource, true]);
      expect([resource, await allowed('scaler', 'update', resource, { ...o, subresource: 'status' })]).toEqual([resource, false]);
      expect([resource, await allowed('gateway', 'patch', resource, { ...o, subresource: 'status' })]).toEqual([resource, false]);
    }
  });
});
