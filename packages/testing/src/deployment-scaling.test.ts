import {
  AppsV1Api,
  CoreV1Api,
  makeInformer,
  PatchStrategy,
  setHeaderOptions,
  type V1Deployment,
  type V1Pod,
} from '@kubernetes/client-node';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDeployment } from './deployments.ts';
import { keepInformerRunning, type RunningInformer } from './informers.ts';
import { ipInCidr, podNetworkFromEnv } from './pod-network.ts';
import { isPodReady, nameOf, podIp, waitForReadyPods } from './pods.ts';
import { useTestNamespace } from './test-namespace.ts';
import { waitFor } from './wait-for.ts';

const ns = useTestNamespace('scaling');
const running: RunningInformer[] = [];
afterAll(async () => {
  await Promise.all(running.map((informer) => informer.stop()));
});

describe('a Deployment on the local cluster', () => {
  it('gets 3 Ready pods, follows scale patches to 5 and 0, and an informer sees every change', async () => {
    const kc = ns.kubeConfig;
    const namespace = ns.name;
    const apps = kc.makeApiClient(AppsV1Api);
    const core = kc.makeApiClient(CoreV1Api);
    const selector = 'app=web';

    const replicasSeen: number[] = [];
    const deployments = makeInformer<V1Deployment>(kc, `/apis/apps/v1/namespaces/${namespace}/deployments`, () =>
      apps.listNamespacedDeployment({ namespace }),
    );
    const onDeployment = (d: V1Deployment): void => {
      const replicas = d.spec?.replicas;
      if (replicas !== undefined && replicasSeen.at(-1) !== replicas) replicasSeen.push(replicas);
    };
    deployments.on('add', onDeployment);
    deployments.on('update', onDeployment);

    const added = new Set<string>();
    const seenReady = new Set<string>();
    const deleted = new Set<string>();
    const pods = makeInformer<V1Pod>(
      kc,
      `/api/v1/namespaces/${namespace}/pods`,
      () => core.listNamespacedPod({ namespace, labelSelector: selector }),
      selector,
    );
    const onPod = (p: V1Pod): void => {
      added.add(nameOf(p));
      if (isPodReady(p)) seenReady.add(nameOf(p));
    };
    pods.on('add', onPod);
    pods.on('update', onPod);
    pods.on('delete', (p) => deleted.add(nameOf(p)));
    running.push(await keepInformerRunning(deployments), await keepInformerRunning(pods));

    await createTestDeployment(kc, { namespace, name: 'web', replicas: 3 });
    const three = await waitForReadyPods(kc, { namespace, labelSelector: selector, count: 3 });
    expect(three).toHaveLength(3);
    for (const pod of three) {
      expect(pod.status?.phase).toBe('Running');
      expect(ipInCidr(podIp(pod), podNetworkFromEnv().cidr)).toBe(true);
    }

    const scaleTo = async (replicas: number): Promise<void> => {
      const scale = await apps.patchNamespacedDeploymentScale(
        { name: 'web', namespace, body: { spec: { replicas } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      expect(scale.spec?.replicas ?? 0).toBe(replicas); // the API omits a zero
    };

    await scaleTo(5);
    const five = await waitForReadyPods(kc, { namespace, labelSelector: selector, count: 5 });
    expect(new Set(five.map((p) => p.metadata?.name)).size).toBe(5);
    expect(new Set(five.map((p) => p.status?.podIP)).size).toBe(5);

    await scaleTo(0);
    await waitForReadyPods(kc, { namespace, labelSelector: selector, count: 0 });
    // The pods can be gone before the Deployment controller has counted them out: its status follows.
    await waitFor(async () => ((await apps.readNamespacedDeploymentScale({ name: 'web', namespace })).status?.replicas ?? 0) === 0, {
      timeoutMs: 30_000,
      description: 'the scale subresource to report 0 replicas',
    });

    // The informers' caches converge on the API's view, and their events covered every step.
    await waitFor(() => pods.list(namespace).length === 0 && deployments.get('web', namespace)?.spec?.replicas === 0, {
      timeoutMs: 10_000,
      description: 'informer caches to show 0 pods and replicas 0',
    });
    expect(replicasSeen).toEqual([3, 5, 0]);
    expect(added.size).toBe(5);
    expect([...seenReady].sort()).toEqual([...added].sort());
    expect([...deleted].sort()).toEqual([...added].sort());
  });
});
