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

/** Pods of one namespace grouped by the value of one label key: `app` -> `web` -> its pods. */
type LabelIndex = Map<string, Map<string, CachedPod[]>>;

/**
 * A {@link PodLister} backed by one pod informer per namespace that has targets (one LIST when a namespace is
 * first asked for, then a watch): a round reads the cache and sends no request to the apiserver.
 *
 * A round asks for every target's pods at once; walking the whole namespace for each target would cost
 * targets x pods (10,000 x 12,500 label checks a second). So the pods are grouped by the value of a selector's first
 * label key once, and the groups serve every call until the event loop turns (`setImmediate`), when they are
 * dropped: a round reads one snapshot of the cache, and the next round groups the cache as it then is.
 */
export class WatchedPods implements PodLister {
  private readonly namespaces = new Map<string, NamespacePodCache<CachedPod>>();
  private readonly deps: WatchedPodsDeps;
  private readonly groups = new Map<string, LabelIndex>();
  private dropScheduled = false;

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
    const first = Object.keys(selector)[0];
    if (first === undefined) return [];
    const out: ScrapePod[] = [];
    const candidates = this.group(namespace, pods, first).get(selector[first] as string) ?? [];
    for (const p of candidates) if (p.ready && matchesSelector(p.metadata.labels, selector)) out.push(p.ready);
    return out;
  }

  /** The pods of `namespace` grouped by their value of label `key`, built once per turn of the event loop. */
  private group(namespace: string, pods: NamespacePodCache<CachedPod>, key: string): Map<string, CachedPod[]> {
    let index = this.groups.get(namespace);
    if (!index) this.groups.set(namespace, (index = new Map()));
    let byValue = index.get(key);
    if (!byValue) {
      byValue = new Map();
      for (const p of pods.list()) {
        const value = p.metadata.labels[key];
        if (value === undefined) continue;
        const same = byValue.get(value);
        if (same) same.push(p);
        else byValue.set(value, [p]);
      }
      index.set(key, byValue);
    }
    if (!this.dropScheduled) {
      this.dropScheduled = true;
      setImmediate(() => {
        this.dropScheduled = false;
        this.groups.clear();
      });
    }
    return byValue;
  }

  async retain(namespaces: ReadonlySet<string>): Promise<void> {
    for (const [namespace, pods] of [...this.namespaces]) {
      if (namespaces.has(namespace)) continue;
      this.namespaces.delete(namespace);
      this.groups.delete(namespace);
      await pods.stop();
    }
  }

  async close(): Promise<void> {
    const all = [...this.namespaces.values()];
    this.namespaces.clear();
    await Promise.all(all.map((p) => p.stop()));
  }
}
