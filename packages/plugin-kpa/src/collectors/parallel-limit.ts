/** Runs async work with at most `max` tasks at once; the others wait in arrival order. */
export type ParallelLimit = <T>(task: () => Promise<T>) => Promise<T>;

/**
 * Creates a {@link ParallelLimit}: a collector with thousands of targets sends at most `max` requests at once.
 * @param max tasks running at once, >= 1.
 */
export function parallelLimit(max: number): ParallelLimit {
  let running = 0;
  const waiting: Array<() => void> = [];
  const release = (): void => {
    running--;
    const next = waiting.shift();
    if (next) {
      running++;
      next();
    }
  };
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (running < max) running++;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      release();
    }
  };
}
