import { describe, expect, it } from 'vitest';
import { ManualClock } from '../contracts/clock.ts';
import { fnv1a, TickScheduler } from './tick-scheduler.ts';

describe('fnv1a', () => {
  it.each([
    ['', 0x811c9dc5],
    ['a', 0xe40c292c],
    ['foobar', 0xbf9cf968],
  ])('hashes %j to %i', (s, h) => expect(fnv1a(s)).toBe(h));
});

describe('TickScheduler', () => {
  it('ticks every target once per interval, spread over the slots', () => {
    const clock = new ManualClock(0);
    const ticks = new Map<string, number[]>();
    const batches: number[] = [];
    const s = new TickScheduler({
      clock,
      intervalMs: 2000,
      slots: 20,
      onTick: (keys) => {
        batches.push(keys.length);
        for (const k of keys) ticks.set(k, [...(ticks.get(k) ?? []), clock.now()]);
      },
    });
    const keys = Array.from({ length: 1000 }, (_, i) => `ns-${i % 7}/app-${i}`);
    keys.forEach((k) => s.add(k));
    s.start();
    clock.advance(6000);
    for (const k of keys) {
      const t = ticks.get(k)!;
      expect(t).toHaveLength(3);
      expect(t[1]! - t[0]!).toBe(2000);
      expect(t[0]! % 2000).toBe(((s.slotOf(k) * 100) % 2000));
    }
    // spread: no slot carries more than twice its fair share (1000 / 20 = 50)
    expect(Math.max(...batches)).toBeLessThanOrEqual(100);
    expect(batches.length).toBeGreaterThanOrEqual(57);
  });

  it('stops ticking removed targets and after stop()', () => {
    const clock = new ManualClock(0);
    const seen: string[] = [];
    const s = new TickScheduler({ clock, intervalMs: 1000, slots: 10, onTick: (keys) => seen.push(...keys) });
    s.add('a/x');
    s.add('a/y');
    s.start();
    clock.advance(1000);
    expect(seen.sort()).toEqual(['a/x', 'a/y']);
    s.remove('a/x');
    clock.advance(1000);
    expect(seen.filter((k) => k === 'a/x')).toHaveLength(1);
    expect(seen.filter((k) => k === 'a/y')).toHaveLength(2);
    s.stop();
    clock.advance(5000);
    expect(seen).toHaveLength(3);
    expect(clock.pendingTimers()).toBe(0);
  });
});
