import { ANNOTATION_PREFIX, silentLogger, systemClock, type CollectContext, type Clock, type Logger, type MetricCollector, type TargetInfo } from '@ebb/core';
import type { KubeConfig } from '@kubernetes/client-node';
import { customMetricId, type CustomMetric } from '../custom-metric.ts';
import { CUSTOM_METRICS_SNAPSHOT, type CustomMetricReading, type CustomMetricsSnapshot } from '../custom-metrics-snapshot.ts';
import { createHpaConfigSchema } from '../hpa-schema.ts';
import { apiResourceMapper } from './api-resources.ts';
import { readCustomMetric } from './metrics-api-readers.ts';
import type { HpaPrometheusOptions } from './promql-readers.ts';
import { matchesSelector } from './pod-info.ts';
import { byNamespace, WatchedNamespaces } from './watched-namespaces.ts';

/** Id of the collector. */
export const CUSTOM_METRICS_COLLECTOR_ID = 'custom-metrics-k8s-io';

/** Options of {@link createCustomMetricsCollector}. */
export interface CustomMetricsCollectorOptions {
  /**
   * Credentials for the metrics APIs and the pod watch (`get` on custom.metrics.k8s.io and external.metrics.k8s.io
   * resources, `list`/`watch` pods, discovery).
   */
  readonly kubeConfig: KubeConfig;
  /** Cadence of the rounds in ms (default 15 000, the HPA controller's sync period). */
  readonly intervalMs?: number;
  /** Snapshot name to publish under (default {@link CUSTOM_METRICS_SNAPSHOT}); must match the plugin's. */
  readonly snapshotName?: string;
  /** Longest wait for one target's readings, ms (default: the interval). */
  readonly requestTimeoutMs?: number;
  /** The Prometheus server of metrics with a PromQL `query` (Ebb's extension of Pods and External metrics). */
  readonly prometheus?: HpaPrometheusOptions;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

/** The Pods, Object and External metrics of a target's `ebb.dev/hpa.metrics`, cached per annotations object. */
function customMetricsLookup(): (target: TargetInfo) => readonly CustomMetric[] {
  const schema = createHpaConfigSchema();
  const cache = new WeakMap<object, readonly CustomMetric[]>();
  return (target) => {
    let metrics = cache.get(target.annotations);
    if (metrics === undefined) {
      const parsed = schema.parse(target.annotations, `${ANNOTATION_PREFIX}hpa.`);
      metrics = parsed.ok ? (parsed.value.metrics?.custom ?? []) : [];
      cache.set(target.annotations, metrics);
    }
    return metrics;
  };
}

const selectorText = (selector: Readonly<Record<string, string>>): string =>
  Object.entries(selector)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');

/**
 * The `custom.metrics.k8s.io` / `external.metrics.k8s.io` collector: each round, for every target whose
 * `ebb.dev/hpa.metrics` has Pods, Object or External metrics, one request per metric (as the HPA controller's
 * metrics client makes them) and the target's pods from a watched cache, published per target as the
 * {@link CustomMetricsSnapshot}. A metric that cannot be read gets a reading with its error (the plugin treats it
 * as an invalid metric, never as zero); a broken pod watch or a target without `matchLabels` gets
 * `MetricSink.fail` and no snapshot.
 */
export function createCustomMetricsCollector(options: CustomMetricsCollectorOptions): MetricCollector {
  const intervalMs = options.intervalMs ?? 15_000;
  const timeoutMs = options.requestTimeoutMs ?? intervalMs;
  const snapshotName = options.snapshotName ?? CUSTOM_METRICS_SNAPSHOT;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const kc = options.kubeConfig;
  const metricsOf = customMetricsLookup();
  const resourceOf = apiResourceMapper(kc);
  const watched = new WatchedNamespaces({ kubeConfig: kc, clock, logger });

  async function collectTarget(target: TargetInfo, pods: ReturnType<typeof watched.podsOf>, ctx: CollectContext): Promise<void> {
    if (Object.keys(target.selector).length === 0) {
      ctx.sink.fail(target.key, snapshotName, new Error(`${target.key} has no matchLabels selector; its pods cannot be found`));
      return;
    }
    const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(timeoutMs)]);
    const read = {
      kc,
      namespace: target.ref.namespace,
      targetName: target.ref.name,
      podSelector: selectorText(target.selector),
      signal,
      resourceOf: (o: Parameters<typeof resourceOf>[0]) => resourceOf(o, signal),
      prometheus: options.prometheus,
    };
    const readings: Record<string, CustomMetricReading> = {};
    await Promise.all(
      metricsOf(target).map(async (metric) => {
        const reading = await readCustomMetric(read, metric);
        if (!reading.ok) logger.warn('custom metric read failed', { collector: CUSTOM_METRICS_COLLECTOR_ID, target: target.key, error: reading.error });
        readings[customMetricId(metric)] = reading;
      }),
    );
    const selected = pods.list().filter((p) => matchesSelector(p.metadata.labels, target.selector));
    const value: CustomMetricsSnapshot = { pods: selected.map((p) => p.info), readings };
    ctx.sink.snapshot(target.key, snapshotName, value, ctx.nowMs);
  }

  async function collectNamespace(namespace: string, targets: readonly TargetInfo[], ctx: CollectContext): Promise<void> {
    const pods = watched.podsOf(namespace);
    let timer: { cancel(): void } | undefined;
    try {
      await Promise.race([
        pods.ready(),
        new Promise((_, reject) => {
          timer = clock.setTimeout(() => reject(new Error(`pod list of namespace ${namespace} took longer than ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
      timer?.cancel();
      if (!pods.synced()) throw new Error(`the pod watch of namespace ${namespace} is broken; pods may be stale`);
    } catch (error) {
      timer?.cancel();
      logger.warn('custom metrics round failed', { collector: CUSTOM_METRICS_COLLECTOR_ID, namespace, error: error instanceof Error ? error.message : String(error) });
      targets.forEach((t) => ctx.sink.fail(t.key, snapshotName, error));
      return;
    }
    await Promise.all(targets.map((t) => collectTarget(t, pods, ctx)));
  }

  return {
    id: CUSTOM_METRICS_COLLECTOR_ID,
    provides: [snapshotName],
    intervalMs,
    async collect(ctx) {
      const groups = byNamespace(ctx.targets.filter((t) => metricsOf(t).length > 0));
      // Stop watching namespaces that no longer have a target (a returning one is listed again).
      await watched.retain(groups);
      await Promise.all([...groups].map(([namespace, targets]) => collectNamespace(namespace, targets, ctx)));
    },
    close: () => watched.close(),
  };
}
