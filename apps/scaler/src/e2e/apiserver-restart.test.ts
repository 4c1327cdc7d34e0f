import { CoreV1Api } from '@kubernetes/client-node';
import { startCluster, waitFor, type Cluster } from '@ebb/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { annotate, createTarget, memoryLogger, startTestScaler, waitForReplicas } from '../test-support/cluster-helpers.ts';
import type { RunningScaler } from '../runtime/scaler.ts';

// A private cluster: restarting the shared one would break the test files running beside this one.
let cluster: Cluster;
let scaler: RunningScaler | undefined;
beforeAll(async () => {
  cluster = await startCluster({ name: `scaler-restart-${process.pid}`, nodes: 1 });
});
afterAll(async () => {
  await scaler?.stop();
  await cluster?.stop();
});

describe('kube-apiserver restarted while ebb run runs', () => {
  it('the loop survives and resumes: a change made after the restart is applied', async () => {
    const kc = cluster.kubeConfig();
    const namespace = 'restart';
    await kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: namespace } } });
    await waitFor(() => kc.makeApiClient(CoreV1Api).readNamespacedServiceAccount({ name: 'default', namespace }));
    const logger = memoryLogger();
    scaler = await startTestScaler(kc, namespace, { logger });
    await createTarget(kc, namespace, 'web', { 'ebb.dev/policies': 'fixed', 'ebb.dev/fixed.replicas': '2' });
    await waitForReplicas(kc, namespace, 'web', 2);

    await cluster.restartApiserver();

    await annotate(kc, namespace, 'web', { 'ebb.dev/fixed.replicas': '4' });
    await waitForReplicas(kc, namespace, 'web', 4, 30_000);
    expect(scaler.ready()).toBe(true);
    expect(logger.records.some((r) => r.msg === 'deployment watch interrupted; reconnecting')).toBe(true);
  });
});
