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

/** `metadata.name` of an object read from the API; throws if it has none (only unsaved objects lack it). */
export function nameOf(obj: { readonly metadata?: { readonly name?: string } }): string {
  const name = obj.metadata?.name;
  if (!name) throw new Error('object has no metadata.name');
  return name;
}

/** The pod's IP (`status.podIP`); throws, naming the pod, when it has none yet. */
export function podIp(pod: V1Pod): string {
  const ip = pod.status?.podIP;
  if (!ip) throw new Error(`pod ${pod.metadata?.namespace}/${pod.metadata?.name} has no IP yet`);
  return ip;
}

/** The first declared port of the pod's first container; throws when there is none. */
export function firstContainerPort(pod: V1Pod): number {
  const port = pod.spec?.containers[0]?.ports?.[0]?.containerPort;
  if (port === undefined) throw new Error(`pod ${pod.metadata?.namespace}/${pod.metadata?.name} declares no container port`);
  return port;
}
