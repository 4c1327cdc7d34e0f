/** Kinds of modelled events. */
export type ModelEventKind = 'arrival' | 'complete' | 'ready' | 'timeout';

/** One modelled event: at `timeMs`, of `kind`, for target index `target`, with a request or pod index `ref`. */
export interface ModelEvent {
  readonly timeMs: number;
  /** Insertion order: ties in time are handled in the order they were scheduled (deterministic). */
  readonly seq: number;
  readonly kind: ModelEventKind;
  readonly target: number;
  /** Request index for arrival/complete/timeout; pod id for ready. */
  readonly ref: number;
  /** Pod id for complete; unused otherwise. */
  readonly pod: number;
}

/**
 * A binary min-heap of {@link ModelEvent}s ordered by (timeMs, seq). O(log n) push and pop; the heap holds only
 * what is pending (each function's next arrival, running requests, starting pods, queued requests' timeouts).
 */
export class EventQueue {
  private readonly heap: ModelEvent[] = [];
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  /** Time of the earliest event, or Infinity when empty. */
  peekTime(): number {
    return this.heap[0]?.timeMs ?? Infinity;
  }

  push(timeMs: number, kind: ModelEventKind, target: number, ref: number, pod = -1): void {
    const h = this.heap;
    const e: ModelEvent = { timeMs, seq: this.seq++, kind, target, ref, pod };
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(e, h[p]!)) break;
      h[i] = h[p]!;
      i = p;
    }
    h[i] = e;
  }

  /** Removes and returns the earliest event; undefined when empty. */
  pop(): ModelEvent | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (top === undefined || last === undefined || h.length === 0) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= h.length) break;
      const r = l + 1;
      const c = r < h.length && before(h[r]!, h[l]!) ? r : l;
      if (!before(h[c]!, last)) break;
      h[i] = h[c]!;
      i = c;
    }
    h[i] = last;
    return top;
  }
}

function before(a: ModelEvent, b: ModelEvent): boolean {
  return a.timeMs < b.timeMs || (a.timeMs === b.timeMs && a.seq < b.seq);
}
