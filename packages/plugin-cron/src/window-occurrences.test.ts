import { describe, expect, it } from 'vitest';
import { at, iso, windowOf } from './test-support/windows.ts';
import { activeOccurrence, nextActivation } from './window-occurrences.ts';
import { nextBoundary } from './window-status.ts';

type Item = Record<string, unknown>;
const NY = 'America/New_York';
const BERLIN = 'Europe/Berlin';

const officeHours: Item = { name: 'office-hours', start: '0 9 * * 1-5', end: '0 19 * * 1-5', replicas: 20 };
const nightly: Item = { name: 'nightly', start: '0 22 * * *', end: '0 6 * * *', replicas: 8 };
/** 2026-01-05 is a Monday. */
const cases: ReadonlyArray<readonly [string, Item, string, string | null]> = [
  // Start inclusive, end exclusive.
  ['just before the start', officeHours, '2026-01-05T08:59:59.999Z', null],
  ['at the start instant', officeHours, '2026-01-05T09:00:00.000Z', '2026-01-05T09:00:00.000Z -> 2026-01-05T19:00:00.000Z'],
  ['just before the end', officeHours, '2026-01-05T18:59:59.999Z', '2026-01-05T09:00:00.000Z -> 2026-01-05T19:00:00.000Z'],
  ['at the end instant (end-exclusive)', officeHours, '2026-01-05T19:00:00.000Z', null],
  ['on a Saturday', officeHours, '2026-01-10T12:00:00Z', null],
  // Midnight.
  ['overnight, before midnight', nightly, '2026-01-05T23:30:00Z', '2026-01-05T22:00:00.000Z -> 2026-01-06T06:00:00.000Z'],
  ['overnight, after midnight', nightly, '2026-01-06T02:00:00Z', '2026-01-05T22:00:00.000Z -> 2026-01-06T06:00:00.000Z'],
  ['overnight, at its end', nightly, '2026-01-06T06:00:00Z', null],
  ['Friday night into Saturday', { ...nightly, start: '0 22 * * 5' }, '2026-01-10T03:00:00Z', '2026-01-09T22:00:00.000Z -> 2026-01-10T06:00:00.000Z'],
  ['Friday night only: not Saturday night', { ...nightly, start: '0 22 * * 5' }, '2026-01-11T03:00:00Z', null],
  ['across New Year', { name: 'ny', start: '0 22 31 12 *', end: '0 2 1 1 *', replicas: 3 }, '2027-01-01T01:00:00Z', '2026-12-31T22:00:00.000Z -> 2027-01-01T02:00:00.000Z'],
  // Month ends.
  ['last day of February', { name: 'eom', start: '0 0 L * *', duration: '24h', replicas: 4 }, '2026-02-28T12:00:00Z', '2026-02-28T00:00:00.000Z -> 2026-03-01T00:00:00.000Z'],
  ['first of March is not the last day', { name: 'eom', start: '0 0 L * *', duration: '24h', replicas: 4 }, '2026-03-01T00:00:00Z', null],
  ['last day of February in a leap year', { name: 'eom', start: '0 0 L * *', duration: '24h', replicas: 4 }, '2028-02-29T12:00:00Z', '2028-02-29T00:00:00.000Z -> 2028-03-01T00:00:00.000Z'],
  ['the 31st into the next month', { name: 'b', start: '0 20 31 * *', duration: '8h', replicas: 4 }, '2026-02-01T03:00:00Z', '2026-01-31T20:00:00.000Z -> 2026-02-01T04:00:00.000Z'],
  ['no 31st in February', { name: 'b', start: '0 20 31 * *', duration: '8h', replicas: 4 }, '2026-03-01T03:00:00Z', null],
  // Lead time: active from start minus lead.
  ['lead time: before the lead', { ...officeHours, leadTime: '10m' }, '2026-01-05T08:49:59.999Z', null],
  ['lead time: at start minus lead', { ...officeHours, leadTime: '10m' }, '2026-01-05T08:50:00Z', '2026-01-05T08:50:00.000Z -> 2026-01-05T19:00:00.000Z'],
  ['lead time across midnight', { ...officeHours, start: '0 0 * * 2', end: '0 6 * * 2', leadTime: '30m' }, '2026-01-05T23:45:00Z', '2026-01-05T23:30:00.000Z -> 2026-01-06T06:00:00.000Z'],
  // Exclusions.
  ['excluded date', { ...officeHours, exclude: ['2026-01-06'] }, '2026-01-06T10:00:00Z', null],
  ['the day after an excluded date', { ...officeHours, exclude: ['2026-01-06'] }, '2026-01-07T10:00:00Z', '2026-01-07T09:00:00.000Z -> 2026-01-07T19:00:00.000Z'],
  ['excluded by cron (Wednesdays)', { ...officeHours, exclude: ['* * * * 3'] }, '2026-01-07T10:00:00Z', null],
  ['exclusion cron that does not match', { ...officeHours, exclude: ['* * 25 12 *'] }, '2026-01-07T10:00:00Z', '2026-01-07T09:00:00.000Z -> 2026-01-07T19:00:00.000Z'],
  ['an earlier overlapping occurrence still runs', { name: 'long', start: '0 22 * * *', duration: '30h', replicas: 2, exclude: ['2026-01-06'] }, '2026-01-06T23:00:00Z', '2026-01-05T22:00:00.000Z -> 2026-01-07T04:00:00.000Z'],
  ['exclusion dates are in the window zone', { name: 'late', start: '0 22 * * *', duration: '4h', timezone: NY, replicas: 2, exclude: ['2026-01-06'] }, '2026-01-07T04:00:00Z', null],
  ['the previous evening there is not excluded', { name: 'late', start: '0 22 * * *', duration: '4h', timezone: NY, replicas: 2, exclude: ['2026-01-06'] }, '2026-01-06T04:00:00Z', '2026-01-06T03:00:00.000Z -> 2026-01-06T07:00:00.000Z'],
  // from and runOnce.
  ['from: occurrences before it do not happen', { ...officeHours, from: '2026-01-05T12:00' }, '2026-01-05T10:00:00Z', null],
  ['from: later ones do', { ...officeHours, from: '2026-01-05T12:00' }, '2026-01-06T10:00:00Z', '2026-01-06T09:00:00.000Z -> 2026-01-06T19:00:00.000Z'],
  ['runOnce: the first occurrence at or after from', { ...officeHours, from: '2026-01-06', runOnce: true }, '2026-01-06T10:00:00Z', '2026-01-06T09:00:00.000Z -> 2026-01-06T19:00:00.000Z'],
  ['runOnce: not the next day', { ...officeHours, from: '2026-01-06', runOnce: true }, '2026-01-07T10:00:00Z', null],
  ['runOnce: skips an excluded first occurrence', { ...officeHours, from: '2026-01-06', runOnce: true, exclude: ['2026-01-06'] }, '2026-01-07T10:00:00Z', '2026-01-07T09:00:00.000Z -> 2026-01-07T19:00:00.000Z'],
  // DST, America/New_York: 2026-03-08 02:00 EST -> 03:00 EDT (07:00Z); 2026-11-01 02:00 EDT -> 01:00 EST (06:00Z).
  ['NY 02:30 the day before spring forward', { name: 'w', start: '30 2 * * *', duration: '1h', timezone: NY, replicas: 5 }, '2026-03-07T08:00:00Z', '2026-03-07T07:30:00.000Z -> 2026-03-07T08:30:00.000Z'],
  ['NY 02:30 on spring forward starts at the jump (03:00 EDT)', { name: 'w', start: '30 2 * * *', duration: '1h', timezone: NY, replicas: 5 }, '2026-03-08T07:00:00Z', '2026-03-08T07:00:00.000Z -> 2026-03-08T08:00:00.000Z'],
  ['NY 02:30 on spring forward, just before the jump', { name: 'w', start: '30 2 * * *', duration: '1h', timezone: NY, replicas: 5 }, '2026-03-08T06:59:59.999Z', null],
  ['NY 02:30-03:00 does not exist on spring forward', { name: 'w', start: '30 2 * * *', end: '0 3 * * *', timezone: NY, replicas: 5 }, '2026-03-08T07:00:00Z', null],
  ['NY 02:30-03:30 on spring forward is 03:00-03:30 EDT', { name: 'w', start: '30 2 * * *', end: '30 3 * * *', timezone: NY, replicas: 5 }, '2026-03-08T07:15:00Z', '2026-03-08T07:00:00.000Z -> 2026-03-08T07:30:00.000Z'],
  ['NY 00:00-06:00 across spring forward is 5 h', { name: 'w', start: '0 0 * * *', end: '0 6 * * *', timezone: NY, replicas: 5 }, '2026-03-08T09:59:00Z', '2026-03-08T05:00:00.000Z -> 2026-03-08T10:00:00.000Z'],
  ['NY 00:00 + 6h across spring forward is elapsed time', { name: 'w', start: '0 0 * * *', duration: '6h', timezone: NY, replicas: 5 }, '2026-03-08T10:30:00Z', '2026-03-08T05:00:00.000Z -> 2026-03-08T11:00:00.000Z'],
  ['NY 00:00-06:00 across fall back is 7 h', { name: 'w', start: '0 0 * * *', end: '0 6 * * *', timezone: NY, replicas: 5 }, '2026-11-01T10:30:00Z', '2026-11-01T04:00:00.000Z -> 2026-11-01T11:00:00.000Z'],
  ['NY 00:00-06:00 on fall back ends at 06:00 EST', { name: 'w', start: '0 0 * * *', end: '0 6 * * *', timezone: NY, replicas: 5 }, '2026-11-01T11:00:00Z', null],
  ['NY 01:30 on fall back: the first pass (EDT)', { name: 'w', start: '30 1 * * *', duration: '30m', timezone: NY, replicas: 5 }, '2026-11-01T05:45:00Z', '2026-11-01T05:30:00.000Z -> 2026-11-01T06:00:00.000Z'],
  ['NY 01:30 on fall back: not again on the second pass (EST)', { name: 'w', start: '30 1 * * *', duration: '30m', timezone: NY, replicas: 5 }, '2026-11-01T06:45:00Z', null],
  // DST, Europe/Berlin: 2026-03-29 02:00 CET -> 03:00 CEST (01:00Z); 2026-10-25 03:00 CEST -> 02:00 CET (01:00Z).
  ['Berlin 02:30 on spring forward starts at the jump', { name: 'w', start: '30 2 * * *', duration: '1h', timezone: BERLIN, replicas: 5 }, '2026-03-29T01:30:00Z', '2026-03-29T01:00:00.000Z -> 2026-03-29T02:00:00.000Z'],
  ['Berlin 02:30 the day after spring forward', { name: 'w', start: '30 2 * * *', duration: '1h', timezone: BERLIN, replicas: 5 }, '2026-03-30T00:45:00Z', '2026-03-30T00:30:00.000Z -> 2026-03-30T01:30:00.000Z'],
  ['Berlin 02:30 on fall back: the first pass (CEST)', { name: 'w', start: '30 2 * * *', duration: '1h', timezone: BERLIN, replicas: 5 }, '2026-10-25T01:15:00Z', '2026-10-25T00:30:00.000Z -> 2026-10-25T01:30:00.000Z'],
  ['Berlin 02:30 on fall back: over at the second 02:30 (CET)', { name: 'w', start: '30 2 * * *', duration: '1h', timezone: BERLIN, replicas: 5 }, '2026-10-25T01:30:00Z', null],
  ['Berlin 01:00-04:00 across fall back is 4 h', { name: 'w', start: '0 1 * * *', end: '0 4 * * *', timezone: BERLIN, replicas: 5 }, '2026-10-25T02:30:00Z', '2026-10-24T23:00:00.000Z -> 2026-10-25T03:00:00.000Z'],
  ['Berlin 01:00-04:00 across spring forward is 2 h', { name: 'w', start: '0 1 * * *', end: '0 4 * * *', timezone: BERLIN, replicas: 5 }, '2026-03-29T02:00:00Z', null],
  ['Berlin 01:00-04:00 across spring forward, inside', { name: 'w', start: '0 1 * * *', end: '0 4 * * *', timezone: BERLIN, replicas: 5 }, '2026-03-29T01:59:59Z', '2026-03-29T00:00:00.000Z -> 2026-03-29T02:00:00.000Z'],
  // Seconds.
  ['6-field start with seconds', { name: 's', start: '30 0 9 * * *', end: '0 0 10 * * *', replicas: 1 }, '2026-01-05T09:00:29Z', null],
  ['6-field start, at its second', { name: 's', start: '30 0 9 * * *', end: '0 0 10 * * *', replicas: 1 }, '2026-01-05T09:00:30Z', '2026-01-05T09:00:30.000Z -> 2026-01-05T10:00:00.000Z'],
];

describe('activeOccurrence', () => {
  it.each(cases)('%s', (_name, item, now, expected) => {
    const o = activeOccurrence(windowOf(item), at(now));
    expect(o ? `${iso(o.activeFromMs)} -> ${iso(o.endMs)}` : null).toBe(expected);
  });
});

describe('nextActivation and nextBoundary', () => {
  it.each([
    ['office hours on Friday evening -> Monday', officeHours, '2026-01-09T20:00:00Z', '2026-01-12T09:00:00.000Z', 'start'],
    ['inside a window the next boundary is its end', officeHours, '2026-01-05T10:00:00Z', '2026-01-05T19:00:00.000Z', 'end'],
    ['at the end instant: the next start', officeHours, '2026-01-05T19:00:00Z', '2026-01-06T09:00:00.000Z', 'start'],
    ['lead time moves the start boundary', { ...officeHours, leadTime: '15m' }, '2026-01-05T00:00:00Z', '2026-01-05T08:45:00.000Z', 'start'],
    ['skips excluded dates', { ...officeHours, exclude: ['2026-01-06', '2026-01-07'] }, '2026-01-05T20:00:00Z', '2026-01-08T09:00:00.000Z', 'start'],
    ['skips the empty 02:30-03:00 on NY spring forward', { name: 'w', start: '30 2 * * *', end: '0 3 * * *', timezone: NY, replicas: 5 }, '2026-03-08T00:00:00Z', '2026-03-09T06:30:00.000Z', 'start'],
    ['NY 02:30 on spring forward starts at 03:00 EDT', { name: 'w', start: '30 2 * * *', duration: '1h', timezone: NY, replicas: 5 }, '2026-03-08T00:00:00Z', '2026-03-08T07:00:00.000Z', 'start'],
    ['NY 01:30 on fall back: from the second pass, tomorrow', { name: 'w', start: '30 1 * * *', duration: '10m', timezone: NY, replicas: 5 }, '2026-11-01T06:10:00Z', '2026-11-02T06:30:00.000Z', 'start'],
    ['from: the first boundary is at from', { ...officeHours, from: '2026-02-02' }, '2026-01-05T00:00:00Z', '2026-02-02T09:00:00.000Z', 'start'],
  ])('%s', (_name, item, after, expectedAt, kind) => {
    const b = nextBoundary(windowOf(item), at(after));
    expect(b && { at: iso(b.atMs), kind: b.kind }).toEqual({ at: expectedAt, kind });
  });

  it('a runOnce window has no boundary after it ended', () => {
    const w = windowOf({ ...officeHours, from: '2026-01-06', runOnce: true });
    expect(iso(nextActivation(w, at('2026-01-01T00:00:00Z'))?.startMs)).toBe('2026-01-06T09:00:00.000Z');
    expect(nextActivation(w, at('2026-01-06T09:00:00Z'))).toBeUndefined();
    expect(nextBoundary(w, at('2026-01-06T19:00:00Z'))).toBeUndefined();
  });
});
