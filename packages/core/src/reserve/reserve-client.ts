import { AppsV1Api, CoreV1Api, PatchStrategy, setHeaderOptions, type KubeConfig, type V1Deployment, type V1Pod } from '@kubernetes/client-node';
import { RESERVE_REQUESTED_AT_ANNOTATION } from './reserve-manifest.ts';

/** The writes (and the few reads) the reserve swap makes against the apiserver. */
export interface ReserveClient {
  /** The target Deployment as the apiserver has it now (for its pod template). */
  readTarget(namespace: string, name: string): Promise<V1Deployment>;
  /** Creates the reserve; an existing object of that name fails with HTTP 409. */
  create(reserve: V1Deployment): Promise<void>;
  /** Replaces the reserve; `metadata.resourceVersion` must be set (a concurrent write fails with HTTP 409). */
  replace(reserve: V1Deployment): Promise<void>;
  /**
   * Sets the reserve's `spec.replicas` if its resourceVersion is still `resourceVersion`, and, when `requestedAtMs`
   * is given, records it as the time the reserve was asked for pods.
   */
  scale(namespace: string, name: string, replicas: number, resourceVersion: string, requestedAtMs?: number): Promise<void>;
  /** Deletes the reserve (its ReplicaSets and pods in the background) if its uid is still `uid`. */
  remove(namespace: string, name: string, uid: string): Promise<void>;
  /** Why the pods matching `labelSelector` are not Ready: one line per such pod, at most `limit`. */
  podProblems(namespace: string, labelSelector: string, limit: number): Promise<string[]>;
}

/** {@link ReserveClient} on `@kubernetes/client-node`. */
export class KubeReserveClient implements ReserveClient {
  private readonly apps: AppsV1Api;
  private readonly core: CoreV1Api;

  constructor(kc: KubeConfig) {
    this.apps = kc.makeApiClient(AppsV1Api);
    this.core = kc.makeApiClient(CoreV1Api);
  }

  async readTarget(namespace: string, name: string): Promise<V1Deployment> {
    return await this.apps.readNamespacedDeployment({ name, namespace });
  }

  async create(reserve: V1Deployment): Promise<void> {
    await this.apps.createNamespacedDeployment({ namespace: reserve.metadata?.namespace ?? 'default', body: reserve, fieldManager: 'ebb' });
  }

  async replace(reserve: V1Deployment): Promise<void> {
    const { name = '', namespace = 'default' } = reserve.metadata ?? {};
    await this.apps.replaceNamespacedDeployment({ name, namespace, body: reserve, fieldManager: 'ebb' });
  }

  async scale(namespace: string, name: string, replicas: number, resourceVersion: string, requestedAtMs?: number): Promise<void> {
    const annotations = requestedAtMs === undefined ? undefined : { [RESERVE_REQUESTED_AT_ANNOTATION]: new Date(requestedAtMs).toISOString() };
    const body = { metadata: { resourceVersion, ...(annotations ? { annotations } : {}) }, spec: { replicas } };
    await this.apps.patchNamespacedDeployment({ name, namespace, body, fieldManager: 'ebb' }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
  }

  async remove(namespace: string, name: string, uid: string): Promise<void> {
    await this.apps.deleteNamespacedDeployment({ name, namespace, body: { preconditions: { uid }, propagationPolicy: 'Background' } });
  }

  async podProblems(namespace: string, labelSelector: string, limit: number): Promise<string[]> {
    const pods = (await this.core.listNamespacedPod({ namespace, labelSelector })).items;
    return pods.flatMap((p) => podProblem(p) ?? []).slice(0, limit);
  }
}

/**
 * Why a pod is not Ready, in one line (undefined when it is Ready): not scheduled (the scheduler's message), a
 * container waiting (image pull, crash loop), or the Ready condition's reason.
 */
export function podProblem(pod: V1Pod): string | undefined {
  const name = pod.metadata?.name ?? '?';
  const conditions = pod.status?.conditions ?? [];
  if (!pod.metadata?.deletionTimestamp && conditions.some((c) => c.type === 'Ready' && c.status === 'True')) return undefined;
  const detail = (reason?: string, message?: string) => [reason, message].filter((s) => s).join(': ') || 'no reason given';
  if (pod.metadata?.deletionTimestamp) return `pod ${name}: terminating`;
  const scheduled = conditions.find((c) => c.type === 'PodScheduled');
  if (scheduled?.status === 'False') return `pod ${name}: not scheduled: ${detail(scheduled.reason, scheduled.message)}`;
  const waiting = pod.status?.containerStatuses?.find((s) => s.state?.waiting);
  if (waiting?.state?.waiting) return `pod ${name}: container ${waiting.name} waiting: ${detail(waiting.state.waiting.reason, waiting.state.waiting.message)}`;
  const ready = conditions.find((c) => c.type === 'Ready');
  if (ready) return `pod ${name}: not Ready: ${detail(ready.reason, ready.message)}`;
  return `pod ${name}: ${pod.status?.phase ?? 'Pending'}`;
}
