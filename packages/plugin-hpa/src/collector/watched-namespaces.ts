import type { Clock, Logger, TargetInfo } from '@ebb/core';
import type { KubeConfig } from '@kubernetes/client-node';
import { NamespacePods } from './namespace-pods.ts';

/** The targets of a round by namespace, in the order they came. */
export function byNamespace(targets: readonly TargetInfo[]): Map<string, TargetInfo[]> {
  const out = new Map<string, TargetInfo[]>();
  for (const t of targets) out.set(t.ref.namespace, [...(out.get(t.ref.namespace) ?? []), t]);
  return out;
}

/**
 * One pod watch ({@link NamespacePods}) per namespace that has targets: started when a namespace is first asked
 * for, stopped when a round no longer has targets there (a returning namespace is listed again).
 */
export class WatchedNamespaces {
  readonly #watched = new Map<string, NamespacePods>();
  readonly #deps: { readonly kubeConfig: KubeConfig; readonly clock: Clock; readonly logger: Logger };

  constructor(deps: { readonly kubeConfig: KubeConfig; readonly clock: Clock; readonly logger: Logger }) {
    this.#deps = deps;
  }

  /** The pods of `namespace`, watching it from now on. */
  podsOf(namespace: string): NamespacePods {
    let pods = this.#watched.get(namespace);
    if (!pods) {
      pods = new NamespacePods({ ...this.#deps, namespace });
      this.#watched.set(namespace, pods);
    }
    return pods;
  }

  /** Stops watching every namespace not in `keep`. */
  async retain(keep: ReadonlyMap<string, unknown>): Promise<void> {
    for (const [namespace, pods] of this.#watched) {
      if (keep.has(namespace)) continue;
      this.#watched.delete(namespace);
      await pods.stop();
    }
  }

  /** Stops every watch. */
  async close(): Promise<void> {
    const all = [...this.#watched.values()];
    this.#watched.clear();
    await Promise.all(all.map((p) => p.stop()));
  }
}
