import type { Clock, TimerHandle } from '@ebb/core';

interface Timer {
  readonly dueMs: number;
  readonly id: number;
  readonly fn: () => void;
  cancelled: boolean;
}

/**
 * The simulator's virtual clock: core's {@link Clock} contract (like `ManualClock`), with timers in a binary heap
 * and the next due time visible, so the driver can interleave the loop's timers with modelled events one by one
 * and let each tick's promise continuations run before time moves on. Timers fire in due order, ties in creation
 * order; a cancelled timer is dropped when it reaches the top. Time never goes backwards.
 */
export class VirtualClock implements Clock {
  private nowMs: number;
  private nextId = 0;
  private readonly heap: Timer[] = [];

  /** @param startMs initial time, ms since the epoch */
  constructor(startMs: number) {
    this.nowMs = startMs;
  }

  now(): number {
    return this.nowMs;
  }

  setTimeout(fn: () => void, delayMs: number): TimerHandle {
    const timer: Timer = { dueMs: this.nowMs + Math.max(0, delayMs), id: this.nextId++, fn, cancelled: false };
    this.push(timer);
    return { cancel: () => void (timer.cancelled = true) };
  }

  /** Due time of the next live timer, ms; Infinity when none. */
  nextDueMs(): number {
    this.dropCancelled();
    return this.heap[0]?.dueMs ?? Infinity;
  }

  /** Moves time to the next live timer's due time and fires it; false when there is none. */
  runNext(): boolean {
    this.dropCancelled();
    const timer = this.pop();
    if (!timer) return false;
    this.nowMs = Math.max(this.nowMs, timer.dueMs);
    timer.fn();
    return true;
  }

  /** Moves time forward to `ms` (never backwards), firing every timer due by then, in order. */
  advanceTo(ms: number): void {
    while (this.nextDueMs() <= ms) this.runNext();
    this.nowMs = Math.max(this.nowMs, ms);
  }

  /** Live timers pending. */
  pendingTimers(): number {
    return this.heap.filter((t) => !t.cancelled).length;
  }

  private dropCancelled(): void {
    while (this.heap[0]?.cancelled) this.pop();
  }

  private push(t: Timer): void {
    const h = this.heap;
    h.push(t);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!earlier(t, h[p]!)) break;
      h[i] = h[p]!;
      i = p;
    }
    h[i] = t;
  }

  private pop(): Timer | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (top === undefined || last === undefined || h.length === 0) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= h.length) break;
      const r = l + 1;
      const c = r < h.length && earlier(h[r]!, h[l]!) ? r : l;
      if (!earlier(h[c]!, last)) break;
      h[i] = h[c]!;
      i = c;
    }
    h[i] = last;
    return top;
  }
}

function earlier(a: Timer, b: Timer): boolean {
  return a.dueMs < b.dueMs || (a.dueMs === b.dueMs && a.id < b.id);
}
