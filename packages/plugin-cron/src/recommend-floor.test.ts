import { describe, expect, it } from 'vitest';
import { recommendFloor } from './recommend-floor.ts';
import { at, windows } from './test-support/windows.ts';

const week = windows([
  { name: 'office-hours', start: '0 9 * * 1-5', end: '0 19 * * 1-5', replicas: 20, leadTime: '5m' },
  { name: 'lunch', start: '0 12 * * 1-5', end: '0 14 * * 1-5', replicas: 30 },
  { name: 'batch', start: '0 10 * * *', duration: '6h', replicas: 5 },
  { name: 'nightly', start: '0 22 * * *', end: '0 6 * * *', replicas: 8 },
]);

describe('recommendFloor (2026-01-05 is a Monday)', () => {
  it.each([
    ['early morning: outside every window', '2026-01-05T07:00:00Z', undefined, []],
    ['lead time of office hours', '2026-01-05T08:55:00Z', 20, ['office-hours']],
    ['office hours alone', '2026-01-05T09:30:00Z', 20, ['office-hours']],
    ['office hours and batch overlap: max', '2026-01-05T11:00:00Z', 20, ['office-hours', 'batch']],
    ['lunch wins over office hours and batch', '2026-01-05T13:00:00Z', 30, ['office-hours', 'lunch', 'batch']],
    ['at the end of lunch (exclusive)', '2026-01-05T14:00:00Z', 20, ['office-hours', 'batch']],
    ['batch ended', '2026-01-05T16:00:00Z', 20, ['office-hours']],
    ['between office hours and nightly', '2026-01-05T20:00:00Z', undefined, []],
    ['nightly across midnight', '2026-01-06T01:00:00Z', 8, ['nightly']],
    ['Saturday batch only', '2026-01-10T11:00:00Z', 5, ['batch']],
  ])('%s', (_name, now, floor, active) => {
    const out = recommendFloor(week, at(now));
    expect(out.state?.active).toEqual(active);
    if (floor === undefined) {
      expect(out.recommendation.kind).toBe('no-opinion');
    } else {
      expect(out.recommendation).toMatchObject({ kind: 'replicas', replicas: floor });
      for (const name of active) expect(out.recommendation.reason).toContain(name);
    }
  });

  it('names the window, its floor and its end in the reason', () => {
    const out = recommendFloor(week, at('2026-01-05T09:30:00Z'));
    expect(out.recommendation).toEqual({
      kind: 'replicas',
      replicas: 20,
      reason: 'cron window office-hours (20, until 2026-01-05T19:00:00.000Z): floor 20',
      details: { windows: 'office-hours', window: 'office-hours', untilMs: at('2026-01-05T19:00:00Z') },
    });
  });

  it('outside every window names the next one (counting lead time)', () => {
    expect(recommendFloor(week, at('2026-01-05T07:00:00Z')).recommendation).toEqual({
      kind: 'no-opinion',
      reason: 'outside every cron window; next: office-hours (20) from 2026-01-05T08:55:00.000Z',
    });
    expect(recommendFloor([], at('2026-01-05T07:00:00Z')).recommendation).toEqual({ kind: 'no-opinion', reason: 'no cron windows configured' });
  });

  it('a scaler restarting mid-window applies the floor at once (no previous state, no missed job)', () => {
    const out = recommendFloor(week, at('2026-01-05T17:59:00Z'));
    expect(out.recommendation).toMatchObject({ kind: 'replicas', replicas: 20 });
  });

  it('is pure: the same time gives the same answer, whatever came before', () => {
    const a = recommendFloor(week, at('2026-01-05T13:00:00Z'));
    recommendFloor(week, at('2027-06-01T00:00:00Z'));
    recommendFloor(week, at('2020-01-01T00:00:00Z'));
    expect(recommendFloor(week, at('2026-01-05T13:00:00Z'))).toEqual(a);
  });

  it('a window with replicas 0 is an opinion of 0, not no-opinion', () => {
    const quiet = windows([{ name: 'quiet', start: '0 0 * * *', duration: '1h', replicas: 0 }]);
    expect(recommendFloor(quiet, at('2026-01-05T00:30:00Z')).recommendation).toMatchObject({ kind: 'replicas', replicas: 0 });
  });

  it('kubernetes-cronhpa jobs: each target size holds until the next job fires', () => {
    const jobs = windows([
      { name: 'scale-up', schedule: '0 0 9 * * 1-5', targetSize: 20 },
      { name: 'scale-down', schedule: '0 0 19 * * 1-5', targetSize: 2 },
    ]);
    const floorAt = (iso: string): unknown => {
      const r = recommendFloor(jobs, at(iso)).recommendation;
      return r.kind === 'replicas' ? r.replicas : r.kind;
    };
    expect(floorAt('2026-01-05T09:00:00Z')).toBe(20);
    expect(floorAt('2026-01-05T18:59:59Z')).toBe(20);
    expect(floorAt('2026-01-05T19:00:00Z')).toBe(2);
    expect(floorAt('2026-01-06T08:00:00Z')).toBe(2);
    expect(floorAt('2026-01-10T12:00:00Z')).toBe(2); // Saturday: the Friday scale-down holds
  });
});
