/**
 * A step function of time (a count that holds until it changes: ready pods, replicas) summarised per fixed
 * bucket as its maximum, for charts. Buckets cover `[startMs + i x bucketMs, startMs + (i + 1) x bucketMs)`;
 * the value at the start of a bucket (carried over) counts for it.
 * Example: bucket 60 s, 0 until 30 s, then 3 until 90 s, then 1 -> buckets [3, 3, 1, ...].
 */
export class StepSeries {
  readonly startMs: number;
  readonly bucketMs: number;
  readonly max: Float64Array;
  private value = 0;
  private bucket = 0;

  /** @param buckets number of buckets; times at or after the last bucket's end are ignored. */
  constructor(startMs: number, bucketMs: number, buckets: number) {
    this.startMs = startMs;
    this.bucketMs = bucketMs;
    this.max = new Float64Array(buckets);
  }

  /** The value changes to `value` at `timeMs` (non-decreasing times). */
  set(timeMs: number, value: number): void {
    this.advance(timeMs);
    this.value = value;
    if (this.bucket < this.max.length && value > this.max[this.bucket]!) this.max[this.bucket] = value;
  }

  /** Current value. */
  get current(): number {
    return this.value;
  }

  /** Carries the current value into every bucket up to the one containing `timeMs`. */
  advance(timeMs: number): void {
    const b = Math.min(this.max.length, Math.floor((timeMs - this.startMs) / this.bucketMs));
    while (this.bucket < b) {
      this.bucket++;
      if (this.bucket < this.max.length && this.value > this.max[this.bucket]!) this.max[this.bucket] = this.value;
    }
  }
}

/** Counts of point events (cold starts) per bucket. */
export class CountSeries {
  readonly startMs: number;
  readonly bucketMs: number;
  readonly counts: Float64Array;

  constructor(startMs: number, bucketMs: number, buckets: number) {
    this.startMs = startMs;
    this.bucketMs = bucketMs;
    this.counts = new Float64Array(buckets);
  }

  add(timeMs: number, n = 1): void {
    const b = Math.floor((timeMs - this.startMs) / this.bucketMs);
    if (b >= 0 && b < this.counts.length) this.counts[b] = this.counts[b]! + n;
  }
}
