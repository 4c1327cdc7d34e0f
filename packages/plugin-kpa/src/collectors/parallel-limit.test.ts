import { describe, expect, it } from 'vitest';
import { parallelLimit } from './parallel-limit.ts';

describe('parallelLimit', () => {
  it.each([1, 3, 10])('runs at most %i tasks at once, all of them, and passes results and errors through', async (max) => {
    const limit = parallelLimit(max);
    let running = 0;
    let most = 0;
    const tasks = Array.from({ length: 25 }, (_, i) =>
      limit(async () => {
        most = Math.max(most, ++running);
        await new Promise((r) => setTimeout(r, 1 + (i % 3)));
        running--;
        if (i === 7) throw new Error('task 7');
        return i;
      }),
    );
    const settled = await Promise.allSettled(tasks);
    expect(most).toBe(max);
    expect(settled.filter((s) => s.status === 'fulfilled').map((s) => (s as PromiseFulfilledResult<number>).value)).toHaveLength(24);
    expect((settled[7] as PromiseRejectedResult).reason).toEqual(new Error('task 7'));
  });
});
