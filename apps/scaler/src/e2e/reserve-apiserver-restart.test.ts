import { CoreV1Api } from '@kubernetes/client-node';
import { createTestDeployment, startCluster, waitFor, type Cluster } from '@ebb/testing';
import { SELECTION_LABEL } from '@ebb/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { annotate, memoryLogger, startTestScaler } from '../test-support/cluster-helpers.ts';
import { SwapFleet } from '../test-support/reserve-helpers.ts';
import type { RunningScaler } from '../runtime/scaler.ts';

// A private cluster: restarting the shared one would break the test files running beside this one.
let cluster: Cluster;
let scaler: RunningScaler | undefined;
beforeAll(async () => {
  cluster = await startCluster({ name: `reserve-restart-${process.pid}`, nodes: 1 });
});
afterAll(async () => {
  await scaler?.stop();
  await cluster?.stop();
});

describe('kube-apiserver restarted in the middle of a reserve swap', () => {
  it('the swap resumes from what the cluster shows, in both directions, never without a Ready pod', async () => {
    const kc = cluster.kubeConfig();
    const namespace = 'restart';
    await kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: namespace } } });
    await waitFor(() => kc.makeApiClient(CoreV1Api).readNamespacedServiceAccount({ name: 'default', namespace }));
    const logger = memoryLogger();
    scaler = await startTestScaler(kc, namespace, { logger });
    await createTestDeployment(kc, {
      namespace,
      name: 'web',
      replicas: 1,
      // Long enough for the restart to land while the reserve warms up.
      readinessDelay: '5s',
      labels: { [SELECTION_LABEL]: 'true' },
      annotations: { 'ebb.dev/policies': 'fixed', 'ebb.dev/fixed.replicas': '1', 'ebb.dev/reserve': 'true', 'ebb.dev/scale-to-zero-grace-period': '6s' },
    });
    const fleet = new SwapFleet(kc, namespace, 'web', { app: 'web' });
    await fleet.start();
    try {
      await fleet.until((f) => f.servingPods().length === 1, 'web Ready');
      fleet.arm();
      await annotate(kc, namespace, 'web', { 'ebb.dev/fixed.replicas': '0' });
      await fleet.until((f) => f.counts('web-reserve') !== undefined, 'the reserve created', 60_000);
      await cluster.restartApiserver();
      // After a restart every watcher (controllers, KWOK, the scaler, this test) reconnects and relists; on a
      // loaded machine running other clusters beside this one that alone can take tens of seconds.
      await fleet.until((f) => f.counts('web')?.spec === 0 && f.serving(true) === 1, 'idle on the reserve', 150_000);

      await annotate(kc, namespace, 'web', { 'ebb.dev/fixed.replicas': '1' });
      await fleet.until((f) => f.counts('web')?.spec === 1, 'the target scaled up');
      await cluster.restartApiserver();
      await fleet.until((f) => f.counts('web-reserve')?.spec === 0 && f.serving(false) === 1, 'standard again', 150_000);
    } catch (e) {
      // What the test saw and what the scaler said, so that a failure on a loaded CI machine can be read.
      console.error(`watched state:\n${fleet.describe()}\nscaler log (last 80):\n${logger.records.slice(-80).map((r) => JSON.stringify(r)).join('\n')}`);
      throw e;
    } finally {
      fleet.disarm();
      await fleet.stop();
    }
    expect(fleet.violations).toEqual([]);
    expect(logger.records.some((r) => r.msg === 'reserve watch interrupted; reconnecting')).toBe(true);
  }, 480_000);
});
