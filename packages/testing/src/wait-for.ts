import { setTimeout as sleep } from 'node:timers/promises';

/** Options of {@link waitFor}. */
export interface WaitForOptions {
  /** Give up after this long, in milliseconds. Default 30 000. */
  readonly timeoutMs?: number;
  /** Pause between attempts, in milliseconds. Default 100. */
  readonly intervalMs?: number;
  /** What is awaited, for the timeout message (for example `"3 ready pods in ns/app"`). */
  readonly description?: string;
  /** Stops waiting early; `waitFor` then rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

/** Thrown by {@link waitFor} when the deadline passes; names what was awaited and the last observation. */
export class WaitTimeoutError extends Error {
  override readonly name = 'WaitTimeoutError';
  /** Milliseconds waited. */
  readonly timeoutMs: number;
  /** The last error `fn` threw, if any. */
  readonly lastError: unknown;

  constructor(description: string, timeoutMs: number, lastError: unknown, lastValue: unknown) {
    const last =
      lastError !== undefined
        ? `; last error: ${lastError instanceof Error ? lastError.message : String(lastError)}`
        : `; last result: ${JSON.stringify(lastValue)}`;
    super(`timed out after ${timeoutMs} ms waiting for ${description}${last}`);
    this.timeoutMs = timeoutMs;
    this.lastError = lastError;
  }
}

/**
 * Calls `fn` until it returns something other than `undefined`, `null` or `false`, and returns that value.
 * A throw from `fn` counts as "not yet" (and is reported if the deadline passes). Throws
 * {@link WaitTimeoutError} after `timeoutMs`.
 *
 * @example
 * const pod = await waitFor(async () => (await listPods()).find(isPodReady), { timeoutMs: 10_000 });
 */
export async function waitFor<T>(
  fn: () => T | Promise<T>,
  options: WaitForOptions = {},
): Promise<Exclude<T, undefined | null | false>> {
  const { timeoutMs = 30_000, intervalMs = 100, description = 'the condition', signal } = options;
  const deadline = performance.now() + timeoutMs;
  let lastError: unknown;
  let lastValue: unknown;
  for (;;) {
    signal?.throwIfAborted();
    try {
      const value = await fn();
      if (value !== undefined && value !== null && value !== false) return value as Exclude<T, undefined | null | false>;
      lastValue = value;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    const left = deadline - performance.now();
    if (left <= 0) throw new WaitTimeoutError(description, timeoutMs, lastError, lastValue);
    try {
      await sleep(Math.min(intervalMs, left), undefined, signal ? { signal } : undefined);
    } catch (error) {
      signal?.throwIfAborted(); // the caller's reason, not a generic AbortError
      throw error;
    }
  }
}
