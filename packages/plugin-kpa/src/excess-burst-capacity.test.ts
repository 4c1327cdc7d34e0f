import { describe, expect, it } from 'vitest';
import { excessBurstCapacity } from './excess-burst-capacity.ts';

describe('excessBurstCapacity', () => {
  it.each([
    { name: 'spare capacity left', tbc: 211, ready: 10, total: 100, panic: 500, want: 289 },
    { name: 'not enough capacity: negative, gateway stays in the path', tbc: 211, ready: 6, total: 100, panic: 500, want: -111 },
    { name: 'fractions floor towards minus infinity', tbc: 100, ready: 1, total: 10 / 0.75, panic: 50, want: -137 },
    { name: 'zero ready pods have no capacity', tbc: 10, ready: 0, total: 100, panic: 0, want: -10 },
    { name: 'burst capacity 0: always 0', tbc: 0, ready: 0, total: 100, panic: 1e6, want: 0 },
    { name: 'burst capacity -1: always -1', tbc: -1, ready: 1000, total: 100, panic: 0, want: -1 },
  ])('$name', ({ tbc, ready, total, panic, want }) => {
    expect(excessBurstCapacity(tbc, ready, total, panic)).toBe(want);
  });
});
