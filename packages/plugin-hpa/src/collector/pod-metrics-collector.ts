import { silentLogger, systemClock, type CollectContext, type Clock, type Logger, type MetricCollector, type TargetInfo } from '@ebb/core';
import { Metrics, type KubeConfig, type PodMetricsList } from '@kubernetes/client-node';
import { POD_METRICS_SNAPSHOT, type PodMetricsSnapshot, type PodSample, type PodUsage } from '../pod-metrics-snapshot.ts';
import { matchesSelector } from './pod-info.ts';
import { byNamespace, WatchedNamespaces } from './watched-namespaces.ts';
import { podUsage } from './pod-usage.ts';

/** Id of the collector. */
export const POD_METRICS_COLLECTOR_ID = 'metrics-k8s-io';

/** Options of {@link createPodMetricsCollector}. */
export interface PodMetricsCollectorOptions {
  /** Credentials for metrics.k8s.io and the pod watch (`list`/`watch` pods, `list` pods.metrics.k8s.io). */
  readonly kubeConfig: KubeConfig;
  /**
   * Cadence of the rounds in ms (default 15 000, the HPA controller's sync period; metrics-server refreshes its
   * samples every 15 s by default, so rounds more often than that mostly read the same samples).
   */
  readonly intervalMs?: number;
  /** Snapshot name to publish under (default {@link POD_METRICS_SNAPSHOT}); must match the plugin's. */
  readonly snapshotName?: string;
  /** Longest wait for one namespace's PodMetrics, ms (default: the interval). */
  readonly requestTimeoutMs?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

/**
 * Settles like `work`, unless `signal` aborts first (rejects with its reason) or `timeoutMs` pass on `clock`
 * (rejects with an error naming `what`). The work itself is not cancelled: client-node's calls take no signal.
 */
function bounded<T>(work: Promise<T>, signal: AbortSignal, clock: Clock, timeoutMs: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = clock.setTimeout(() => reject(new Error(`${what} took longer than ${timeoutMs} ms`)), timeoutMs);
    const onAbort = () => reject(signal.reason instanceof Error ? signal.reason : new Error(`${what} aborted`));
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => {
      timer.cancel();
      signal.removeEventListener('abort', onAbort);
    });
  });
}

/**
 * The `metrics.k8s.io` collector: each round, for every namespace with targets, one PodMetrics list (not one per
 * target) joined with the pods of a watched cache (no other request per round), published per target as the
 * {@link PodMetricsSnapshot} `pods`: every pod the target's selector matches, with phase, readiness, deletion
 * mark, start time, requests and its sample (absent for pods metrics.k8s.io has no complete sample of; samples of
 * pods outside the selection are dropped).
 *
 * Failure is never zero: when a namespace's PodMetrics cannot be read (metrics-server down, APIService
 * unavailable, timeout) or its pod watch is broken, its targets get no snapshot that round and a
 * `MetricSink.fail`; the plugin's age limit then turns a lasting failure into "no data" (which blocks
 * scale-down). A target whose Deployment has no `matchLabels` fails the same way.
 */
export function createPodMetricsCollector(options: PodMetricsCollectorOptions): MetricCollector {
  const intervalMs = options.intervalMs ?? 15_000;
  const timeoutMs = options.requestTimeoutMs ?? intervalMs;
  const snapshotName = options.snapshotName ?? POD_METRICS_SNAPSHOT;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const metrics = new Metrics(options.kubeConfig);
  const watched = new WatchedNamespaces({ kubeConfig: options.kubeConfig, clock, logger });

  async function collectNamespace(namespace: string, targets: readonly TargetInfo[], ctx: CollectContext): Promise<void> {
    const fail = (error: unknown): void => targets.forEach((t) => ctx.sink.fail(t.key, snapshotName, error));
    const pods = watched.podsOf(namespace);
    let list: PodMetricsList;
    try {
      const [metricsList] = await Promise.all([
        bounded(metrics.getPodMetrics(namespace), ctx.signal, clock, timeoutMs, `PodMetrics of namespace ${namespace}`),
        bounded(pods.ready(), ctx.signal, clock, timeoutMs, `pod list of namespace ${namespace}`),
      ]);
      if (!pods.synced()) throw new Error(`the pod watch of namespace ${namespace} is broken; pods may be stale`);
      list = metricsList;
    } catch (error) {
      logger.warn('pod metrics round failed', { collector: POD_METRICS_COLLECTOR_ID, namespace, error: error instanceof Error ? error.message : String(error) });
      fail(error);
      return;
    }
    const usage = new Map<string, PodUsage>();
    for (const item of list.items ?? []) {
      const sample = podUsage(item);
      if (sample && item.metadata?.name) usage.set(item.metadata.name, sample);
    }
    const all = pods.list();
    for (const target of targets) {
      if (Object.keys(target.selector).length === 0) {
        ctx.sink.fail(target.key, snapshotName, new Error(`${target.key} has no matchLabels selector; its pods cannot be found`));
        continue;
      }
      const selected: PodSample[] = [];
      for (const pod of all) {
        if (!matchesSelector(pod.metadata.labels, target.selector)) continue;
        const sample = usage.get(pod.metadata.name);
        selected.push(sample ? { ...pod.info, usage: sample } : pod.info);
      }
      const value: PodMetricsSnapshot = { pods: selected };
      ctx.sink.snapshot(target.key, snapshotName, value, ctx.nowMs);
    }
  }

  return {
    id: POD_METRICS_COLLECTOR_ID,
    provides: [snapshotName],
    intervalMs,
    async collect(ctx) {
      const groups = byNamespace(ctx.targets);
      // Stop watching namespaces that no longer have a target (a returning one is listed again).
      await watched.retain(groups);
      await Promise.all([...groups].map(([namespace, targets]) => collectNamespace(namespace, targets, ctx)));
    },
    close: () => watched.close(),
  };
}
