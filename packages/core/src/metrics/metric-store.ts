import type { MetricName, MetricNeed, MetricSink, MetricsView, Snapshot, WindowView } from '../contracts/metrics.ts';
import type { TargetKey } from '../contracts/target.ts';
import { MetricWindow } from './metric-window.ts';

/** Options of {@link MetricStore}. */
export interface MetricStoreOptions {
  /** Retention (ms) of a metric recorded for a target without a registered need; default 60000 (Knative's stable window). */
  readonly defaultRetentionMs?: number;
}

/** How often collecting one metric failed for one target, for the metrics endpoint. */
export interface FailureCount {
  readonly target: TargetKey;
  readonly metric: MetricName;
  /** Failures since the target was first seen (a monotonic counter until {@link MetricStore.forget}). */
  readonly count: number;
  /** Message of the newest failure. */
  readonly lastError: string;
}

/** One metric of one target: the retention asked for (undefined: no need registered) and its window, once recorded. */
interface MetricSlot {
  readonly metric: MetricName;
  needMs: number | undefined;
  window: MetricWindow | undefined;
}

interface TargetMetrics {
  /** A target has one or two metrics: a short list costs less than two Maps (about 170 bytes each) and reads as fast. */
  readonly slots: MetricSlot[];
  /** Created on the first snapshot / failure: most targets never have either (a Map costs ~170 bytes). */
  snapshots?: Map<string, Snapshot>;
  failures?: Map<MetricName, { count: number; lastError: string }>;
}

/**
 * Per-target metric windows: where collectors write ({@link MetricSink}) and what plugins read
 * ({@link MetricStore.view}). A window is created on the first sample, with the largest retention registered for
 * that metric through {@link MetricStore.need} (or the default). A failure is counted, never recorded: the
 * window keeps a gap for that second. A non-finite value is counted as a failure too.
 */
export class MetricStore implements MetricSink {
  private readonly targets = new Map<TargetKey, TargetMetrics>();
  private readonly defaultRetentionMs: number;

  constructor(options: MetricStoreOptions = {}) {
    this.defaultRetentionMs = options.defaultRetentionMs ?? 60_000;
  }

  /** Asks the store to keep at least `need.retentionMs` of `need.metric` for `target`; retention only grows. */
  need(target: TargetKey, need: MetricNeed): void {
    const slot = slotOf(this.entry(target), need.metric);
    const retentionMs = Math.max(slot.needMs ?? 0, need.retentionMs);
    slot.needMs = retentionMs;
    if (slot.window && slot.window.retentionMs < retentionMs) slot.window.resize(retentionMs);
  }

  /**
   * Replaces every need of `target` (for a config change that shortens windows): windows are resized to the new
   * retention; windows of metrics no longer needed are dropped.
   */
  setNeeds(target: TargetKey, needs: readonly MetricNeed[]): void {
    const t = this.entry(target);
    for (const slot of t.slots) slot.needMs = undefined;
    for (const n of needs) {
      const slot = slotOf(t, n.metric);
      slot.needMs = Math.max(slot.needMs ?? 0, n.retentionMs);
    }
    for (let i = t.slots.length - 1; i >= 0; i--) {
      const slot = t.slots[i] as MetricSlot;
      if (slot.needMs === undefined) t.slots.splice(i, 1);
      else slot.window?.resize(slot.needMs);
    }
  }

  record(target: TargetKey, metric: MetricName, value: number, timeMs: number): void {
    if (!Number.isFinite(value)) {
      this.fail(target, metric, new Error(`non-finite sample ${value}`));
      return;
    }
    const slot = slotOf(this.entry(target), metric);
    (slot.window ??= new MetricWindow(slot.needMs ?? this.defaultRetentionMs)).record(value, timeMs);
  }

  snapshot(target: TargetKey, name: string, value: unknown, timeMs: number): void {
    const t = this.entry(target);
    (t.snapshots ??= new Map()).set(name, { timeMs, value });
  }

  fail(target: TargetKey, metric: MetricName, error: unknown): void {
    const t = this.entry(target);
    const failures = (t.failures ??= new Map());
    const lastError = error instanceof Error ? error.message : String(error);
    const f = failures.get(metric);
    if (f) {
      f.count++;
      f.lastError = lastError;
    } else failures.set(metric, { count: 1, lastError });
  }

  /**
   * The read-only view plugins get for `target`. It reads the store live: a sample recorded after the view was
   * made is visible, and a forgotten target reads as empty.
   */
  view(target: TargetKey): MetricsView {
    return {
      window: (metric: MetricName): WindowView | undefined => {
        const t = this.targets.get(target);
        return t && findSlot(t, metric)?.window;
      },
      snapshot: <T>(name: string): Snapshot<T> | undefined => this.targets.get(target)?.snapshots?.get(name) as Snapshot<T> | undefined,
    };
  }

  /** Drops everything kept for `target` (windows, needs, snapshots, failure counters), when it goes away. */
  forget(target: TargetKey): void {
    this.targets.delete(target);
  }

  /** Failures counted for `target`'s `metric` (0 when none). */
  failureCount(target: TargetKey, metric: MetricName): number {
    return this.targets.get(target)?.failures?.get(metric)?.count ?? 0;
  }

  /** Every failure counter, sorted by target then metric. */
  failureCounts(): FailureCount[] {
    const out: FailureCount[] = [];
    for (const [target, t] of this.targets) {
      for (const [metric, f] of t.failures ?? []) out.push({ target, metric, count: f.count, lastError: f.lastError });
    }
    return out.sort((a, b) => a.target.localeCompare(b.target) || a.metric.localeCompare(b.metric));
  }

  /** The retention (ms) a new window of `metric` for `target` gets: the largest need, or the default. */
  retentionMs(target: TargetKey, metric: MetricName): number {
    const t = this.targets.get(target);
    return (t && findSlot(t, metric)?.needMs) ?? this.defaultRetentionMs;
  }

  /** Keys of the targets the store holds anything for. */
  targetKeys(): TargetKey[] {
    return [...this.targets.keys()];
  }

  private entry(target: TargetKey): TargetMetrics {
    let t = this.targets.get(target);
    if (!t) {
      t = { slots: [] };
      this.targets.set(target, t);
    }
    return t;
  }
}

function findSlot(t: TargetMetrics, metric: MetricName): MetricSlot | undefined {
  for (const slot of t.slots) if (slot.metric === metric) return slot;
  return undefined;
}

function slotOf(t: TargetMetrics, metric: MetricName): MetricSlot {
  let slot = findSlot(t, metric);
  if (!slot) {
    slot = { metric, needMs: undefined, window: undefined };
    t.slots.push(slot);
  }
  return slot;
}
