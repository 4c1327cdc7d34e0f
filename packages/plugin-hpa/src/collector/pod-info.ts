import type { KubernetesObject, V1Container, V1Pod } from '@kubernetes/client-node';
import type { PodPhase, PodRequests, PodSample } from '../pod-metrics-snapshot.ts';
import { quantityToMilli, quantityToUnits } from '../quantity.ts';

/** What the collector needs of a pod: a {@link PodSample} without its usage. */
export type PodInfo = Omit<PodSample, 'usage'>;

/**
 * A pod as the collector's informer keeps it: identity, labels (to match target selectors) and {@link PodInfo}.
 * A few hundred bytes instead of the whole object (often several KB), since the cache holds every pod of every
 * watched namespace.
 */
export interface SlimPod extends KubernetesObject {
  readonly metadata: { readonly name: string; readonly namespace: string; readonly resourceVersion?: string; readonly labels: Readonly<Record<string, string>> };
  readonly info: PodInfo;
}

const PHASES: readonly string[] = ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'] satisfies readonly PodPhase[];

/** A timestamp from a list (a `Date`, deserialized) or a watch event (an RFC 3339 string), in ms since the epoch. */
export function timeMs(value: Date | string | undefined | null): number | undefined {
  if (value === undefined || value === null) return undefined;
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}

type Parse = (text: string) => number | undefined;

/** Sum of one resource's requests over `containers`; undefined when one of them has none (or an invalid one). */
function sumRequests(containers: readonly V1Container[], resource: string, parse: Parse): number | undefined {
  let sum = 0;
  for (const c of containers) {
    const text = c.resources?.requests?.[resource];
    const value = text === undefined ? undefined : parse(String(text));
    if (value === undefined) return undefined;
    sum += value;
  }
  return sum;
}

/** One resource's request of a pod: pod-level when set, else summed over its containers. */
function podRequest(pod: V1Pod, containers: readonly V1Container[], resource: string, parse: Parse): number | undefined {
  const podLevel = pod.spec?.resources?.requests?.[resource];
  if (podLevel !== undefined) return parse(String(podLevel));
  return containers.length === 0 ? undefined : sumRequests(containers, resource, parse);
}

/**
 * The requests the HPA divides usage by (`calculatePodRequests`): pod-level requests when set, else the sum over
 * the containers and the restartable init containers (sidecars, which run alongside). Example: containers of
 * 250m and 100m plus a sidecar of 50m -> 400m; a container without a CPU request -> no CPU request.
 */
export function podRequests(pod: V1Pod): PodRequests {
  const sidecars = (pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always');
  const containers = [...(pod.spec?.containers ?? []), ...sidecars];
  const cpuMilli = podRequest(pod, containers, 'cpu', quantityToMilli);
  const memoryBytes = podRequest(pod, containers, 'memory', quantityToUnits);
  return { ...(cpuMilli === undefined ? {} : { cpuMilli }), ...(memoryBytes === undefined ? {} : { memoryBytes }) };
}

/** The pod's phase, readiness, deletion mark, start time and requests. */
export function podInfo(pod: V1Pod): PodInfo {
  const phase = pod.status?.phase;
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
  const startTimeMs = timeMs(pod.status?.startTime as Date | string | undefined);
  const readyTransitionMs = timeMs(ready?.lastTransitionTime as Date | string | undefined);
  return {
    name: pod.metadata?.name ?? '',
    phase: phase !== undefined && PHASES.includes(phase) ? (phase as PodPhase) : 'Unknown',
    ready: ready?.status === 'True',
    ...(ready?.status === 'True' || ready?.status === 'False' || ready?.status === 'Unknown' ? { readyStatus: ready.status } : {}),
    deleted: pod.metadata?.deletionTimestamp !== undefined && pod.metadata.deletionTimestamp !== null,
    ...(startTimeMs === undefined ? {} : { startTimeMs }),
    ...(readyTransitionMs === undefined ? {} : { readyTransitionMs }),
    requests: podRequests(pod),
  };
}

/**
 * Reduces a pod (from a list or a watch event) to a {@link SlimPod}. Objects that are not pods (a watch's
 * BOOKMARK carries only a resourceVersion) keep their metadata so the informer can resume from it.
 */
export function slimPod(pod: V1Pod): SlimPod {
  const metadata = {
    name: pod.metadata?.name ?? '',
    namespace: pod.metadata?.namespace ?? '',
    ...(pod.metadata?.resourceVersion === undefined ? {} : { resourceVersion: pod.metadata.resourceVersion }),
    labels: pod.metadata?.labels ?? {},
  };
  return { apiVersion: 'v1', kind: 'Pod', metadata, info: podInfo(pod) };
}

/** True when every `selector` label is on the pod (a Deployment's `matchLabels`); an empty selector matches none. */
export function matchesSelector(labels: Readonly<Record<string, string>>, selector: Readonly<Record<string, string>>): boolean {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([k, v]) => labels[k] === v);
}
