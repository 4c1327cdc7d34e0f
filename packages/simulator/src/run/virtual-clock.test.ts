import { describe, expect, it } from 'vitest';
import { VirtualClock } from './virtual-clock.ts';

describe('VirtualClock', () => {
  it('fires timers in due order, ties in creation order, and shows the next due time', () => {
    const clock = new VirtualClock(1000);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('b@1500'), 500);
    clock.setTimeout(() => fired.push('a@1200'), 200);
    clock.setTimeout(() => fired.push('c@1500'), 500);
    const cancelled = clock.setTimeout(() => fired.push('x'), 100);
    cancelled.cancel();
    expect(clock.nextDueMs()).toBe(1200);
    expect(clock.runNext()).toBe(true);
    expect([clock.now(), fired]).toEqual([1200, ['a@1200']]);
    clock.advanceTo(2000);
    expect([clock.now(), fired]).toEqual([2000, ['a@1200', 'b@1500', 'c@1500']]);
    expect([clock.nextDueMs(), clock.runNext(), clock.pendingTimers()]).toEqual([Infinity, false, 0]);
  });

  it('fires a timer set by a firing timer in the same advance when it is due by then, and never goes back', () => {
    const clock = new VirtualClock(0);
    const at: number[] = [];
    clock.setTimeout(() => {
      at.push(clock.now());
      clock.setTimeout(() => at.push(clock.now()), 10);
    }, 5);
    clock.advanceTo(100);
    clock.advanceTo(50);
    expect([at, clock.now()]).toEqual([[5, 15], 100]);
  });
});
