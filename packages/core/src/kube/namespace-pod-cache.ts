import { CoreV1Api, ListWatch, Watch, type KubeConfig, type KubernetesObject, type V1Pod } from '@kubernetes/client-node';
import { systemClock, type Clock, type TimerHandle } from '../contracts/clock.ts';
import { silentLogger, type Logger } from '../contracts/observe.ts';
import { keepReconnectsPrompt } from './watch-backoff.ts';

/** First and longest pause before a failed pod watch is started again, ms. */
const RESTART_BACKOFF_MS = [500, 30_000] as const;

/** A watch whose ADDED/MODIFIED/DELETED pods arrive already mapped, so the informer caches only the mapped form. */
class MappedPodWatch<T> extends Watch {
  private readonly map: (pod: V1Pod) => T;

  constructor(kubeConfig: KubeConfig, map: (pod: V1Pod) => T) {
    super(kubeConfig);
    this.map = map;
  }

  override watch(
    path: string,
    queryParams: Record<string, string | number | boolean | undefined>,
    callback: (phase: string, apiObj: unknown, watchObj?: unknown) => void,
    done: (err: unknown) => void,
  ): Promise<AbortController> {
    const slim = (phase: string, obj: unknown, raw?: unknown): void =>
      callback(phase, phase === 'ADDED' || phase === 'MODIFIED' || phase === 'DELETED' ? this.map(obj as V1Pod) : obj, raw);
    return super.watch(path, queryParams, slim, done);
  }
}

/** Dependencies of {@link NamespacePodCache}. */
export interface NamespacePodCacheDeps<T> {
  readonly kubeConfig: KubeConfig;
  readonly namespace: string;
  /** What the cache keeps of each pod (a slim copy: a full V1Pod is about 7 KB). */
  readonly map: (pod: V1Pod) => T;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

/**
 * The pods of one namespace, listed once and then kept current by a watch (an informer): reading them costs no
 * request. The cache holds only what `map` keeps of each pod. A watch that fails (for example while the apiserver restarts)
 * is started again with backoff from 0.5 s to 30 s, resuming from the last resourceVersion or listing anew
 * after `410 Gone`; until then {@link synced} is false and the last known pods stay readable.
 */
export class NamespacePodCache<T extends KubernetesObject> {
  readonly namespace: string;
  private readonly informer: ListWatch<T>;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private starting: Promise<void> | undefined;
  /** Listed once: from here on failures restart the watch instead of failing {@link ready}. */
  private running = false;
  private initialising = false;
  private healthy = false;
  private stopped = false;
  private lastError: unknown;
  private delayMs: number = RESTART_BACKOFF_MS[0];
  private timer: TimerHandle | undefined;

  constructor(deps: NamespacePodCacheDeps<T>) {
    const { kubeConfig, namespace } = deps;
    this.namespace = namespace;
    this.clock = deps.clock ?? systemClock;
    this.logger = deps.logger ?? silentLogger;
    const core = kubeConfig.makeApiClient(CoreV1Api);
    const list = async () => {
      const pods = await core.listNamespacedPod({ namespace });
      return { metadata: pods.metadata ?? {}, items: pods.items.map(deps.map) };
    };
    this.informer = new ListWatch<T>(`/api/v1/namespaces/${namespace}/pods`, new MappedPodWatch(kubeConfig, deps.map), list, false);
    this.informer.on('connect', () => (this.healthy = true));
    keepReconnectsPrompt(this.informer, this.clock);
    this.informer.on('error', (err: unknown) => {
      this.healthy = false;
      this.lastError = err;
      if (this.stopped || this.initialising || !this.running) return;
      this.logger.warn('pod watch interrupted; restarting', { namespace, error: String(err), retryInMs: this.delayMs });
      this.scheduleRestart();
    });
  }

  /**
   * Lists the pods on the first call and starts watching; later calls return at once.
   * @throws an error naming the namespace when the first list or watch fails (the next call tries again).
   */
  async ready(): Promise<void> {
    if (this.running) return;
    this.starting ??= this.start().finally(() => (this.starting = undefined));
    await this.starting;
  }

  private async start(): Promise<void> {
    this.stopped = false;
    this.initialising = true;
    try {
      // Resolves once the list is in and the watch connected; failures arrive through the 'error' handler.
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

  /** True while the pod list is current: listed, and the watch not broken. */
  synced(): boolean {
    return this.running && this.healthy;
  }

  /** The cached pods of the namespace. */
  list(): readonly T[] {
    return this.informer.list(this.namespace);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.running = false;
    this.timer?.cancel();
    await this.informer.stop();
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
