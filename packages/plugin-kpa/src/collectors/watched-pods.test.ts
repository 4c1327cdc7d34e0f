import { AppsV1Api, CoreV1Api, KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { createTestDeployment, ipInCidr, podNetworkFromEnv, useTestNamespace, waitFor } from '@ebb/testing';
import { afterEach, describe, expect, it } from 'vitest';
import type { ScrapePod } from './pod-selection.ts';
import { WatchedPods } from './watched-pods.ts';

const ns = useTestNamespace('kpa-watched-pods');
let pods: WatchedPods | undefined;
afterEach(async () => {
  await pods?.close();
  pods = undefined;
});

async function scale(name: string, replicas: number): Promise<void> {
  await ns.kubeConfig.makeApiClient(AppsV1Api).patchNamespacedDeploymentScale({ name, namespace: ns.name, body: { spec: { replicas } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
}

/** Waits until the lister shows `count` ready pods for `app=<name>` and returns them. */
async function readyOf(lister: WatchedPods, name: string, count: number): Promise<readonly ScrapePod[]> {
  let last: readonly ScrapePod[] = [];
  await waitFor(
    async () => {
      last = await lister.readyPods(ns.name, { app: name });
      return last.length === count;
    },
    { timeoutMs: 60_000, description: `${count} ready pods of ${name} (last seen ${last.length})` },
  );
  return last;
}

describe('WatchedPods against the real apiserver', () => {
  it('lists the ready pods of a selector from a watch: IPs, start times, scaling up and down, other targets apart', async () => {
    await createTestDeployment(ns.kubeConfig, { namespace: ns.name, name: 'web', replicas: 2 });
    await createTestDeployment(ns.kubeConfig, { namespace: ns.name, name: 'other', replicas: 1 });
    await createTestDeployment(ns.kubeConfig, { namespace: ns.name, name: 'slow', replicas: 1, readinessDelay: '1h' });
    pods = new WatchedPods({ kubeConfig: ns.kubeConfig });
    const two = await readyOf(pods, 'web', 2);
    for (const p of two) {
      expect(p.name).toMatch(/^web-/);
      expect(ipInCidr(p.ip, podNetworkFromEnv().cidr)).toBe(true);
      expect(p.startMs).toBeGreaterThan(Date.now() - 10 * 60_000);
    }
    await readyOf(pods, 'other', 1);
    // A round asks for every target at once (one grouping of the cache): each gets its own pods only.
    const [web, other] = await Promise.all([pods.readyPods(ns.name, { app: 'web' }), pods.readyPods(ns.name, { app: 'other' })]);
    expect(web.map((p) => p.name.replace(/-[^-]+-[^-]+$/, ''))).toEqual(['web', 'web']);
    expect(other.map((p) => p.name.replace(/-[^-]+-[^-]+$/, ''))).toEqual(['other']);
    await scale('web', 3);
    await readyOf(pods, 'web', 3);
    await scale('web', 1);
    await readyOf(pods, 'web', 1);
    // A pod that runs but never gets Ready is never listed.
    await waitFor(
      async () => {
        const list = await ns.kubeConfig.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: ns.name, labelSelector: 'app=slow' });
        return list.items.some((p) => p.status?.phase === 'Running' && p.status.podIP);
      },
      { timeoutMs: 60_000, description: 'the slow pod running with an IP' },
    );
    expect(await pods.readyPods(ns.name, { app: 'slow' })).toEqual([]);
    expect(await pods.readyPods(ns.name, { app: 'web', tier: 'missing' })).toEqual([]);
  });

  it('fails, naming the namespace, when the pods cannot be listed; stops watching namespaces not retained', async () => {
    const unreachable = new KubeConfig();
    unreachable.loadFromOptions({
      clusters: [{ name: 'c', server: 'https://127.0.0.1:1', skipTLSVerify: true }],
      users: [{ name: 'u', token: 'x' }],
      contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
      currentContext: 'x',
    });
    pods = new WatchedPods({ kubeConfig: unreachable });
    await expect(pods.readyPods('shop', { app: 'web' })).rejects.toThrow('cannot list and watch pods in namespace shop');
    await pods.retain(new Set());
    const lister = new WatchedPods({ kubeConfig: ns.kubeConfig });
    pods = lister;
    await createTestDeployment(ns.kubeConfig, { namespace: ns.name, name: 'kept', replicas: 1 });
    await readyOf(lister, 'kept', 1);
    await lister.retain(new Set([ns.name]));
    expect(await lister.readyPods(ns.name, { app: 'kept' })).toHaveLength(1);
  });
});
