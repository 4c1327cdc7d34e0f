import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './duration.ts';

describe('parseDuration (Go time.ParseDuration syntax)', () => {
  it.each([
    ['0', 0],
    ['0s', 0],
    ['-0', 0],
    ['60s', 60_000],
    ['1m30s', 90_000],
    ['500ms', 500],
    ['1h', 3_600_000],
    ['1h2m3s4ms', 3_600_000 + 120_000 + 3_000 + 4],
    ['1.5h', 5_400_000],
    ['.5s', 500],
    ['5.s', 5_000],
    ['+2s', 2_000],
    ['-2s', -2_000],
    ['1500us', 1.5],
    ['1500µs', 1.5],
    ['1500μs', 1.5],
    ['2000000ns', 2],
    ['1s1s', 2_000],
  ])('%s -> %d ms', (text, ms) => expect(parseDuration(text)).toBeCloseTo(ms, 9));

  it.each(['', '1', '10', 's', '.s', '1.2.3s', '1d', '1 s', ' 1s', '1s ', '1S', 'abc', '--1s', '1s-1s', '3000000h'])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [500, '500ms'],
    [1_000, '1s'],
    [1_500, '1.5s'],
    [60_000, '1m'],
    [90_000, '1m30s'],
    [3_600_000, '1h'],
    [3_630_000, '1h30s'],
    [5_400_000, '1h30m'],
    [-2_000, '-2s'],
    [0.5, '0.5ms'],
  ])('%d ms -> %s', (ms, text) => expect(formatDuration(ms)).toBe(text));

  it.each([1, 999, 1_000, 61_001, 3_599_999, 86_400_000, 123_456_789])('round-trips %d ms through parseDuration', (ms) => {
    expect(parseDuration(formatDuration(ms))).toBeCloseTo(ms, 6);
  });
});
