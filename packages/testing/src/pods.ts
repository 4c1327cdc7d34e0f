import { CoreV1Api, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { waitFor } from './wait-for.ts';

/** Anything with Kubernetes-style `status.conditions`. */
export interface WithConditions {
  readonly status?: { readonly conditions?: ReadonlyArray<{ readonly type: string; readonly status: string }> };
}

/** True when `obj` has condition `type` with status `status` (default `"True"`). */
export function hasCondition(obj: WithConditions | undefined, type: string, status = 'True'): boolean {
  return obj?.status?.conditions?.some((c) => c.type === type && c.status === status) ?? false;
}

/** True when the pod is not being deleted and its Ready condition is True. */
export function isPodReady(pod: V1Pod): boolean {
  return !pod.metadata?.deletionTimestamp && hasCondition(pod, 'Ready');
}

/** Options of {@link waitForReadyPods}. */
export interface WaitForReadyPodsOptions {
  readonly namespace: string;
  /** Label selector, for example `app=web`. */
  readonly labelSelector: string;
  /** Exact number of live pods expected, all Ready (0 waits until every matching pod is gone). */
  readonly count: number;
  /** Default 30 000. */
  readonly timeoutMs?: number;
}

/**
 * Waits until exactly `count` pods match the selector, none is being deleted, and all are Ready;
 * returns them. Pods that are terminating count as "not yet".
 */
export async function waitForReadyPods(kubeConfig: KubeConfig, options: WaitForReadyPodsOptions): Promise<V1Pod[]> {
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const { namespace, labelSelector, count } = options;
  return await waitFor(
    async () => {
      const pods = (await core.listNamespacedPod({ namespace, labelSelector })).items;
      return pods.length === count && pods.every(isPodReady) ? pods : undefined;
    },
    { timeoutMs: options.timeoutMs ?? 30_000, description: `exactly ${count} Ready pods with ${labelSelector} in ${namespace}` },
  );
}
