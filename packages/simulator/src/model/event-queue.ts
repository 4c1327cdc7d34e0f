import { MinHeap } from './min-heap.ts';

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
 * The pending {@link ModelEvent}s in a min-heap ordered by (timeMs, seq); the heap holds only what is pending
 * (each function's next arrival, running requests, starting pods, queued requests' timeouts).
 */
export class EventQueue {
  private readonly heap = new MinHeap<ModelEvent>(before);
  private seq = 0;

  get size(): number {
    return this.heap.size;
  }

  /** Time of the earliest event, or Infinity when empty. */
  peekTime(): number {
    return this.heap.peek()?.timeMs ?? Infinity;
  }

  push(timeMs: number, kind: ModelEventKind, target: number, ref: number, pod = -1): void {
    this.heap.push({ timeMs, seq: this.seq++, kind, target, ref, pod });
  }

  /** Removes and returns the earliest event; undefined when empty. */
  pop(): ModelEvent | undefined {
    return this.heap.pop();
  }
}

function before(a: ModelEvent, b: ModelEvent): boolean {
  return a.timeMs < b.timeMs || (a.timeMs === b.timeMs && a.seq < b.seq);
}
