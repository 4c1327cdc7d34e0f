import type { Clock, TimerHandle } from '../contracts/clock.ts';
import type { TargetKey } from '../contracts/target.ts';

/**
 * FNV-1a 32-bit hash of a string: stable across processes, so a target keeps its slot (and its shard) after a
 * restart. Example: fnv1a('a') = 0xe40c292c.
 */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Spreads targets' periodic ticks over the interval so that thousands of targets never tick at the same instant:
 * the interval is cut into `slots` equal slots and each target is put in slot `fnv1a(key) % slots`. One timer
 * per slot; with the default 2000 ms and 20 slots a target ticks every 2 s, 100 ms apart from the next slot.
 * Example: 10,000 targets -> about 500 per slot, one slot every 100 ms.
 */
export class TickScheduler {
  private readonly slots: Array<Set<TargetKey>>;
  private readonly slotMs: number;
  private readonly clock: Clock;
  private readonly onTick: (keys: readonly TargetKey[]) => void;
  private timer: TimerHandle | undefined;
  private running = false;

  /**
   * @param options.intervalMs period of each target's tick (ms)
   * @param options.slots number of slots the interval is cut into (default 20; at most intervalMs)
   * @param options.onTick called with the keys of the slot that is due
   */
  constructor(options: { clock: Clock; intervalMs: number; slots?: number; onTick: (keys: readonly TargetKey[]) => void }) {
    const n = Math.max(1, Math.min(options.slots ?? 20, Math.floor(options.intervalMs)));
    this.slots = Array.from({ length: n }, () => new Set<TargetKey>());
    this.slotMs = Math.max(1, Math.floor(options.intervalMs / n));
    this.clock = options.clock;
    this.onTick = options.onTick;
  }

  /** The slot a key ticks in. */
  slotOf(key: TargetKey): number {
    return fnv1a(key) % this.slots.length;
  }

  add(key: TargetKey): void {
    this.slots[this.slotOf(key)]!.add(key);
  }

  remove(key: TargetKey): void {
    this.slots[this.slotOf(key)]!.delete(key);
  }

  /** Number of targets scheduled. */
  size(): number {
    return this.slots.reduce((n, s) => n + s.size, 0);
  }

  /** Starts firing slots at boundaries aligned to the clock (slot i is due when floor(now/slotMs) % n == i). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.armNext();
  }

  stop(): void {
    this.running = false;
    this.timer?.cancel();
    this.timer = undefined;
  }

  private armNext(): void {
    const now = this.clock.now();
    const boundary = (Math.floor(now / this.slotMs) + 1) * this.slotMs;
    this.timer = this.clock.setTimeout(() => this.fire(boundary), boundary - now);
  }

  private fire(boundaryMs: number): void {
    if (!this.running) return;
    this.armNext();
    const keys = [...this.slots[Math.floor(boundaryMs / this.slotMs) % this.slots.length]!];
    if (keys.length) this.onTick(keys);
  }
}
