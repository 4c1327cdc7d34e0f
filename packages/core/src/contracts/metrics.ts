import type { TargetKey } from './target.ts';
import type { TargetInfo } from './target.ts';

/** Name of a numeric metric kept in per-target windows, e.g. `concurrency`, `rps`, `cpu`. */
export type MetricName = string;

/** Well-known metric names shared by collectors and plugins. */
export const Metrics = {
  /** Average in-flight requests across the target (sum over pods), sampled once per second. */
  concurrency: 'concurrency',
  /** Requests per second arriving at the target. */
  rps: 'rps',
} as const;

/**
 * Read-only view of one metric's per-second buckets for one target. Seconds in which no sample was recorded
 * (a collector failure, or no collector yet) are gaps: they are skipped, never read as zero.
 */
export interface WindowView {
  /**
   * Linear average of the per-second values over `(nowMs - windowMs, nowMs]`, over the seconds that have data;
   * undefined when no second in the window has data.
   */
  average(nowMs: number, windowMs: number): number | undefined;
  /**
   * Weighted-exponential average over the window as Knative defines it (newer seconds weigh more);
   * undefined when no second in the window has data.
   */
  weightedAverage(nowMs: number, windowMs: number): number | undefined;
  /** Max per-second value in the window; undefined when no data. */
  max(nowMs: number, windowMs: number): number | undefined;
  /** Time (ms) of the newest sample, or undefined. */
  lastSampleMs(): number | undefined;
}

/** A structured value a collector publishes for a target (for example the pods with their CPU usage). */
export interface Snapshot<T = unknown> {
  readonly timeMs: number;
  readonly value: T;
}

/** Everything a plugin may read about a target's metrics. */
export interface MetricsView {
  /** The metric's window, or undefined when nothing was ever recorded for it. */
  window(metric: MetricName): WindowView | undefined;
  /** The newest snapshot under `name`, or undefined. */
  snapshot<T>(name: string): Snapshot<T> | undefined;
}

/** How a plugin asks the store to keep a metric for a target: at least `retentionMs` of history. */
export interface MetricNeed {
  readonly metric: MetricName;
  readonly retentionMs: number;
}

/** Where collectors write. */
export interface MetricSink {
  /** Adds `value` to the target's window for `metric`, in the 1 s bucket of `timeMs`. */
  record(target: TargetKey, metric: MetricName, value: number, timeMs: number): void;
  /** Replaces the target's snapshot under `name`. */
  snapshot(target: TargetKey, name: string, value: unknown, timeMs: number): void;
  /** Reports that `metric` could not be collected for `target` this round (counted, never recorded as 0). */
  fail(target: TargetKey, metric: MetricName, error: unknown): void;
}

/** What one collection round receives. */
export interface CollectContext {
  readonly nowMs: number;
  /** The targets this collector serves (those whose policies need one of its metrics). */
  readonly targets: readonly TargetInfo[];
  readonly sink: MetricSink;
  /** Aborted when the scaler shuts down or the round overruns its interval. */
  readonly signal: AbortSignal;
}

/**
 * A metric collector: runs on its own cadence and records samples into per-target windows. A collector that
 * throws fails the whole round for all its targets; use {@link MetricSink.fail} for one target.
 */
export interface MetricCollector {
  /** Unique id, e.g. `gateway-stats`, `metrics-k8s-io`. */
  readonly id: string;
  /** Metric (and snapshot) names this collector provides. */
  readonly provides: readonly MetricName[];
  /** Cadence in ms (Knative scrapes every 1000 ms). */
  readonly intervalMs: number;
  collect(ctx: CollectContext): Promise<void>;
  /** Releases watches, sockets and timers. */
  close?(): Promise<void>;
}
