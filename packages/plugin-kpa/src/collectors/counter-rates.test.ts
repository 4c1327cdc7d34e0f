import { describe, expect, it } from 'vitest';
import { CounterRates } from './counter-rates.ts';

describe('CounterRates', () => {
  it.each([
    { name: 'first reading gives no rate', steps: [[100, 0]], want: [undefined] },
    { name: 'increase over the interval', steps: [[100, 0], [130, 1500]], want: [undefined, 20] },
    { name: 'a counter that went down restarted: its increase is its new value', steps: [[100, 0], [130, 1500], [5, 2500]], want: [undefined, 20, 5] },
    { name: 'no change is a rate of zero', steps: [[100, 0], [100, 1000]], want: [undefined, 0] },
    { name: 'a reading older than the limit is stale: no rate, but the new one counts next time', steps: [[100, 0], [200, 10_001], [210, 11_001]], want: [undefined, undefined, 10] },
    { name: 'a reading at the limit still counts', steps: [[100, 0], [200, 10_000]], want: [undefined, 10] },
    { name: 'a reading not later than the previous one is ignored', steps: [[100, 1000], [150, 1000], [160, 2000]], want: [undefined, undefined, 60] },
  ])('$name', ({ steps, want }) => {
    const rates = new CounterRates(10_000);
    expect(steps.map(([value, atMs]) => rates.update('pod-a', value as number, atMs as number))).toEqual(want);
  });

  it('keeps pods apart and forgets the ones not retained', () => {
    const rates = new CounterRates(10_000);
    rates.update('a', 10, 0);
    rates.update('b', 50, 0);
    expect(rates.update('a', 20, 1000)).toBe(10);
    rates.retain(new Set(['a']));
    expect(rates.size()).toBe(1);
    expect(rates.update('b', 60, 2000)).toBeUndefined();
  });
});
