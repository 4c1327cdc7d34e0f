import { createRandom, type Random } from './seeded-random.ts';
import type { Trace, TraceFunction } from './trace.ts';

/** Piecewise-constant Poisson traffic: `rps[i]` requests per second during the i-th step of `stepMs`. */
export interface StepsShape {
  readonly kind: 'steps';
  /** Mean requests per second of each step (>= 0); after the last step the last rate continues. */
  readonly rps: readonly number[];
  /** Length of each step, ms (> 0). */
  readonly stepMs: number;
}

/** Idle traffic with bursts: `size` requests every `everyMs`, the first at `firstMs`, spread over `spreadMs`. */
export interface BurstsShape {
  readonly kind: 'bursts';
  /** Requests per burst (integer >= 1). */
  readonly size: number;
  /** Time between burst starts, ms (> 0). */
  readonly everyMs: number;
  /** Offset of the first burst from the start, ms (>= 0); default 0. */
  readonly firstMs?: number;
  /** Requests of a burst arrive uniformly within this many ms (>= 0); 0 = all at once. Default 0. */
  readonly spreadMs?: number;
}

/**
 * Poisson traffic whose rate follows the day: `troughRps + (peakRps - troughRps) x (1 + cos(2π (h - peakHour) / 24)) / 2`
 * where `h` is the UTC hour of day (fractional). Example: peak 20 at 14:00, trough 1 -> 10.5 req/s at 08:00.
 */
export interface DiurnalShape {
  readonly kind: 'diurnal';
  readonly peakRps: number;
  readonly troughRps: number;
  /** UTC hour of the peak, 0..24. */
  readonly peakHour: number;
}

/** A synthetic traffic shape. */
export type SyntheticShape = StepsShape | BurstsShape | DiurnalShape;

/** Options of {@link syntheticTrace}. */
export interface SyntheticOptions {
  readonly shape: SyntheticShape;
  /** Span start, ms since the epoch (whole second). */
  readonly startMs: number;
  /** Span length, ms (> 0). */
  readonly spanMs: number;
  readonly seed: number;
  /** Number of functions with this shape (each its own random stream); default 1. */
  readonly functions?: number;
  /** Mean request duration, ms (> 0); default 1000. */
  readonly durationMs?: number;
  /** Durations are uniform in `durationMs x (1 ± durationJitter)`, 0..1; default 0 (all equal). */
  readonly durationJitter?: number;
  readonly name?: string;
}

/**
 * Generates a trace from a shape: steps, bursts, or a diurnal cycle. Seeded: the same options give the same
 * requests. Function ids are `<kind>-1`, `<kind>-2`, ...
 */
export function syntheticTrace(o: SyntheticOptions): Trace {
  const count = o.functions ?? 1;
  const endMs = o.startMs + o.spanMs;
  const functions: TraceFunction[] = [];
  for (let i = 1; i <= count; i++) {
    const id = `${o.shape.kind}-${i}`;
    const rng = createRandom(o.seed).fork(`synthetic:${id}`);
    const arrivals = arrivalsOf(o.shape, o.startMs, endMs, rng).filter((t) => t < endMs);
    const mean = o.durationMs ?? 1000;
    const jitter = o.durationJitter ?? 0;
    const durationsMs = Float64Array.from(arrivals, () => Math.max(1, mean * (1 + jitter * rng.uniform(-1, 1))));
    functions.push({ id, label: id, arrivalsMs: Float64Array.from(arrivals), durationsMs });
  }
  return { name: o.name ?? `synthetic-${o.shape.kind}`, source: `synthetic ${describeShape(o.shape)}`, startMs: o.startMs, endMs, functions };
}

/** One line describing a shape, for reports. */
export function describeShape(s: SyntheticShape): string {
  switch (s.kind) {
    case 'steps':
      return `steps of ${s.stepMs / 1000}s at ${s.rps.join(', ')} req/s`;
    case 'bursts':
      return `bursts of ${s.size} every ${s.everyMs / 1000}s`;
    case 'diurnal':
      return `diurnal ${s.troughRps}..${s.peakRps} req/s, peak at ${s.peakHour}:00 UTC`;
  }
}

function arrivalsOf(shape: SyntheticShape, startMs: number, endMs: number, rng: Random): number[] {
  const out: number[] = [];
  switch (shape.kind) {
    case 'steps': {
      let t = startMs;
      for (let i = 0; t < endMs; i++) {
        const rate = (shape.rps[Math.min(i, shape.rps.length - 1)] ?? 0) / 1000;
        const stepEnd = i >= shape.rps.length - 1 ? endMs : Math.min(endMs, t + shape.stepMs);
        for (let a = t + rng.exponentialMs(rate); a < stepEnd; a += rng.exponentialMs(rate)) out.push(a);
        t = stepEnd;
      }
      return out;
    }
    case 'bursts': {
      const spread = shape.spreadMs ?? 0;
      for (let b = startMs + (shape.firstMs ?? 0); b < endMs; b += shape.everyMs) {
        const burst = Array.from({ length: shape.size }, () => b + (spread > 0 ? rng.uniform(0, spread) : 0));
        out.push(...burst.sort((x, y) => x - y));
      }
      return out;
    }
    case 'diurnal': {
      // Thinning (Lewis & Shedler): candidates at the peak rate, each kept with probability rate(t) / peak.
      const peak = Math.max(shape.peakRps, shape.troughRps) / 1000;
      for (let a = startMs + rng.exponentialMs(peak); a < endMs; a += rng.exponentialMs(peak)) {
        if (rng.next() * peak < diurnalRps(shape, a) / 1000) out.push(a);
      }
      return out;
    }
  }
}

/** The diurnal rate at `timeMs`, req/s. */
export function diurnalRps(shape: DiurnalShape, timeMs: number): number {
  const hour = (((timeMs / 3_600_000) % 24) + 24) % 24;
  return shape.troughRps + ((shape.peakRps - shape.troughRps) * (1 + Math.cos((2 * Math.PI * (hour - shape.peakHour)) / 24))) / 2;
}
