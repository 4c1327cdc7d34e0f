import type { ConfigurationResult } from './results.ts';

/** The warm-up at the start of every run, ms: every function starts from its initial pods (default none). */
export const WARMUP_MS = 5 * 60_000;

/** What happened in the warm-up of one configuration's run. */
export interface WarmupFigures {
  /** Length of the warm-up, ms ({@link WARMUP_MS}). */
  readonly spanMs: number;
  /** Highest sum of spec.replicas over functions at one moment within the warm-up. */
  readonly maxReplicas: number;
  /** The same after the warm-up. */
  readonly maxReplicasAfter: number;
  /** Cold starts within the warm-up (over all functions). */
  readonly coldStarts: number;
}

/**
 * Warnings for configurations whose result the start from (near) zero dominates: the highest pod count of the
 * warm-up is more than twice (and at least 5 pods above) the highest afterwards, or more than half of the cold
 * starts (at least 10) fall in the warm-up. Only for runs at least four warm-ups long.
 * Example: 962 pods at most in the first 5 minutes against 208 afterwards -> one warning naming both.
 */
export function warmupWarnings(configurations: readonly ConfigurationResult[], initialReplicas: number, spanMs: number): string[] {
  if (spanMs < 4 * WARMUP_MS) return [];
  const start = `every function starts with ${initialReplicas} pod${initialReplicas === 1 ? '' : 's'}`;
  const remedy = 'start from more pods (--initial-replicas N) or leave the first minutes out of the comparison';
  const out: string[] = [];
  for (const c of configurations) {
    const w = c.warmup;
    const minutes = Math.round(w.spanMs / 60_000);
    if (w.maxReplicas > 2 * w.maxReplicasAfter && w.maxReplicas - w.maxReplicasAfter >= 5) {
      out.push(
        `${c.name}: max pods ${w.maxReplicas} in the first ${minutes} minutes against ${w.maxReplicasAfter} afterwards: ${start}, so the requests ` +
          `of the first minutes queue and the scale-up that catches up sets max pods; ${remedy}`,
      );
    }
    const cold = c.total.coldStarts;
    if (w.coldStarts >= 10 && w.coldStarts > cold / 2) {
      out.push(`${c.name}: ${w.coldStarts} of the ${cold} cold starts fall in the first ${minutes} minutes (${start}); ${remedy}`);
    }
  }
  return out;
}
