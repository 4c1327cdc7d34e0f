import { silentLogger, systemClock, type Clock, type Logger, type TimerHandle } from '@ebb/core';
import { CoreV1Api, ListWatch, Watch, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { cachedPod, matchesSelector, type CachedPod, type PodLister } from './pod-lister.ts';
import type { ScrapePod } from './pod-selection.ts';

/** First and longest pause before a broken pod watch is started again, ms. */
const RESTART_BACKOFF_MS = [500, 30_000] as const;

/** A watch that hands the informer {@link CachedPod}s, so the cache holds only those. */
class CachedPodWatch extends Watch {
  override watch(
    path: string,
    queryParams: Record<string, string | number | boolean | undefined>,
    callback: (phase: string, apiObj: unknown, watchObj?: unknown) => void,
    done: (err: unknown) => void,
  ): Promise<AbortController> {
    const slim = (phase: string, obj: unknown, raw?: unknown): void =>
      callback(phase, phase === 'ADDED' || phase === 'MODIFIED' || phase === 'DELETED' ? cachedPod(obj as V1Pod) : obj, raw);
    return super.watch(path, queryParams, slim, done);
  }
}

/**
 * The pods of one namespace: listed once, then kept current by a watch. A watch that fails is started again with
 * backoff (0.5 s doubling to 30 s), resuming from the last resourceVersion or listing anew after `410 Gone`;
 * meanwhile {@link synced} is false.
 */
class NamespacePods {
  private readonly informer: ListWatch<CachedPod>;
  private starting: Promise<void> | undefined;
  private running = false;
  private initialising = false;
  private healthy = false;
  private stopped = false;
  private lastError: unknown;
  private delayMs: number = RESTART_BACKOFF_MS[0];
  private timer: TimerHandle | undefined;
  private readonly namespace: string;
  private readonly clock: Clock;
  private readonly logger: Logger;

  constructor(kubeConfig: KubeConfig, namespace: string, clock: Clock, logger: Logger) {
    this.namespace = namespace;
    this.clock = clock;
    this.logger = logger;
    const core = kubeConfig.makeApiClient(CoreV1Api);
    const list = async () => {
      const pods = await core.listNamespacedPod({ namespace });
      return { metadata: pods.metadata ?? {}, items: pods.items.map(cachedPod) };
    };
    this.informer = new ListWatch<CachedPod>(`/api/v1/namespaces/${namespace}/pods`, new CachedPodWatch(kubeConfig), list, false);
    this.informer.on('connect', () => (this.healthy = true));
    this.informer.on('error', (err: unknown) => {
      this.healthy = false;
      this.lastError = err;
      if (this.stopped || this.initialising || !this.running) return;
      this.logger.warn('pod watch interrupted; restarting', { namespace, error: String(err), retryInMs: this.delayMs });
      this.scheduleRestart();
    });
  }

  /** Lists and starts watching on the first call; later calls return at once. Throws when the first list fails. */
  async ready(): Promise<void> {
    if (this.running) return;
    this.starting ??= this.start().finally(() => (this.starting = undefined));
    await this.starting;
  }

  /** True while the cache is current: listed, and the watch not broken. */
  synced(): boolean {
    return this.running && this.healthy;
  }

  list(): readonly CachedPod[] {
    return this.informer.list(this.namespace);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.running = false;
    this.timer?.cancel();
    await this.informer.stop();
  }

  private async start(): Promise<void> {
    this.stopped = false;
    this.initialising = true;
    try {
      await this.informer.start();
    } finally {
      this.initialising = false;
    }
    if (!this.healthy) {
      await this.informer.stop();
      throw new Error(`cannot list and watch pods in namespace ${this.namespace}: ${String(this.lastError)}`, { cause: this.lastError });
    }
    this.running = true;
  }

  private scheduleRestart(): void {
    this.timer?.cancel();
    const delayMs = this.delayMs;
    this.delayMs = Math.min(this.delayMs * 2, RESTART_BACKOFF_MS[1]);
    this.timer = this.clock.setTimeout(() => {
      if (this.stopped) return;
      // A failure calls the 'error' handler again, which schedules the next attempt.
      void this.informer.start().then(() => {
        if (!this.healthy || this.stopped) return;
        this.delayMs = RESTART_BACKOFF_MS[0];
        this.logger.info('pod watch restored', { namespace: this.namespace });
      });
    }, delayMs);
  }
}

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
  private readonly namespaces = new Map<string, NamespacePods>();
  private readonly deps: WatchedPodsDeps;

  constructor(deps: WatchedPodsDeps) {
    this.deps = deps;
  }

  async readyPods(namespace: string, selector: Readonly<Record<string, string>>): Promise<readonly ScrapePod[]> {
    let pods = this.namespaces.get(namespace);
    if (!pods) {
      pods = new NamespacePods(this.deps.kubeConfig, namespace, this.deps.clock ?? systemClock, this.deps.logger ?? silentLogger);
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
