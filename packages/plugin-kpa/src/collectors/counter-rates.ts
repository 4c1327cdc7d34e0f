/** One reading of a pod's request counter. */
interface Reading {
  readonly value: number;
  readonly atMs: number;
}

/**
 * Per-pod request rates from a monotonic counter: the increase between two readings of the same pod over the time
 * between them. A counter that went down restarted (the container restarted): its increase is its new value, as
 * Prometheus' `rate` counts it. A previous reading older than `maxIntervalMs` is stale: it gives no rate (the
 * reading is kept for the next round), so a pod seen again after a long gap is not credited with an average over
 * that gap.
 */
export class CounterRates {
  private readonly readings = new Map<string, Reading>();
  private readonly maxIntervalMs: number;

  /** @param maxIntervalMs longest time between two readings that still gives a rate, ms (> 0). */
  constructor(maxIntervalMs: number) {
    this.maxIntervalMs = maxIntervalMs;
  }

  /**
   * Records `value` of `pod`'s counter read at `atMs` and returns its rate in requests per second since the
   * previous reading, or undefined without a usable previous reading (first sight, stale, or not later).
   * Example: 100 at t=0 s, then 130 at t=1.5 s -> 20 req/s; then 5 at t=2.5 s (restart) -> 5 req/s.
   */
  update(pod: string, value: number, atMs: number): number | undefined {
    const before = this.readings.get(pod);
    if (before && atMs <= before.atMs) return undefined;
    this.readings.set(pod, { value, atMs });
    if (!before || atMs - before.atMs > this.maxIntervalMs) return undefined;
    const increase = value >= before.value ? value - before.value : value;
    return increase / ((atMs - before.atMs) / 1000);
  }

  /** Forgets the readings of pods not in `pods` (gone, or no longer ready). */
  retain(pods: ReadonlySet<string>): void {
    for (const name of this.readings.keys()) if (!pods.has(name)) this.readings.delete(name);
  }

  /** Pods with a reading. */
  size(): number {
    return this.readings.size;
  }
}
