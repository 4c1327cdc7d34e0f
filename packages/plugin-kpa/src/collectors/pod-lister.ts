import type { KubernetesObject, V1Pod } from '@kubernetes/client-node';
import type { ScrapePod } from './pod-selection.ts';

/**
 * The pods the pod-scraping collector reads, from a cache kept current by a watch: asking costs no request.
 * Implemented by `WatchedPods`; tests may pass a fixed list.
 */
export interface PodLister {
  /**
   * The ready pods of `namespace` whose labels include every entry of `selector`.
   * @throws Error when the namespace's pods are not known to be current (first list failed, or the watch broke).
   */
  readyPods(namespace: string, selector: Readonly<Record<string, string>>): Promise<readonly ScrapePod[]>;
  /** Stops watching namespaces that are not in `namespaces` (no target left there). */
  retain(namespaces: ReadonlySet<string>): Promise<void>;
  /** Stops every watch. */
  close(): Promise<void>;
}

/**
 * A pod as the cache keeps it: identity, labels, and the {@link ScrapePod} when the pod is ready to be scraped
 * (a few hundred bytes instead of the whole object).
 */
export interface CachedPod extends KubernetesObject {
  readonly metadata: {
    readonly name: string;
    readonly namespace: string;
    readonly resourceVersion?: string;
    readonly labels: Readonly<Record<string, string>>;
  };
  /** Present when the pod is Running, Ready, not being deleted, and has an IP (Knative's podRunning + podReady). */
  readonly ready?: ScrapePod;
}

/** A timestamp from a list (a `Date`) or a watch event (an RFC 3339 string), in ms since the epoch. */
function timeMs(value: Date | string | undefined | null): number | undefined {
  if (value === undefined || value === null) return undefined;
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}

/** True when the pod serves: Running, Ready, not being deleted. */
function isServing(pod: V1Pod): boolean {
  if (pod.metadata?.deletionTimestamp) return false;
  if (pod.status?.phase !== 'Running') return false;
  return pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/**
 * Reduces a pod (from a list or a watch event) to a {@link CachedPod}. A watch BOOKMARK (only a resourceVersion)
 * keeps its metadata so the informer can resume from it.
 */
export function cachedPod(pod: V1Pod): CachedPod {
  const meta = pod.metadata;
  const ip = pod.status?.podIP;
  const name = meta?.name ?? '';
  const startMs = timeMs(pod.status?.startTime as Date | string | undefined);
  return {
    metadata: {
      name,
      namespace: meta?.namespace ?? '',
      ...(meta?.resourceVersion === undefined ? {} : { resourceVersion: meta.resourceVersion }),
      labels: meta?.labels ?? {},
    },
    ...(ip && isServing(pod) ? { ready: { name, ip, startMs } } : {}),
  };
}

/** True when `labels` has every key of `selector` with the same value (an empty selector matches nothing). */
export function matchesSelector(labels: Readonly<Record<string, string>>, selector: Readonly<Record<string, string>>): boolean {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([k, v]) => labels[k] === v);
}
