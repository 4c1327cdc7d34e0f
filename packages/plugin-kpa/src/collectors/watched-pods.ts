import { NamespacePodCache, silentLogger, systemClock, type Clock, type Logger } from '@ebb/core';
import type { KubeConfig } from '@kubernetes/client-node';
import { cachedPod, matchesSelector, type CachedPod, type PodLister } from './pod-lister.ts';
import type { ScrapePod } from './pod-selection.ts';

/** Dependencies of {@link WatchedPods}. */
export interface WatchedPodsDeps {
  /** Credentials with `list` and `watch` on pods in the targets' namespaces. */
  readonly kubeConfig: KubeConfig;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

/**
 * A {@link PodLister} backed by one pod informer per namespace that has targets (one LIST when a namespace is
 * first asked for, then a watch): a round reads the cache and sends no request to the apiserver.
 */
export class WatchedPods implements PodLister {
  private readonly namespaces = new Map<string, NamespacePodCache<CachedPod>>();
  private readonly deps: WatchedPodsDeps;

  constructor(deps: WatchedPodsDeps) {
    this.deps = deps;
  }

  async readyPods(namespace: string, selector: Readonly<Record<string, string>>): Promise<readonly ScrapePod[]> {
    let pods = this.namespaces.get(namespace);
    if (!pods) {
      pods = new NamespacePodCache({ kubeConfig: this.deps.kubeConfig, namespace, map: cachedPod, clock: this.deps.clock ?? systemClock, logger: this.deps.logger ?? silentLogger });
      this.namespaces.set(namespace, pods);
    }
    await pods.ready();
    if (!pods.synced()) throw new Error(`the pod watch of namespace ${namespace} is broken; its pods may be stale`);
    const out: ScrapePod[] = [];
    for (const p of pods.list()) if (p.ready && matchesSelector(p.metadata.labels, selector)) out.push(p.ready);
    return out;
  }

  async retain(namespaces: ReadonlySet<string>): Promise<void> {
    for (const [namespace, pods] of [...this.namespaces]) {
      if (namespaces.has(namespace)) continue;
      this.namespaces.delete(namespace);
      await pods.stop();
    }
  }

  async close(): Promise<void> {
    const all = [...this.namespaces.values()];
    this.namespaces.clear();
    await Promise.all(all.map((p) => p.stop()));
  }
}
