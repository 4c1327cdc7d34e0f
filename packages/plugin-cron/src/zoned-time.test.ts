import { describe, expect, it } from 'vitest';
import { canonicalTimeZone, instantOfWall, maxWallUpTo, offsetMs, wallOf } from './zoned-time.ts';

const H = 3_600_000;
const at = (iso: string): number => Date.parse(iso);
/** A wall time written as an ISO string without zone, read as local fields. */
const wall = (local: string): number => Date.parse(`${local}Z`);

describe('canonicalTimeZone', () => {
  it.each([
    ['UTC', 'UTC'],
    ['Europe/Berlin', 'Europe/Berlin'],
    ['US/Eastern', 'America/New_York'],
    ['america/new_york', 'America/New_York'],
    ['Mars/Olympus_Mons', undefined],
    ['', undefined],
    ['+05:30x', undefined],
  ])('%j -> %j', (zone, expected) => expect(canonicalTimeZone(zone)).toBe(expected));
});

describe('offsetMs and wallOf', () => {
  it.each([
    ['2026-01-15T12:00:00Z', 'America/New_York', -5 * H],
    ['2026-07-15T12:00:00Z', 'America/New_York', -4 * H],
    ['2026-01-15T12:00:00Z', 'Europe/Berlin', 1 * H],
    ['2026-07-15T12:00:00Z', 'Europe/Berlin', 2 * H],
    ['2026-07-15T12:00:00Z', 'Asia/Kolkata', 5.5 * H],
    ['2026-07-15T12:00:00.750Z', 'UTC', 0],
  ])('%s in %s', (iso, zone, expected) => {
    expect(offsetMs(at(iso), zone)).toBe(expected);
    expect(wallOf(at(iso), zone)).toBe(at(iso) + expected);
  });
});

describe('instantOfWall: the earliest instant whose wall time is at or after it', () => {
  it.each([
    // Ordinary times.
    ['2026-01-15T09:00:00', 'America/New_York', '2026-01-15T14:00:00Z'],
    ['2026-07-15T09:00:00', 'Europe/Berlin', '2026-07-15T07:00:00Z'],
    ['2026-07-15T09:00:00.250', 'UTC', '2026-07-15T09:00:00.250Z'],
    // New York spring forward 2026-03-08 02:00 EST -> 03:00 EDT (07:00Z): the skipped hour maps to the jump.
    ['2026-03-08T01:59:59', 'America/New_York', '2026-03-08T06:59:59Z'],
    ['2026-03-08T02:00:00', 'America/New_York', '2026-03-08T07:00:00Z'],
    ['2026-03-08T02:30:00', 'America/New_York', '2026-03-08T07:00:00Z'],
    ['2026-03-08T03:00:00', 'America/New_York', '2026-03-08T07:00:00Z'],
    ['2026-03-08T03:30:00', 'America/New_York', '2026-03-08T07:30:00Z'],
    // New York fall back 2026-11-01 02:00 EDT -> 01:00 EST (06:00Z): the repeated hour maps to its first pass.
    ['2026-11-01T01:30:00', 'America/New_York', '2026-11-01T05:30:00Z'],
    ['2026-11-01T02:00:00', 'America/New_York', '2026-11-01T07:00:00Z'],
    // Berlin spring forward 2026-03-29 02:00 CET -> 03:00 CEST (01:00Z); fall back 2026-10-25 03:00 -> 02:00 (01:00Z).
    ['2026-03-29T02:30:00', 'Europe/Berlin', '2026-03-29T01:00:00Z'],
    ['2026-10-25T02:30:00', 'Europe/Berlin', '2026-10-25T00:30:00Z'],
    ['2026-10-25T03:00:00', 'Europe/Berlin', '2026-10-25T02:00:00Z'],
  ])('%s %s -> %s', (local, zone, expected) => expect(new Date(instantOfWall(wall(local), zone)).toISOString()).toBe(new Date(expected).toISOString()));

  it('never goes backwards, and lands at or after the wall time, across a whole DST year (25-minute steps)', () => {
    const bad: string[] = [];
    for (const zone of ['America/New_York', 'Europe/Berlin', 'Australia/Lord_Howe']) {
      let prev = -Infinity;
      for (let w = wall('2026-01-01T00:00:00'); w < wall('2027-01-01T00:00:00'); w += 25 * 60_000) {
        const i = instantOfWall(w, zone);
        if (i < prev || wallOf(i, zone) < w) bad.push(`${zone} ${new Date(w).toISOString()}`);
        prev = i;
      }
    }
    expect(bad).toEqual([]);
  });
});

describe('maxWallUpTo', () => {
  it.each([
    ['2026-01-15T14:00:00Z', 'America/New_York', '2026-01-15T09:00:00'],
    // During the second pass of 01:xx (EST) the latest wall time already shown is 01:59:59.999 (EDT).
    ['2026-11-01T06:10:00Z', 'America/New_York', '2026-11-01T01:59:59.999'],
    ['2026-11-01T06:59:59.999Z', 'America/New_York', '2026-11-01T01:59:59.999'],
    ['2026-11-01T07:00:00Z', 'America/New_York', '2026-11-01T02:00:00'],
    ['2026-10-25T01:30:00Z', 'Europe/Berlin', '2026-10-25T02:59:59.999'],
  ])('%s %s -> %s', (iso, zone, local) => expect(maxWallUpTo(at(iso), zone)).toBe(wall(local)));

  it('agrees with instantOfWall: instantOfWall(w) <= t exactly when w <= maxWallUpTo(t)', () => {
    const zone = 'America/New_York';
    for (let t = at('2026-11-01T04:00:00Z'); t < at('2026-11-01T09:00:00Z'); t += 7 * 60_000) {
      for (let w = wall('2026-10-31T23:00:00'); w < wall('2026-11-01T04:00:00'); w += 5 * 60_000) {
        expect(instantOfWall(w, zone) <= t).toBe(w <= maxWallUpTo(t, zone));
      }
    }
  });
});
