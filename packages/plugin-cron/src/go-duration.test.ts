import { describe, expect, it } from 'vitest';
import { formatGoDuration, parseGoDuration } from './go-duration.ts';

describe('parseGoDuration', () => {
  it.each([
    ['2h30m', 9_000_000],
    ['90m', 5_400_000],
    ['1h30m15s', 5_415_000],
    ['1.5h', 5_400_000],
    ['500ms', 500],
    ['1m500ms', 60_500],
    ['45s', 45_000],
    ['0', 0],
    [' 10m ', 600_000],
  ])('%j -> %d ms', (text, ms) => expect(parseGoDuration(text)).toBe(ms));

  it.each(['', '10', '-5m', '1d', '1 h', 'h', '1h-5m', '1.h', 'PT1H'])('%j is not a duration', (text) => {
    expect(parseGoDuration(text)).toBeUndefined();
  });
});

describe('formatGoDuration', () => {
  it.each([
    [0, '0s'],
    [5_415_000, '1h30m15s'],
    [300_000, '5m'],
    [86_400_000, '24h'],
    [1500, '1s500ms'],
  ])('%d ms -> %j', (ms, text) => expect(formatGoDuration(ms)).toBe(text));
});
