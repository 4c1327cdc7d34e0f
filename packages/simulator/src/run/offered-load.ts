import { StepSeries } from '../model/step-series.ts';
import type { TraceFunction } from '../trace/trace.ts';

/**
 * The offered load of a function: requests that would be in flight if every request started on arrival (no
 * waiting), as its maximum per bucket. It depends only on the trace, so every configuration is drawn against the
 * same demand. Example: requests at 0 s (2 s long) and 1 s (2 s long), 60 s buckets -> 2 in the first bucket.
 */
export function offeredLoad(fn: TraceFunction, startMs: number, bucketMs: number, buckets: number): Float64Array {
  const n = fn.arrivalsMs.length;
  const ends = Float64Array.from(fn.arrivalsMs, (a, i) => a + fn.durationsMs[i]!).sort();
  const series = new StepSeries(startMs, bucketMs, buckets);
  let level = 0;
  let j = 0;
  for (let i = 0; i < n; i++) {
    const a = fn.arrivalsMs[i]!;
    while (j < n && ends[j]! <= a) {
      level--;
      series.set(ends[j++]!, level);
    }
    level++;
    series.set(a, level);
  }
  while (j < n) {
    level--;
    series.set(ends[j++]!, level);
  }
  series.advance(startMs + buckets * bucketMs);
  return series.max;
}
