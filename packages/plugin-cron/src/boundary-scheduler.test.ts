import { ManualClock, type Clock } from '@ebb/core';
import { describe, expect, it } from 'vitest';
import { MAX_SLEEP_MS, nextBoundaries, scheduleBoundaries } from './boundary-scheduler.ts';
import type { CronWindow } from './cron-window.ts';
import { recommendFloor } from './recommend-floor.ts';
import { at, iso, windows } from './test-support/windows.ts';

/** Runs the scheduler on a ManualClock from `fromIso` to `toIso` and returns the pokes as `time reason`. */
function pokes(ws: readonly CronWindow[], fromIso: string, toIso: string): string[] {
  const clock = new ManualClock(at(fromIso));
  const seen: string[] = [];
  const handle = scheduleBoundaries({ windows: ws, clock, poke: (reason) => seen.push(`${iso(clock.now())} ${reason}`) });
  clock.advanceTo(at(toIso));
  handle.dispose();
  return seen;
}

const officeHours = { name: 'office-hours', start: '0 9 * * 1-5', end: '0 19 * * 1-5', replicas: 20 };

describe('scheduleBoundaries with a ManualClock', () => {
  it.each([
    [
      'start and end of office hours (2026-01-05 is a Monday)',
      [officeHours],
      '2026-01-05T00:00:00Z',
      '2026-01-07T00:00:00Z',
      [
        '2026-01-05T09:00:00.000Z cron: office-hours starts',
        '2026-01-05T19:00:00.000Z cron: office-hours ends',
        '2026-01-06T09:00:00.000Z cron: office-hours starts',
        '2026-01-06T19:00:00.000Z cron: office-hours ends',
      ],
    ],
    [
      'lead time: at start minus lead',
      [{ ...officeHours, leadTime: '10m' }],
      '2026-01-05T00:00:00Z',
      '2026-01-06T00:00:00Z',
      ['2026-01-05T08:50:00.000Z cron: office-hours starts (lead 10m)', '2026-01-05T19:00:00.000Z cron: office-hours ends'],
    ],
    [
      'boundaries of two windows at one instant make one poke',
      [officeHours, { name: 'evening', start: '0 19 * * *', duration: '2h', replicas: 4 }],
      '2026-01-05T10:00:00Z',
      '2026-01-05T22:00:00Z',
      ['2026-01-05T19:00:00.000Z cron: office-hours ends; evening starts', '2026-01-05T21:00:00.000Z cron: evening ends'],
    ],
    [
      'a restart mid-window: the next poke is the end',
      [officeHours],
      '2026-01-05T14:00:00Z',
      '2026-01-05T20:00:00Z',
      ['2026-01-05T19:00:00.000Z cron: office-hours ends'],
    ],
    [
      'NY 02:30 for 1h on spring forward: 03:00 and 04:00 EDT',
      [{ name: 'w', start: '30 2 * * *', duration: '1h', timezone: 'America/New_York', replicas: 5 }],
      '2026-03-08T00:00:00Z',
      '2026-03-08T12:00:00Z',
      ['2026-03-08T07:00:00.000Z cron: w starts', '2026-03-08T08:00:00.000Z cron: w ends'],
    ],
    [
      'Berlin 01:00-04:00 on fall back: 4 hours',
      [{ name: 'w', start: '0 1 * * *', end: '0 4 * * *', timezone: 'Europe/Berlin', replicas: 5 }],
      '2026-10-24T12:00:00Z',
      '2026-10-25T12:00:00Z',
      ['2026-10-24T23:00:00.000Z cron: w starts', '2026-10-25T03:00:00.000Z cron: w ends'],
    ],
    [
      'a yearly window far away: reached in several sleeps, poked only at its boundaries',
      [{ name: 'new-year', start: '0 0 1 1 *', duration: '6h', replicas: 9 }],
      '2026-11-20T00:00:00Z',
      '2027-01-02T00:00:00Z',
      ['2027-01-01T00:00:00.000Z cron: new-year starts', '2027-01-01T06:00:00.000Z cron: new-year ends'],
    ],
    [
      'excluded dates are not poked',
      [{ ...officeHours, exclude: ['2026-01-05'] }],
      '2026-01-05T00:00:00Z',
      '2026-01-06T12:00:00Z',
      ['2026-01-06T09:00:00.000Z cron: office-hours starts'],
    ],
  ])('%s', (_name, items, from, to, expected) => {
    expect(pokes(windows(items), from, to)).toEqual(expected);
  });

  it('pokes exactly where the recommendation changes (a DST week, every 5 minutes)', () => {
    const ws = windows([
      { name: 'office', start: '0 9 * * 1-5', end: '0 17 * * 1-5', timezone: 'America/New_York', replicas: 10, leadTime: '15m' },
      { name: 'night', start: '30 2 * * *', end: '0 4 * * *', timezone: 'America/New_York', replicas: 3 },
      { name: 'berlin', start: '0 1 * * *', duration: '150m', timezone: 'Europe/Berlin', replicas: 4 },
    ]);
    const from = at('2026-03-06T00:00:00Z');
    const to = at('2026-03-10T00:00:00Z');
    const pokeTimes = pokes(ws, '2026-03-06T00:00:00Z', '2026-03-10T00:00:00Z').map((p) => Date.parse(p.slice(0, p.indexOf(' '))));
    const floor = (t: number): string => JSON.stringify(recommendFloor(ws, t).recommendation);
    const missed: string[] = [];
    let before = floor(from);
    for (let t = from + 300_000; t <= to; t += 300_000) {
      const now = floor(t);
      if (now !== before && !pokeTimes.some((p) => p > t - 300_000 && p <= t)) missed.push(String(iso(t)));
      before = now;
    }
    expect(missed).toEqual([]);
    expect(pokeTimes.length).toBeGreaterThan(10);
    // Each poke is at a change: just before it the floor differed.
    for (const p of pokeTimes) expect(floor(p - 1)).not.toBe(floor(p));
  });

  it('dispose cancels the pending timer; no poke afterwards', () => {
    const clock = new ManualClock(at('2026-01-05T00:00:00Z'));
    const seen: string[] = [];
    const handle = scheduleBoundaries({ windows: windows([officeHours]), clock, poke: (r) => seen.push(r) });
    expect(clock.pendingTimers()).toBe(1);
    handle.dispose();
    expect(clock.pendingTimers()).toBe(0);
    clock.advanceTo(at('2026-01-08T00:00:00Z'));
    expect(seen).toEqual([]);
  });

  it('an edited schedule takes effect when the old one is disposed and the new one scheduled', () => {
    const clock = new ManualClock(at('2026-01-05T00:00:00Z'));
    const seen: string[] = [];
    const poke = (r: string): number => seen.push(`${iso(clock.now())} ${r}`);
    const first = scheduleBoundaries({ windows: windows([officeHours]), clock, poke });
    clock.advanceTo(at('2026-01-05T10:00:00Z'));
    first.dispose();
    const edited = scheduleBoundaries({ windows: windows([{ ...officeHours, end: '0 12 * * 1-5' }]), clock, poke });
    clock.advanceTo(at('2026-01-05T20:00:00Z'));
    edited.dispose();
    expect(seen).toEqual(['2026-01-05T09:00:00.000Z cron: office-hours starts', '2026-01-05T12:00:00.000Z cron: office-hours ends']);
  });

  it('no windows: no timer', () => {
    const clock = new ManualClock();
    scheduleBoundaries({ windows: [], clock, poke: () => undefined });
    expect(clock.pendingTimers()).toBe(0);
  });

  it('never sleeps longer than MAX_SLEEP_MS in one timer', () => {
    const delays: number[] = [];
    const inner = new ManualClock(at('2026-01-01T00:00:00Z'));
    const clock: Clock = { now: () => inner.now(), setTimeout: (fn, ms) => (delays.push(ms), inner.setTimeout(fn, ms)) };
    scheduleBoundaries({ windows: windows([{ name: 'y', start: '0 0 1 7 *', duration: '1h', replicas: 1 }]), clock, poke: () => undefined });
    inner.advanceTo(at('2026-01-03T00:00:00Z'));
    expect(Math.max(...delays)).toBe(MAX_SLEEP_MS);
  });

  it('a timer that fires early does not poke before the boundary', () => {
    const inner = new ManualClock(at('2026-01-05T08:59:00Z'));
    // A clock whose longer timers fire 5 ms early, as real timers sometimes do.
    const clock: Clock = { now: () => inner.now(), setTimeout: (fn, ms) => inner.setTimeout(fn, ms > 5 ? ms - 5 : ms) };
    const seen: string[] = [];
    scheduleBoundaries({ windows: windows([officeHours]), clock, poke: () => seen.push(String(iso(inner.now()))) });
    inner.advanceTo(at('2026-01-05T09:00:00Z'));
    expect(seen).toEqual(['2026-01-05T09:00:00.000Z']);
  });

  it('nextBoundaries: the earliest instant with every boundary at it', () => {
    const ws = windows([officeHours, { name: 'evening', start: '0 19 * * *', duration: '2h', replicas: 4 }]);
    const next = nextBoundaries(ws, at('2026-01-05T12:00:00Z'));
    expect(next && { at: iso(next.atMs), kinds: next.boundaries.map((b) => `${b.window.name} ${b.kind}`) }).toEqual({
      at: '2026-01-05T19:00:00.000Z',
      kinds: ['office-hours end', 'evening start'],
    });
  });
});
