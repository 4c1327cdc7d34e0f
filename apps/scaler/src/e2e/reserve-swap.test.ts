import { AppsV1Api, PatchStrategy, setHeaderOptions, type V1Deployment } from '@kubernetes/client-node';
import { createTestDeployment, useTestNamespace, waitFor } from '@ebb/testing';
import { SELECTION_LABEL } from '@ebb/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { annotate, eventsOf, startTestScaler } from '../test-support/cluster-helpers.ts';
import { SwapFleet } from '../test-support/reserve-helpers.ts';
import type { RunningScaler } from '../runtime/scaler.ts';

const ns = useTestNamespace('reserve-swap');
let scaler: RunningScaler;
beforeAll(async () => {
  scaler = await startTestScaler(ns.kubeConfig, ns.name);
});
afterAll(async () => {
  await scaler?.stop();
});

/** A target with the `fixed` policy, a reserve, the shortest grace period and pods that take `readiness` to be Ready. */
async function createReserveTarget(name: string, replicas: number, readiness: string, annotations: Record<string, string> = {}): Promise<void> {
  await createTestDeployment(ns.kubeConfig, {
    namespace: ns.name,
    name,
    replicas,
    readinessDelay: readiness,
    labels: { [SELECTION_LABEL]: 'true' },
    annotations: {
      'ebb.dev/policies': 'fixed',
      'ebb.dev/fixed.replicas': String(replicas),
      'ebb.dev/reserve': 'true',
      'ebb.dev/scale-to-zero-grace-period': '6s',
      ...annotations,
    },
  });
}

async function readDeployment(name: string): Promise<V1Deployment> {
  return await ns.kubeConfig.makeApiClient(AppsV1Api).readNamespacedDeployment({ name, namespace: ns.name });
}

async function metrics(): Promise<string> {
  return await (await fetch(`http://127.0.0.1:${scaler.port}/metrics`)).text();
}

describe('reserve swap against the real apiserver, pods answering on their IPs', () => {
  it('idle -> reserve -> traffic -> standard: a Ready pod at every moment, no failed request, never both at zero', async () => {
    const kc = ns.kubeConfig;
    await createReserveTarget('web', 1, '2s', {
      'ebb.dev/reserve.resources': 'requests: {cpu: 100m, memory: 128Mi}',
      'ebb.dev/reserve.pod-annotations': 'example.com/instance-type: burstable',
    });
    const fleet = new SwapFleet(kc, ns.name, 'web', { app: 'web' });
    await fleet.start();
    await fleet.until((f) => f.servingPods().length === 1, 'web Ready');
    fleet.arm();
    const trickle = fleet.trickle();
    try {
      // Idle: the reserve is created, becomes Ready, and only then does the target go to zero.
      await annotate(kc, ns.name, 'web', { 'ebb.dev/fixed.replicas': '0' });
      await fleet.until((f) => f.counts('web-reserve') !== undefined, 'the reserve exists');
      expect(fleet.counts('web')?.spec).toBe(1);
      await fleet.until((f) => f.counts('web')?.spec === 0, 'web at zero');
      expect(fleet.counts('web-reserve')?.spec).toBe(1);
      expect(fleet.serving(true)).toBe(1);
      await fleet.until((f) => f.serving(true) === 1 && f.serving(false) === 0, 'only the reserve pod left');
      const before = trickle.servedBy(true);
      await waitFor(() => trickle.servedBy(true) >= before + 20, { description: '20 requests served by the reserve' });

      // Traffic: the target comes back first; the reserve goes to zero once the target's pods are Ready.
      await annotate(kc, ns.name, 'web', { 'ebb.dev/fixed.replicas': '2' });
      await fleet.until((f) => f.counts('web')?.spec === 2, 'web scaled up');
      expect(fleet.counts('web-reserve')?.spec).toBe(1);
      await fleet.until((f) => f.counts('web-reserve')?.spec === 0, 'the reserve at zero');
      expect(fleet.serving(false)).toBeGreaterThanOrEqual(1);
      await fleet.until((f) => f.serving(false) === 2 && f.serving(true) === 0, 'two standard pods, no reserve pod');
      const standard = trickle.servedBy(false);
      await waitFor(() => trickle.servedBy(false) >= standard + 20, { description: '20 requests served by standard pods' });
    } finally {
      await trickle.stop();
      fleet.disarm();
      await fleet.stop();
    }
    expect(trickle.failures()).toEqual([]);
    expect(fleet.violations).toEqual([]);
    expect(fleet.minReady).toBe(1);
    expect(trickle.results.length).toBeGreaterThan(100);

    // The reserve: owned by the target, the target's pods' labels plus the role, with the reserve's shape.
    const reserve = await readDeployment('web-reserve');
    expect(reserve.metadata?.ownerReferences).toMatchObject([{ kind: 'Deployment', name: 'web', controller: true, blockOwnerDeletion: true }]);
    expect(reserve.metadata?.labels?.[SELECTION_LABEL]).toBeUndefined();
    expect(reserve.spec?.selector.matchLabels).toEqual({ app: 'web', 'ebb.dev/reserve-role': 'reserve' });
    expect(reserve.spec?.template.spec?.containers[0]?.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' } });
    expect(reserve.spec?.template.metadata?.annotations?.['example.com/instance-type']).toBe('burstable');

    const reasons = await waitFor(async () => {
      const all = (await eventsOf(kc, ns.name, 'web')).map((e) => `${e.reason}: ${e.message}`);
      return all.some((r) => r.startsWith('ReserveScaled')) ? all : undefined;
    });
    expect(reasons).toEqual(
      expect.arrayContaining([
        'ReserveCreated: created reserve web-reserve (1 pod); web goes to zero once it is Ready',
        expect.stringMatching(/^SuccessfulRescale: New size: 0; reason: /),
        expect.stringMatching(/^SuccessfulRescale: New size: 2; reason: fixed: fixed at 2/),
        expect.stringMatching(/^ReserveScaled: scaled reserve web-reserve to 0: web serves with [12] pods? Ready$/),
      ]),
    );
    const text = await metrics();
    expect(text).toContain(`ebb_reserve_phase{namespace="${ns.name}",name="web",phase="standard"} 1`);
    expect(text).toMatch(new RegExp(`ebb_reserve_actions_total\\{namespace="${ns.name}",name="web",action="create",result="ok"\\} 1`));
  });

  it('follows a changed shape and template while idle without losing its Ready pod, and is removed when turned off', async () => {
    const kc = ns.kubeConfig;
    const apps = kc.makeApiClient(AppsV1Api);
    await createReserveTarget('api', 1, '1s');
    const fleet = new SwapFleet(kc, ns.name, 'api', { app: 'api' });
    await fleet.start();
    try {
      await fleet.until((f) => f.servingPods().length === 1, 'api Ready');
      fleet.arm();
      await annotate(kc, ns.name, 'api', { 'ebb.dev/fixed.replicas': '0' });
      await fleet.until((f) => f.counts('api')?.spec === 0 && f.serving(true) === 1, 'api idle on its reserve');

      await annotate(kc, ns.name, 'api', { 'ebb.dev/reserve.resources': 'limits: {memory: 64Mi}' });
      await waitFor(async () => (await readDeployment('api-reserve')).spec?.template.spec?.containers[0]?.resources?.limits?.['memory'] === '64Mi', {
        description: 'the reserve with the new shape',
      });
      // A new image for the target reaches the reserve too (a patch of the pod template).
      await apps.patchNamespacedDeployment(
        { name: 'api', namespace: ns.name, body: { spec: { template: { spec: { containers: [{ name: 'app', image: 'registry.invalid/ebb/test-app:2' }] } } } } },
        setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
      );
      await waitFor(async () => (await readDeployment('api-reserve')).spec?.template.spec?.containers[0]?.image === 'registry.invalid/ebb/test-app:2', {
        description: 'the reserve with the new image',
      });
      await waitFor(async () => {
        const r = await readDeployment('api-reserve');
        return r.status?.updatedReplicas === 1 && r.status.readyReplicas === 1 && r.status.replicas === 1;
      }, { description: 'the reserve rolled out' });
      expect(fleet.counts('api')?.spec).toBe(0);

      // Turned off while demand returns: the target comes up first, then the reserve is deleted.
      await annotate(kc, ns.name, 'api', { 'ebb.dev/reserve': 'false', 'ebb.dev/fixed.replicas': '1' });
      await fleet.until((f) => f.counts('api-reserve') === undefined, 'the reserve deleted');
      expect(fleet.serving(false)).toBe(1);
    } finally {
      fleet.disarm();
      await fleet.stop();
    }
    expect(fleet.violations).toEqual([]);
    // Events are recorded right after the write they report: wait for them.
    const deleted = await waitFor(async () => (await eventsOf(kc, ns.name, 'api', 'ReserveDeleted'))[0]);
    expect(deleted.message).toBe('deleted reserve api-reserve: the reserve is turned off');
    expect((await eventsOf(kc, ns.name, 'api', 'ReserveUpdated')).length).toBeGreaterThanOrEqual(2);
  });
});
