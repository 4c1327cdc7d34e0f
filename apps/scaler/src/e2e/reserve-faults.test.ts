import { AppsV1Api, type V1Deployment } from '@kubernetes/client-node';
import { createTestDeployment, useTestNamespace, waitFor } from '@ebb/testing';
import { SELECTION_LABEL } from '@ebb/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventsOf, specReplicas, startTestScaler } from '../test-support/cluster-helpers.ts';
import type { RunningScaler } from '../runtime/scaler.ts';

const ns = useTestNamespace('reserve-faults');
let scaler: RunningScaler;
beforeAll(async () => {
  scaler = await startTestScaler(ns.kubeConfig, ns.name);
});
afterAll(async () => {
  await scaler?.stop();
});

/** A target at one pod whose policy wants zero (after the 6 s grace period), with a reserve. */
async function createIdleTarget(name: string, annotations: Record<string, string> = {}): Promise<void> {
  await createTestDeployment(ns.kubeConfig, {
    namespace: ns.name,
    name,
    replicas: 1,
    labels: { [SELECTION_LABEL]: 'true' },
    annotations: {
      'ebb.dev/policies': 'fixed',
      'ebb.dev/fixed.replicas': '0',
      'ebb.dev/reserve': 'true',
      'ebb.dev/scale-to-zero-grace-period': '6s',
      ...annotations,
    },
  });
}

async function read(name: string): Promise<V1Deployment | undefined> {
  return await ns.kubeConfig
    .makeApiClient(AppsV1Api)
    .readNamespacedDeployment({ name, namespace: ns.name })
    .catch((e: unknown) => {
      if ((e as { code?: number }).code === 404) return undefined;
      throw e;
    });
}

/** Asserts that the target keeps one replica for `ms` (well past its grace period). */
async function staysUp(name: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    expect(await specReplicas(ns.kubeConfig, ns.name, name)).toBe(1);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function metrics(): Promise<string> {
  return await (await fetch(`http://127.0.0.1:${scaler.port}/metrics`)).text();
}

describe('reserve faults against the real apiserver', () => {
  it.each([
    ['never become Ready', 'slow', { 'ebb.dev/reserve.pod-annotations': 'ebb.dev/test-readiness-delay: 1h' }, /; pod slow-reserve-[-a-z0-9]+: not Ready: ContainersNotReady/],
    ['cannot be scheduled', 'nocap', { 'ebb.dev/reserve.node-selector': 'example.com/pool: none' }, /; pod nocap-reserve-[-a-z0-9]+: not scheduled: Unschedulable: 0\/\d+ nodes are available/],
  ])('reserve pods that %s: the target stays up and a Warning Event says why', async (_what, name, reserve, why) => {
    await createIdleTarget(name, { 'ebb.dev/reserve.ready-timeout': '3s', ...reserve });
    const warning = await waitFor(async () => (await eventsOf(ns.kubeConfig, ns.name, name, 'ReserveNotReady'))[0], { description: `ReserveNotReady on ${name}` });
    expect(warning.type).toBe('Warning');
    expect(warning.message).toMatch(new RegExp(`^reserve ${name}-reserve: 0 of 1 reserve pods Ready \\d+s after they were asked for; ${name} stays up with 1 replica and does not go to zero`));
    expect(warning.message).toMatch(why);
    expect(await metrics()).toContain(`ebb_reserve_not_ready{namespace="${ns.name}",name="${name}"} 1`);
    expect(await metrics()).toContain(`ebb_reserve_phase{namespace="${ns.name}",name="${name}",phase="not-ready"} 1`);
    await staysUp(name, 4_000);
    // Reported once, not on every tick.
    expect(await eventsOf(ns.kubeConfig, ns.name, name, 'ReserveNotReady')).toHaveLength(1);
  });

  it('leaves the target up and says why when the reserve settings are invalid', async () => {
    await createIdleTarget('badshape', { 'ebb.dev/reserve.resources': 'requests: {cpu: lots}' });
    const warning = await waitFor(async () => (await eventsOf(ns.kubeConfig, ns.name, 'badshape', 'InvalidReserveConfig'))[0]);
    expect(warning.type).toBe('Warning');
    expect(warning.message).toBe(
      'invalid value for ebb.dev/reserve.resources: requests.cpu: "lots" is not a Kubernetes quantity; badshape does not go to zero until this is fixed',
    );
    await staysUp('badshape', 8_000);
    expect(await read('badshape-reserve')).toBeUndefined();
  });

  it("never touches a Deployment that merely has the reserve's name", async () => {
    await createTestDeployment(ns.kubeConfig, { namespace: ns.name, name: 'taken-reserve', replicas: 2 });
    await createIdleTarget('taken');
    const warning = await waitFor(async () => (await eventsOf(ns.kubeConfig, ns.name, 'taken', 'ReserveConflict'))[0], { timeoutMs: 20_000 });
    expect(warning.message).toContain("reserve taken-reserve: a Deployment with the reserve's name exists and is not this target's reserve");
    await staysUp('taken', 3_000);
    const foreign = await read('taken-reserve');
    expect(foreign?.spec?.replicas).toBe(2);
    expect(foreign?.metadata?.ownerReferences).toBeUndefined();
  });

  it.each(['Background', 'Foreground'])('deleting the target garbage-collects its reserve (%s propagation)', async (propagationPolicy) => {
    const name = `gc-${propagationPolicy.toLowerCase()}`;
    await createIdleTarget(name);
    await waitFor(async () => (await read(name))?.spec?.replicas === 0 && (await read(`${name}-reserve`))?.status?.readyReplicas === 1, {
      description: `${name} idle on its reserve`,
    });
    await ns.kubeConfig.makeApiClient(AppsV1Api).deleteNamespacedDeployment({ name, namespace: ns.name, body: { propagationPolicy } });
    await waitFor(async () => (await read(`${name}-reserve`)) === undefined && (await read(name)) === undefined, {
      description: `${name} and ${name}-reserve gone`,
    });
  });
});
