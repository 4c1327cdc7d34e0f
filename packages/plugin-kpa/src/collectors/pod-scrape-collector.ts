import { Metrics, silentLogger, systemClock, type Clock, type CollectContext, type Logger, type MetricCollector, type TargetInfo } from '@ebb/core';
import type { KubeConfig } from '@kubernetes/client-node';
import type { KpaConfig } from '../kpa-config.ts';
import { CounterRates } from './counter-rates.ts';
import type { KpaConfigLookup } from './kpa-config-lookup.ts';
import { parallelLimit } from './parallel-limit.ts';
import type { PodLister } from './pod-lister.ts';
import { resolvePodScrapeOptions, type PodScrapeOptions } from './pod-scrape-options.ts';
import { selectPods } from './pod-selection.ts';
import { scrapePod } from './scrape-pod.ts';
import { scrapeSample, type PodReading } from './scrape-sample.ts';
import { WatchedPods } from './watched-pods.ts';

/** Id of the pod-scraping collector. */
export const POD_SCRAPE_COLLECTOR_ID = 'kpa-pods';

/** Options of {@link createPodScrapeCollector}: the settings plus where pods and target configs come from. */
export interface PodScrapeCollectorOptions extends PodScrapeOptions {
  /** Finds each target's KPA config (metric, source, stable window); the plugin passes its own. */
  readonly configOf: KpaConfigLookup;
  /** Credentials to watch pods (`list`, `watch` pods); used when `pods` is not given. */
  readonly kubeConfig?: KubeConfig;
  /** Where ready pods come from (default: a pod informer per namespace, from `kubeConfig`). */
  readonly pods?: PodLister;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Uniform random numbers in [0, 1) for the sample (default `Math.random`). */
  readonly random?: () => number;
}

/** What the collector remembers of one target between rounds. */
interface TargetMemory {
  readonly rates: CounterRates;
  /** The pods sampled last round (kept in the sample while counters are read). */
  sample: ReadonlySet<string>;
  failing: boolean;
}

/**
 * The pod-scraping collector, Knative's way: every second, for each KPA target whose metric source is `pods`, read
 * the target's ready pods from a pod informer (filtered by the target's selector; no LIST per round), sample them
 * as Knative does (95 % confidence, 5 % error, at most 16 pods, young pods only as backup), read each sampled
 * pod's Prometheus page and record the sample's mean times the ready pods as the target's `concurrency` (in-flight
 * gauge) or `rps` (a per-second gauge, or a counter's increase since the previous scrape of the same pod).
 * Example: 20 ready pods, sample 9 with in-flight summing to 36 -> concurrency 36 / 9 x 20 = 80.
 *
 * A failure is never a zero: when fewer pods than the sample size answer, or the pod watch is broken, nothing is
 * recorded and the target gets `MetricSink.fail`. A target with no ready pod gets nothing either (as Knative).
 * The first round of a counter, and pods with only stale readings, give no `rps` sample that second.
 */
export function createPodScrapeCollector(options: PodScrapeCollectorOptions): MetricCollector {
  const { value: s, problems } = resolvePodScrapeOptions(pickSettings(options), 'pod-scraping options');
  if (problems.length) throw new TypeError(problems.join('; '));
  if (!options.pods && !options.kubeConfig) throw new TypeError('createPodScrapeCollector needs kubeConfig (or pods)');
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const random = options.random ?? Math.random;
  const pods: PodLister = options.pods ?? new WatchedPods({ kubeConfig: options.kubeConfig as KubeConfig, clock, logger });
  const limit = parallelLimit(s.maxParallelScrapes);
  const memory = new Map<string, TargetMemory>();
  const endpoint = { port: s.port, path: s.path, timeoutMs: s.timeoutMs };
  const counting = s.requestsMetricType === 'counter';

  async function collectTarget(target: TargetInfo, config: KpaConfig, ctx: CollectContext): Promise<void> {
    const metric = config.metric;
    const mem = memory.get(target.key) ?? { rates: new CounterRates(s.maxRateIntervalMs), sample: new Set<string>(), failing: false };
    memory.set(target.key, mem);
    const fail = (error: Error): void => {
      ctx.sink.fail(target.key, metric, error);
      if (!mem.failing) logger.warn('pod scrape failed', { collector: POD_SCRAPE_COLLECTOR_ID, target: target.key, metric, error: error.message });
      mem.failing = true;
    };
    if (Object.keys(target.selector).length === 0) return fail(new Error(`${target.key} has no matchLabels selector; its pods cannot be found`));
    let ready;
    try {
      ready = await untilAborted(pods.readyPods(target.ref.namespace, target.selector), ctx.signal);
    } catch (error) {
      return fail(error instanceof Error ? error : new Error(String(error)));
    }
    const readsCounter = metric === Metrics.rps && counting;
    if (readsCounter) mem.rates.retain(new Set(ready.map((p) => p.name)));
    if (ready.length === 0) return;
    const selection = selectPods({
      pods: ready,
      nowMs: ctx.nowMs,
      youngPodCutoffMs: config.stableWindowMs,
      keep: readsCounter ? mem.sample : new Set(),
      random,
    });
    const name = metric === Metrics.concurrency ? s.inFlightMetric : s.requestsMetric;
    const names = new Set([name]);
    const outcome = await scrapeSample(selection, (pod) =>
      limit(async () => {
        const totals = await scrapePod(pod, endpoint, names, ctx.signal);
        return { value: totals.get(name)?.sum ?? 0, atMs: clock.now() };
      }),
    );
    if (!outcome.ok) {
      const first = outcome.errors[0];
      return fail(new Error(`only ${outcome.answered} of ${selection.sampleSize} sampled pods answered (${ready.length} ready): ${first instanceof Error ? first.message : String(first)}`));
    }
    if (mem.failing) logger.info('pod scrape recovered', { collector: POD_SCRAPE_COLLECTOR_ID, target: target.key, metric });
    mem.failing = false;
    mem.sample = new Set(outcome.readings.map((r) => r.pod.name));
    const value = readsCounter ? counterEstimate(outcome.readings, mem.rates, selection.total) : meanTimes(outcome.readings.map((r) => r.value.value), selection.total);
    if (value !== undefined) ctx.sink.record(target.key, metric, value, ctx.nowMs);
  }

  return {
    id: POD_SCRAPE_COLLECTOR_ID,
    provides: [Metrics.concurrency, Metrics.rps],
    intervalMs: s.intervalMs,
    async collect(ctx) {
      const served: Array<[TargetInfo, KpaConfig]> = [];
      for (const t of ctx.targets) {
        const config = options.configOf(t);
        if (config?.metricSource === 'pods') served.push([t, config]);
      }
      const keys = new Set(served.map(([t]) => t.key));
      for (const key of [...memory.keys()]) if (!keys.has(key)) memory.delete(key);
      await pods.retain(new Set(served.map(([t]) => t.ref.namespace)));
      await Promise.all(served.map(([t, c]) => collectTarget(t, c, ctx)));
    },
    close: () => pods.close(),
  };
}

/**
 * Settles like `work`, or rejects with the signal's reason once `signal` aborts (the round overran or the scaler
 * stops): a first pod LIST that hangs must not hold the round forever. The work itself goes on.
 */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason instanceof Error ? signal.reason : new Error('collection aborted'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason instanceof Error ? signal.reason : new Error('collection aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Mean of `values` extrapolated to `total` pods: 36 over 9 pods, 20 ready -> 80. */
function meanTimes(values: readonly number[], total: number): number {
  return (values.reduce((a, b) => a + b, 0) / values.length) * total;
}

/** Mean per-pod rate over the sampled pods that have one, times the ready pods; undefined when none has one yet. */
function counterEstimate(readings: readonly PodReading<{ value: number; atMs: number }>[], rates: CounterRates, total: number): number | undefined {
  const perPod: number[] = [];
  for (const r of readings) {
    const rate = rates.update(r.pod.name, r.value.value, r.value.atMs);
    if (rate !== undefined) perPod.push(rate);
  }
  return perPod.length ? meanTimes(perPod, total) : undefined;
}

/** The settings part of the options (what `resolvePodScrapeOptions` checks). */
function pickSettings(o: PodScrapeCollectorOptions): PodScrapeOptions {
  const { configOf: _c, kubeConfig: _k, pods: _p, clock: _cl, logger: _l, random: _r, ...settings } = o;
  return settings;
}
