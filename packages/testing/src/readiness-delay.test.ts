import { CoreV1Api, type V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { createTestDeployment } from './deployments.ts';
import { ipInCidr, podNetworkFromEnv } from './pod-network.ts';
import { hasCondition, isPodReady, podIp } from './pods.ts';
import { useTestNamespace } from './test-namespace.ts';
import { waitFor } from './wait-for.ts';

const ns = useTestNamespace('readiness');

/**
 * Polls the Deployment's pod every 100 ms and records when (ms after `began`) it was first seen running but
 * unready, and when Ready.
 */
async function observeReadiness(namespace: string, app: string, began: number, timeoutMs: number) {
  const core = ns.kubeConfig.makeApiClient(CoreV1Api);
  let runningUnreadyAtMs: number | undefined;
  let unreadyPod: V1Pod | undefined;
  const ready = await waitFor(
    async () => {
      const [pod] = (await core.listNamespacedPod({ namespace, labelSelector: `app=${app}` })).items;
      if (!pod) return undefined;
      if (pod.status?.phase === 'Running' && hasCondition(pod, 'Ready', 'False') && runningUnreadyAtMs === undefined) {
        runningUnreadyAtMs = performance.now() - began;
        unreadyPod = pod;
      }
      return isPodReady(pod) ? pod : undefined;
    },
    { timeoutMs, intervalMs: 100, description: `pod of ${app} to be Ready` },
  );
  return { readyAtMs: performance.now() - began, runningUnreadyAtMs, unreadyPod, ready };
}

describe('readiness delay annotation', () => {
  it.each([
    { app: 'instant', readinessDelay: undefined, minReadyMs: 0, maxReadyMs: 3_000 },
    { app: 'delayed', readinessDelay: '5s', minReadyMs: 5_000, maxReadyMs: 8_000 },
  ])('$app pod (delay $readinessDelay) becomes Ready after $minReadyMs-$maxReadyMs ms', async (row) => {
    const began = performance.now();
    await createTestDeployment(ns.kubeConfig, {
      namespace: ns.name,
      name: row.app,
      ...(row.readinessDelay ? { readinessDelay: row.readinessDelay } : {}),
    });
    const seen = await observeReadiness(ns.name, row.app, began, 15_000);
    expect(seen.readyAtMs).toBeGreaterThanOrEqual(row.minReadyMs);
    expect(seen.readyAtMs).toBeLessThanOrEqual(row.maxReadyMs);
    expect(ipInCidr(podIp(seen.ready), podNetworkFromEnv().cidr)).toBe(true);
    if (row.readinessDelay) {
      // Before the delay the pod already runs, with its IP, but is not Ready (as with a failing readiness probe).
      expect(seen.runningUnreadyAtMs).toBeLessThan(3_000);
      expect(seen.unreadyPod?.status?.podIP).toBe(seen.ready.status?.podIP);
      expect(seen.unreadyPod?.status?.containerStatuses?.every((c) => c.ready === false && c.state?.running)).toBe(true);
    }
  });
});
