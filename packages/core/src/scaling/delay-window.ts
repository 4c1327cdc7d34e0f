/**
 * The scale-down delay window (Knative's `max.TimeWindow` in pkg/autoscaler/aggregation/max): the highest
 * desired count recorded during the last `delayMs`, kept as explicit, serialisable state.
 */

/** One recorded desired count. */
export interface DelayEntry {
  /** When it was recorded, in ms since the epoch. */
  readonly timeMs: number;
  readonly replicas: number;
}

/**
 * Records `replicas` at `nowMs` and returns the new window, whose first entry is the max over
 * `(nowMs - delayMs, nowMs]`. Entries keep strictly descending counts (an older count that is not higher than
 * a newer one can never be the max again: the "descending maxima" of Knative's window), so the window stays
 * small. Entries are dropped by the `delayMs` given now, so a shorter delay takes effect at once.
 *
 * Worked example, delay 60 s: 10 at t=0 s, then 2 at every tick -> the max stays 10 until t=58 s and becomes 2
 * at t=60 s (an entry counts while `now - time < delay`).
 */
export function recordDelay(entries: readonly DelayEntry[], nowMs: number, replicas: number, delayMs: number): DelayEntry[] {
  const kept = entries.filter((e) => nowMs - e.timeMs < delayMs && e.replicas > replicas);
  kept.push({ timeMs: nowMs, replicas });
  return kept;
}

/** True when `x` is a well-formed delay window (for state read back from storage). */
export function isDelayWindow(x: unknown): x is DelayEntry[] {
  return (
    Array.isArray(x) &&
    x.every((e: unknown) => {
      const entry = e as Partial<DelayEntry> | null;
      return typeof entry === 'object' && entry !== null && Number.isFinite(entry.timeMs) && Number.isFinite(entry.replicas);
    })
  );
}
