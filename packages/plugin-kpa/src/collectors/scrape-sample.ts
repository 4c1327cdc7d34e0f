import type { PodSelection, ScrapePod } from './pod-selection.ts';

/** One pod that answered, with what was read from it. */
export interface PodReading<T> {
  readonly pod: ScrapePod;
  readonly value: T;
}

/** The outcome of {@link scrapeSample}. */
export type SampleOutcome<T> =
  /** Exactly `sampleSize` pods answered. */
  | { readonly ok: true; readonly readings: readonly PodReading<T>[] }
  /** Fewer pods than the sample size answered: too few for an estimate (Knative's "pods exhausted"). */
  | { readonly ok: false; readonly answered: number; readonly errors: readonly unknown[] };

/**
 * Scrapes a sample the way Knative's `scrapePods` does: `sampleSize` workers take pods from `order` one after the
 * other; a worker whose pod fails moves on to the next untried pod (the backups at the end of `order`), and stops
 * at its first success. The sample is complete only when every worker succeeded.
 * Example: sample 3 of order [a, b, c, d], b refuses -> readings of a, c, d; b and d refusing -> incomplete.
 */
export async function scrapeSample<T>(selection: PodSelection, read: (pod: ScrapePod) => Promise<T>): Promise<SampleOutcome<T>> {
  const { order, sampleSize } = selection;
  const readings: PodReading<T>[] = [];
  const errors: unknown[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < order.length) {
      const pod = order[next++] as ScrapePod;
      try {
        readings.push({ pod, value: await read(pod) });
        return;
      } catch (error) {
        errors.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: sampleSize }, worker));
  return readings.length >= sampleSize ? { ok: true, readings } : { ok: false, answered: readings.length, errors };
}
