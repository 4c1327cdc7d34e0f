/** A cancellable timer returned by {@link Clock.setTimeout}. */
export interface TimerHandle {
  cancel(): void;
}

/**
 * The only source of time in Ebb. Everything that needs "now" or a timer receives a Clock; nothing reads
 * `Date.now()` directly except {@link systemClock}. Times are milliseconds since the Unix epoch.
 */
export interface Clock {
  /** Current time in ms since the epoch. */
  now(): number;
  /** Runs `fn` once after `delayMs` (>= 0) milliseconds of this clock's time. */
  setTimeout(fn: () => void, delayMs: number): TimerHandle;
}

/** The real clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, delayMs) {
    const t = setTimeout(fn, Math.max(0, delayMs));
    t.unref?.();
    return { cancel: () => clearTimeout(t) };
  },
};

interface PendingTimer {
  readonly id: number;
  readonly dueMs: number;
  readonly fn: () => void;
}

/**
 * A clock moved by hand, for tests and the simulator. Timers fire in due order (ties in creation order) while
 * {@link ManualClock.advance} moves time forward; a timer scheduled by a firing timer fires in the same advance
 * when it is due by then.
 */
export class ManualClock implements Clock {
  private nowMs: number;
  private nextId = 0;
  private timers: PendingTimer[] = [];

  /** @param startMs initial time in ms since the epoch (default 2026-01-01T00:00:00Z). */
  constructor(startMs: number = Date.UTC(2026, 0, 1)) {
    this.nowMs = startMs;
  }

  now(): number {
    return this.nowMs;
  }

  setTimeout(fn: () => void, delayMs: number): TimerHandle {
    const timer: PendingTimer = { id: this.nextId++, dueMs: this.nowMs + Math.max(0, delayMs), fn };
    this.timers.push(timer);
    return { cancel: () => (this.timers = this.timers.filter((t) => t !== timer)) };
  }

  /** Moves time forward by `ms`, firing every timer that becomes due, in order. */
  advance(ms: number): void {
    this.advanceTo(this.nowMs + ms);
  }

  /** Moves time forward to `targetMs` (never backwards), firing due timers in order. */
  advanceTo(targetMs: number): void {
    for (;;) {
      const due = this.timers
        .filter((t) => t.dueMs <= targetMs)
        .sort((a, b) => a.dueMs - b.dueMs || a.id - b.id)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.nowMs = Math.max(this.nowMs, due.dueMs);
      due.fn();
    }
    this.nowMs = Math.max(this.nowMs, targetMs);
  }

  /** Number of timers not yet fired. */
  pendingTimers(): number {
    return this.timers.length;
  }
}
