import { describe, expect, it } from 'vitest';
import { CORE_VERSION, ManualClock } from './index.ts';

describe('ManualClock', () => {
  it('fires timers in due order while advancing, including timers scheduled by timers', () => {
    const clock = new ManualClock(1000);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push(`b@${clock.now()}`), 20);
    clock.setTimeout(() => {
      fired.push(`a@${clock.now()}`);
      clock.setTimeout(() => fired.push(`c@${clock.now()}`), 5);
    }, 10);
    const cancelled = clock.setTimeout(() => fired.push('never'), 15);
    cancelled.cancel();
    clock.advance(30);
    expect(fired).toEqual(['a@1010', 'c@1015', 'b@1020']);
    expect(clock.now()).toBe(1030);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('exports a semver core version', () => expect(CORE_VERSION).toMatch(/^\d+\.\d+\.\d+$/));
});
