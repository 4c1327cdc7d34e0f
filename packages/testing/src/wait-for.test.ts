import { describe, expect, it } from 'vitest';
import { waitFor, WaitTimeoutError } from './wait-for.ts';

describe('waitFor', () => {
  it.each([
    { name: 'a truthy value at once', results: [42], expected: 42 },
    { name: 'zero, which is a value', results: [0], expected: 0 },
    { name: 'the first value after undefined, null and false', results: [undefined, null, false, 'ok'], expected: 'ok' },
  ])('returns $name', async ({ results, expected }) => {
    let call = 0;
    await expect(waitFor(() => results[Math.min(call++, results.length - 1)], { intervalMs: 1 })).resolves.toBe(expected);
  });

  it('treats a throw as "not yet"', async () => {
    let call = 0;
    const value = await waitFor(
      () => {
        if (call++ < 2) throw new Error('not ready');
        return 'done';
      },
      { intervalMs: 1 },
    );
    expect([value, call]).toEqual(['done', 3]);
  });

  it('times out with the description and the last error', async () => {
    const began = performance.now();
    const error = await waitFor(
      () => {
        throw new Error('connection refused');
      },
      { timeoutMs: 150, intervalMs: 20, description: 'the apiserver' },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect((error as Error).message).toBe('timed out after 150 ms waiting for the apiserver; last error: connection refused');
    expect(performance.now() - began).toBeGreaterThanOrEqual(140);
  });

  it('times out with the last result when nothing threw', async () => {
    await expect(waitFor(() => false, { timeoutMs: 50, intervalMs: 10, description: 'x' })).rejects.toThrow(
      'timed out after 50 ms waiting for x; last result: false',
    );
  });

  it('stops when its signal aborts', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('cancelled')), 30);
    await expect(waitFor(() => undefined, { timeoutMs: 5_000, signal: controller.signal })).rejects.toThrow('cancelled');
  });
});
