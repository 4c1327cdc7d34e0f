import type { Clock, TimerHandle } from '../contracts/clock.ts';
import type { MetricCollector, MetricSink } from '../contracts/metrics.ts';
import type { Logger, LoopObserver } from '../contracts/observe.ts';
import type { TargetInfo } from '../contracts/target.ts';

/** Dependencies of {@link CollectorRunner}. */
export interface CollectorRunnerDeps {
  readonly clock: Clock;
  readonly collectors: readonly MetricCollector[];
  readonly sink: MetricSink;
  /** Targets that need at least one of `metrics`. */
  readonly targetsNeeding: (metrics: readonly string[]) => readonly TargetInfo[];
  readonly logger: Logger;
  readonly observer: LoopObserver;
}

/**
 * Runs each collector on its own cadence. A round that is still running when the next is due is not overlapped:
 * the next round starts after it ends. A round that takes longer than its interval is aborted through its
 * AbortSignal. A failed round is logged and counted; nothing is recorded for it (a failure is never a zero).
 */
export class CollectorRunner {
  private readonly timers = new Map<string, TimerHandle>();
  private readonly controllers = new Set<AbortController>();
  private running = false;
  private readonly deps: CollectorRunnerDeps;

  constructor(deps: CollectorRunnerDeps) {
    this.deps = deps;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    for (const c of this.deps.collectors) this.schedule(c, 0);
  }

  async stop(): Promise<void> {
    this.running = false;
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
    for (const c of this.controllers) c.abort();
    await Promise.all(this.deps.collectors.map((c) => c.close?.()));
  }

  /** Runs one round of `collector` now (also used by tests). */
  async runOnce(collector: MetricCollector): Promise<void> {
    const targets = this.deps.targetsNeeding(collector.provides);
    if (!targets.length) return;
    const controller = new AbortController();
    this.controllers.add(controller);
    const overrun = this.deps.clock.setTimeout(() => controller.abort(new Error(`collector ${collector.id} overran ${collector.intervalMs} ms`)), collector.intervalMs * 2);
    try {
      await collector.collect({ nowMs: this.deps.clock.now(), targets, sink: this.deps.sink, signal: controller.signal });
    } catch (e) {
      this.deps.observer.collectorError(collector.id);
      this.deps.logger.warn('collector round failed', { collector: collector.id, error: e instanceof Error ? e.message : String(e) });
    } finally {
      overrun.cancel();
      this.controllers.delete(controller);
    }
  }

  private schedule(collector: MetricCollector, delayMs: number): void {
    this.timers.set(
      collector.id,
      this.deps.clock.setTimeout(async () => {
        if (!this.running) return;
        const started = this.deps.clock.now();
        await this.runOnce(collector);
        if (!this.running) return;
        const elapsed = this.deps.clock.now() - started;
        this.schedule(collector, Math.max(0, collector.intervalMs - elapsed));
      }, delayMs),
    );
  }
}
