import { describe, expect, it } from 'vitest';
import { at, iso, windowOf } from './test-support/windows.ts';
import { activeOccurrence, nextActivation } from './window-occurrences.ts';
import { nextBoundary, windowStatus } from './window-status.ts';

describe('windowStatus', () => {
  const items = [
    { name: 'office', start: '0 9 * * 1-5', end: '0 17 * * 1-5', timezone: 'America/New_York', replicas: 10, leadTime: '15m' },
    { name: 'overlapping', start: '0 */6 * * *', duration: '8h', replicas: 2, exclude: ['2026-03-08'] },
  ];

  it.each(items)('agrees with a fresh computation, forwards and backwards ($name)', (item) => {
    const w = windowOf(item);
    const times: number[] = [];
    for (let t = at('2026-03-06T00:00:00Z'); t < at('2026-03-10T00:00:00Z'); t += 17 * 60_000) times.push(t);
    const wrong: string[] = [];
    for (const t of [...times, ...times.reverse()]) {
      const s = windowStatus(w, t);
      const fresh = windowOf(item); // a new object: nothing memoised
      const expected = [activeOccurrence(fresh, t)?.startMs, nextActivation(fresh, t)?.startMs];
      if (s.active?.startMs !== expected[0] || s.next?.startMs !== expected[1]) wrong.push(String(iso(t)));
    }
    expect(wrong).toEqual([]);
  });

  it('holds until the next boundary', () => {
    // 09:00-17:00 EDT (UTC-4 after 2026-03-08) with 15 min lead: 12:45Z-21:00Z.
    const w = windowOf({ name: 'office', start: '0 9 * * 1-5', end: '0 17 * * 1-5', timezone: 'America/New_York', replicas: 10, leadTime: '15m' });
    const s = windowStatus(w, at('2026-03-09T15:00:00Z'));
    expect(iso(s.untilMs)).toBe('2026-03-09T21:00:00.000Z');
    expect(windowStatus(w, at('2026-03-09T20:59:59.999Z'))).toBe(s);
    expect(windowStatus(w, at('2026-03-09T21:00:00Z'))).not.toBe(s);
    expect(iso(nextBoundary(w, at('2026-03-09T21:00:00Z'))?.atMs)).toBe('2026-03-10T12:45:00.000Z');
  });
});
