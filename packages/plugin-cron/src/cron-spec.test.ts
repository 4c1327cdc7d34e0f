import { describe, expect, it } from 'vitest';
import { cronAfter, cronAtOrBefore, cronMatches, parseCron, type CronSpec } from './cron-spec.ts';

const wall = (local: string): number => Date.parse(`${local}Z`);
const iso = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : new Date(ms).toISOString().slice(0, 19));

function spec(text: string): CronSpec {
  const s = parseCron(text);
  if (typeof s === 'string') throw new Error(`${text}: ${s}`);
  return s;
}

describe('parseCron', () => {
  it.each([
    ['0 9 * * 1-5', false, '0 0 9 * * 1-5'],
    ['  0   9 * * MON-FRI ', false, '0 0 9 * * 1-5'],
    ['30 0 9 * * *', true, '30 0 9 * * *'],
    ['@daily', false, '0 0 0 * * *'],
    ['0 0 L * *', false, '0 0 0 L * *'],
  ])('accepts %j (seconds: %j, canonical %j)', (text, withSeconds, canonical) => {
    const s = spec(text);
    expect(s.withSeconds).toBe(withSeconds);
    expect(s.canonical).toBe(canonical);
  });

  it.each([
    ['', /empty/],
    ['0 9 * *', /expected 5 or 6 fields but got 4/],
    ['0 0 0 9 * * *', /expected 5 or 6 fields but got 7/],
    ['61 9 * * *', /the minute field "61" is not valid \(allowed: 0-59/],
    ['0 25 * * *', /the hour field "25" is not valid \(allowed: 0-23/],
    ['0 9 * 13 *', /the month field "13" is not valid \(allowed: 1-12 or JAN-DEC/],
    ['0 9 31 2 *', /impossible day of month/],
    ['H 9 * * *', /random/],
    ['H(0-10) 9 * * *', /random/],
    ['nonsense', /./],
  ])('rejects %j with a reason matching %s', (text, reason) => {
    const s = parseCron(text);
    expect(typeof s).toBe('string');
    expect(s).toMatch(reason);
  });

  it('does not take the H in a day name for the random H', () => expect(typeof parseCron('0 9 * * THU')).toBe('object'));
});

describe('cron on wall time', () => {
  it.each([
    // expression, from (wall), at-or-before, strictly after
    ['0 9 * * *', '2026-01-01T09:00:00', '2026-01-01T09:00:00', '2026-01-02T09:00:00'],
    ['0 9 * * *', '2026-01-01T08:59:59.999', '2025-12-31T09:00:00', '2026-01-01T09:00:00'],
    ['0 9 * * *', '2026-01-01T09:00:00.500', '2026-01-01T09:00:00', '2026-01-02T09:00:00'],
    ['0 0 L * *', '2026-02-15T00:00:00', '2026-01-31T00:00:00', '2026-02-28T00:00:00'],
    ['0 0 L * *', '2028-02-15T00:00:00', '2028-01-31T00:00:00', '2028-02-29T00:00:00'],
    ['0 0 29 2 *', '2026-03-01T00:00:00', '2024-02-29T00:00:00', '2028-02-29T00:00:00'],
    // Wall time has no DST: 02:30 exists every day, including New York's spring-forward day.
    ['30 2 * * *', '2026-03-08T02:30:00', '2026-03-08T02:30:00', '2026-03-09T02:30:00'],
    ['*/20 * * * * *', '2026-01-01T00:00:10', '2026-01-01T00:00:00', '2026-01-01T00:00:20'],
  ])('%j from %s: at or before %s, after %s', (text, from, before, after) => {
    expect(iso(cronAtOrBefore(spec(text), wall(from)))).toBe(before);
    expect(iso(cronAfter(spec(text), wall(from)))).toBe(after);
  });

  it.each([
    ['* * 25 12 *', '2026-12-25T09:00:30', true],
    ['* * 25 12 *', '2026-12-26T09:00:00', false],
    ['0 9 * * *', '2026-12-26T09:00:45', true],
    ['0 0 9 * * *', '2026-12-26T09:00:45', false],
    ['* * * * 0,6', '2026-03-07T17:00:00', true],
    ['* * * * 0,6', '2026-03-09T17:00:00', false],
  ])('%j matches %s: %j (5 fields at minute resolution, 6 at second)', (text, at, expected) => {
    expect(cronMatches(spec(text), wall(at))).toBe(expected);
  });
});
