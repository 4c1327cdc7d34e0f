import { AZURE_DURATION_PERCENTILES, AZURE_KEY_COLUMNS } from './azure-functions-reader.ts';
import { createRandom, type Random } from './seeded-random.ts';

/** Options of {@link azureFleetCsv}. */
export interface AzureFleetOptions {
  /** Number of functions (rows), >= 1. */
  readonly functions: number;
  readonly seed: number;
  /** Minutes (columns minute_1..), default 1440 (a day). */
  readonly minutes?: number;
}

/** The two tables of the Azure Functions 2019 format. */
export interface AzureFleetTables {
  /** `-inv.csv`: HashFunction, HashApp, HashOwner, minute_1..minute_N. */
  readonly inv: string;
  /** `-run.csv`: the same keys, Count, Average, Minimum, Maximum and the duration percentiles (ms). */
  readonly run: string;
}

/** Kinds of functions in a fleet and their share, roughly as Shahrad et al. (ATC 2020) describe the Azure fleet. */
const KINDS = [
  ['rare', 0.4], // a few invocations a day at random minutes
  ['timer', 0.25], // one invocation every 5..60 minutes
  ['sparse', 0.2], // Poisson, 0.02..0.5 a minute
  ['diurnal', 0.13], // Poisson following the day, peak 0.5..20 a minute
  ['busy', 0.02], // Poisson following the day, peak 20..120 a minute
] as const;

/**
 * A synthetic fleet in the Azure Functions 2019 per-minute format, to measure the simulator on hundreds or
 * thousands of functions where no such public day ships: most functions are idle most of the day (rare calls,
 * timers), a few are busy, as in the Azure trace. Deterministic for a seed; each function has its own stream.
 * Durations: a median drawn between 50 ms and 5 s (log-uniform), the other percentiles as fixed ratios of it.
 * Example: `azureFleetCsv({ functions: 1000, seed: 1 })` -> 1,000 rows of 1,440 minutes.
 */
export function azureFleetCsv(o: AzureFleetOptions): AzureFleetTables {
  const minutes = o.minutes ?? 1440;
  const inv = [[...AZURE_KEY_COLUMNS.slice().reverse(), ...Array.from({ length: minutes }, (_, m) => `minute_${m + 1}`)].join(',')];
  const run = [[...AZURE_KEY_COLUMNS.slice().reverse(), 'Count', 'Average', 'Minimum', 'Maximum', ...AZURE_DURATION_PERCENTILES.map(([c]) => c)].join(',')];
  for (let f = 0; f < o.functions; f++) {
    const rng = createRandom(o.seed).fork(`fleet:${f}`);
    const hash = (label: string): string => Array.from({ length: 8 }, () => Math.floor(rng.next() * 2 ** 32).toString(16).padStart(8, '0')).join('') + label;
    const keys = [hash(''), hash(''), hash('')];
    const counts = countsOf(kindOf(rng.next()), rng, minutes);
    inv.push([...keys, ...counts].join(','));
    const median = Math.exp(rng.uniform(Math.log(50), Math.log(5000)));
    const points = [0.2, 0.3, 0.7, 1, 1.4, 4, 8].map((r) => Math.round(median * r));
    const total = counts.reduce((n, c) => n + c, 0);
    run.push([...keys, total, Math.round(median * 1.2), points[0], points[6], ...points].join(','));
  }
  return { inv: `${inv.join('\n')}\n`, run: `${run.join('\n')}\n` };
}

function kindOf(u: number): (typeof KINDS)[number][0] {
  let acc = 0;
  for (const [kind, share] of KINDS) {
    acc += share;
    if (u < acc) return kind;
  }
  return 'rare';
}

/** Requests per minute of one function of `kind`. */
function countsOf(kind: (typeof KINDS)[number][0], rng: Random, minutes: number): number[] {
  const counts = new Array<number>(minutes).fill(0);
  const day = (m: number, peak: number, peakHour: number): number => peak * (0.1 + 0.9 * (1 + Math.cos((2 * Math.PI * (m / 60 - peakHour)) / 24)) / 2);
  switch (kind) {
    case 'rare': {
      const n = 1 + Math.floor(rng.next() * 12);
      for (let i = 0; i < n; i++) counts[Math.floor(rng.next() * minutes)]! += 1;
      break;
    }
    case 'timer': {
      const every = [5, 10, 15, 30, 60][Math.floor(rng.next() * 5)]!;
      for (let m = Math.floor(rng.next() * every); m < minutes; m += every) counts[m] = 1;
      break;
    }
    case 'sparse': {
      const rate = rng.uniform(0.02, 0.5);
      for (let m = 0; m < minutes; m++) counts[m] = poisson(rate, rng);
      break;
    }
    default: {
      const peak = kind === 'busy' ? rng.uniform(20, 120) : rng.uniform(0.5, 20);
      const peakHour = rng.uniform(8, 20);
      for (let m = 0; m < minutes; m++) counts[m] = poisson(day(m, peak, peakHour), rng);
    }
  }
  return counts;
}

/** A Poisson draw of mean `mean` (Knuth's product method; mean <= 200 here). */
function poisson(mean: number, rng: Random): number {
  const limit = Math.exp(-mean);
  let k = 0;
  let p = rng.next();
  while (p > limit) {
    k++;
    p *= rng.next();
  }
  return k;
}
