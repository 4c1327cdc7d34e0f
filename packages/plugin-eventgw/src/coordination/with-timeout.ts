import type { Clock, TimerHandle } from '@ebb/core';

/**
 * `promise`, or a rejection naming `what` after `timeoutMs` of `clock` (Kubernetes client calls have no timeout
 * of their own; a hung one must not stop a loop or a shutdown).
 */
export function withTimeout<T>(promise: Promise<T>, timeoutMs: number, clock: Clock, what: string): Promise<T> {
  let timer: TimerHandle | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = clock.setTimeout(() => reject(new Error(`${what}: no answer from the apiserver within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => timer?.cancel());
}
