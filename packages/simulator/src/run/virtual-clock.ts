import type { Clock, TimerHandle } from '@ebb/core';
import { MinHeap } from '../model/min-heap.ts';

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
  private readonly heap = new MinHeap<Timer>(earlier);

  /** @param startMs initial time, ms since the epoch */
  constructor(startMs: number) {
    this.nowMs = startMs;
  }

  now(): number {
    return this.nowMs;
  }

  setTimeout(fn: () => void, delayMs: number): TimerHandle {
    const timer: Timer = { dueMs: this.nowMs + Math.max(0, delayMs), id: this.nextId++, fn, cancelled: false };
    this.heap.push(timer);
    return { cancel: () => void (timer.cancelled = true) };
  }

  /** Due time of the next live timer, ms; Infinity when none. */
  nextDueMs(): number {
    this.dropCancelled();
    return this.heap.peek()?.dueMs ?? Infinity;
  }

  /** Moves time to the next live timer's due time and fires it; false when there is none. */
  runNext(): boolean {
    this.dropCancelled();
    const timer = this.heap.pop();
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
    return this.heap.values().filter((t) => !t.cancelled).length;
  }

  private dropCancelled(): void {
    while (this.heap.peek()?.cancelled) this.heap.pop();
  }
}

function earlier(a: Timer, b: Timer): boolean {
  return a.dueMs < b.dueMs || (a.dueMs === b.dueMs && a.id < b.id);
}
