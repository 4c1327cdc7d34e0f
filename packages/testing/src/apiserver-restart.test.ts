import {
  AppsV1Api,
  CoreV1Api,
  makeInformer,
  PatchStrategy,
  setHeaderOptions,
  type V1Deployment,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cluster } from './cluster.ts';
import { createTestDeployment } from './deployments.ts';
import { keepInformerRunning } from './informers.ts';
import { waitForReadyPods } from './pods.ts';
import { startCluster } from './start-cluster.ts';
import { waitFor } from './wait-for.ts';

// A private cluster: restarting the shared one would break the test files running beside this one.
let cluster: Cluster;
beforeAll(async () => {
  cluster = await startCluster({ name: `restart-test-${process.pid}`, nodes: 1 });
});
afterAll(async () => {
  await cluster?.stop();
});

describe('a kube-apiserver restart in the middle of a test', () => {
  it('is survived: informers reconnect and see a change made after the restart', async () => {
    const kc = cluster.kubeConfig();
    const apps = kc.makeApiClient(AppsV1Api);
    const namespace = 'restart';
    await kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: namespace } } });
    await waitFor(() => kc.makeApiClient(CoreV1Api).readNamespacedServiceAccount({ name: 'default', namespace }));
    await createTestDeployment(kc, { namespace, name: 'web', replicas: 1 });
    await waitForReadyPods(kc, { namespace, labelSelector: 'app=web', count: 1 });

    const informer = makeInformer<V1Deployment>(kc, `/apis/apps/v1/namespaces/${namespace}/deployments`, () =>
      apps.listNamespacedDeployment({ namespace }),
    );
    let connects = 0;
    informer.on('connect', () => connects++);
    const running = await keepInformerRunning(informer, { restartDelayMs: 200 });
    try {
      await waitFor(() => informer.get('web', namespace), { timeoutMs: 5_000, description: 'informer to list web' });
      const connectsBefore = connects;
      const pidBefore = cluster.state.components['kube-apiserver']?.pid;

      await cluster.restartApiserver();

      expect(cluster.state.components['kube-apiserver']?.pid).not.toBe(pidBefore);
      await apps.patchNamespacedDeploymentScale(
        { name: 'web', namespace, body: { spec: { replicas: 2 } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      await waitFor(() => informer.get('web', namespace)?.spec?.replicas === 2, {
        timeoutMs: 20_000,
        description: 'the informer to see replicas 2 after the restart',
      });
      expect(connects).toBeGreaterThan(connectsBefore);
      // The rest of the control plane reconnected too: the new pod is scheduled and made Ready.
      await waitForReadyPods(kc, { namespace, labelSelector: 'app=web', count: 2 });
    } finally {
      await running.stop();
    }
  });
});
