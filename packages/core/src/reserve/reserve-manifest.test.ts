import type { V1Deployment, V1DeploymentSpec } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import type { ReserveShape } from './reserve-config.ts';
import { reserveDeployment, reserveHash, reserveName, reserveSelector, reserveTemplate } from './reserve-manifest.ts';
import { toReserveView } from './reserve-view.ts';

function target(): V1Deployment {
  return {
    metadata: {
      name: 'web',
      namespace: 'shop',
      uid: 'uid-web',
      labels: { 'ebb.dev/autoscale': 'true', team: 'payments' },
      annotations: { 'ebb.dev/reserve': 'true' },
    },
    spec: {
      replicas: 3,
      minReadySeconds: 5,
      selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['front'] }] },
      template: {
        metadata: { labels: { app: 'web', tier: 'front', version: 'v2' }, annotations: { 'prometheus.io/scrape': 'true' } },
        spec: {
          nodeSelector: { pool: 'standard' },
          tolerations: [{ key: 'dedicated', operator: 'Exists' }],
          containers: [
            { name: 'app', image: 'web:2', resources: { requests: { cpu: '2', memory: '4Gi' } } },
            { name: 'proxy', image: 'proxy:1' },
          ],
        },
      },
    },
  };
}

function spec(d: V1Deployment): V1DeploymentSpec {
  if (!d.spec) throw new Error('no spec');
  return d.spec;
}

const plain: ReserveShape = { podAnnotations: {}, podLabels: {} };
const burstable: ReserveShape = {
  resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { memory: '1Gi' } },
  nodeSelector: { 'node.kubernetes.io/instance-type': 't3.small' },
  tolerations: [{ key: 'burstable', operator: 'Exists', effect: 'NoSchedule' }],
  podAnnotations: { 'prometheus.io/scrape': 'false', 'provider.example/instance': 'burst' },
  podLabels: { 'alibabacloud.com/eci': 'true' },
};

describe('reserve manifest', () => {
  it('names the reserve after the target', () => expect(reserveName('web')).toBe('web-reserve'));

  it("selects the target's pods' labels plus the role label, so it never selects the target's pods", () => {
    expect(reserveSelector(target())).toEqual({
      matchLabels: { app: 'web', 'ebb.dev/reserve-role': 'reserve' },
      matchExpressions: [{ key: 'tier', operator: 'In', values: ['front'] }],
    });
  });

  it("keeps every template label (what a Service selects) and matches its own selector", () => {
    const t = reserveTemplate(target(), burstable);
    expect(t.metadata?.labels).toEqual({ app: 'web', tier: 'front', version: 'v2', 'alibabacloud.com/eci': 'true', 'ebb.dev/reserve-role': 'reserve' });
    for (const [k, v] of Object.entries(reserveSelector(target()).matchLabels ?? {})) expect(t.metadata?.labels?.[k]).toBe(v);
  });

  it('applies the shape: resources of every container, node selector and tolerations replaced, annotations added', () => {
    const t = reserveTemplate(target(), burstable);
    for (const c of t.spec?.containers ?? []) expect(c.resources).toEqual({ requests: { cpu: '250m', memory: '512Mi' }, limits: { memory: '1Gi' } });
    expect(t.spec?.nodeSelector).toEqual({ 'node.kubernetes.io/instance-type': 't3.small' });
    expect(t.spec?.tolerations).toEqual([{ key: 'burstable', operator: 'Exists', effect: 'NoSchedule' }]);
    expect(t.metadata?.annotations).toEqual({ 'prometheus.io/scrape': 'false', 'provider.example/instance': 'burst' });
  });

  it("keeps the target's shape where the reserve sets none, and never changes the target object", () => {
    const source = target();
    const before = JSON.stringify(source);
    const t = reserveTemplate(source, plain);
    expect(t.spec?.containers[0]?.resources).toEqual({ requests: { cpu: '2', memory: '4Gi' } });
    expect(t.spec?.nodeSelector).toEqual({ pool: 'standard' });
    expect(t.spec?.tolerations).toEqual([{ key: 'dedicated', operator: 'Exists' }]);
    expect(JSON.stringify(source)).toBe(before);
  });

  it('an empty node selector or toleration list clears the target one', () => {
    const t = reserveTemplate(target(), { ...plain, nodeSelector: {}, tolerations: [] });
    expect(t.spec?.nodeSelector).toBeUndefined();
    expect(t.spec?.tolerations).toBeUndefined();
  });

  it('is owned by the target, is not itself a target, and records its hash and when it was asked for pods', () => {
    const d = reserveDeployment(target(), burstable, 2, Date.UTC(2026, 0, 1, 12));
    expect(d.metadata?.name).toBe('web-reserve');
    expect(d.metadata?.namespace).toBe('shop');
    expect(d.metadata?.labels).toEqual({ team: 'payments', 'ebb.dev/reserve-role': 'reserve' });
    expect(d.metadata?.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'uid-web', controller: true, blockOwnerDeletion: true }]);
    expect(d.metadata?.annotations).toEqual({ 'ebb.dev/reserve-hash': reserveHash(target(), burstable), 'ebb.dev/reserve-requested-at': '2026-01-01T12:00:00.000Z' });
    expect(d.spec?.replicas).toBe(2);
    expect(d.spec?.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    expect(d.spec?.minReadySeconds).toBe(5);
  });

  it('hashes the spec without replicas: stable across key order and replicas, changed by template or shape', () => {
    const h = reserveHash(target(), burstable);
    expect(h).toMatch(/^[0-9a-f]{16}$/);
    const reordered = target();
    reordered.spec = { ...spec(reordered), replicas: 9, template: { ...spec(reordered).template, metadata: { labels: { version: 'v2', tier: 'front', app: 'web' } } } };
    reordered.spec.template.metadata = { ...reordered.spec.template.metadata, annotations: { 'prometheus.io/scrape': 'true' } };
    expect(reserveHash(reordered, burstable)).toBe(h);
    const newImage = target();
    const app = spec(newImage).template.spec?.containers[0];
    if (app) app.image = 'web:3';
    expect(reserveHash(newImage, burstable)).not.toBe(h);
    expect(reserveHash(target(), { ...burstable, podAnnotations: {} })).not.toBe(h);
    expect(reserveHash(target(), plain)).not.toBe(h);
  });

  it('reads back as a view: ours by role and owner, hash and request time', () => {
    const d = reserveDeployment(target(), plain, 1, 1_000);
    d.metadata = { ...d.metadata, uid: 'uid-r', resourceVersion: '7', generation: 2 };
    d.status = { readyReplicas: 1, observedGeneration: 2 };
    expect(toReserveView(d)).toEqual({
      namespace: 'shop',
      name: 'web-reserve',
      uid: 'uid-r',
      resourceVersion: '7',
      specReplicas: 1,
      readyReplicas: 1,
      observed: true,
      deleting: false,
      hasRole: true,
      ownerUid: 'uid-web',
      ownerName: 'web',
      hash: reserveHash(target(), plain),
      requestedAtMs: 1_000,
    });
  });
});
