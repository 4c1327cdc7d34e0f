import { describe, expect, it } from 'vitest';
import { parseWindows } from './parse-windows.ts';

type Item = Record<string, unknown>;
const ok: Item = { name: 'office-hours', start: '0 9 * * 1-5', end: '0 19 * * 1-5', replicas: 20 };

describe('parseWindows: valid documents', () => {
  it('parses a full window with defaults filled in', () => {
    const { windows, problems } = parseWindows([{ ...ok, timezone: 'US/Eastern', leadTime: '5m', exclude: ['2026-12-25', '* * * * 6'], from: '2026-01-05T08:00' }], 'UTC');
    expect(problems).toEqual([]);
    expect(windows).toHaveLength(1);
    expect(windows[0]).toMatchObject({
      name: 'office-hours',
      index: 0,
      start: { text: '0 9 * * 1-5', withSeconds: false },
      end: { kind: 'cron', crons: [{ text: '0 19 * * 1-5' }] },
      timezone: 'America/New_York',
      replicas: 20,
      leadTimeMs: 300_000,
      excludeDates: ['2026-12-25'],
      excludeCrons: [{ text: '* * * * 6' }],
      fromWallMs: Date.UTC(2026, 0, 5, 8, 0),
      runOnce: false,
    });
  });

  it.each([
    [undefined, 0],
    [null, 0],
    ['', 0],
    [[], 0],
    [[ok, { name: 'batch', start: '0 0 2 * * *', duration: '2h30m', replicas: 0 }], 2],
  ])('%j gives %d windows', (doc, n) => {
    const { windows, problems } = parseWindows(doc, 'UTC');
    expect(problems).toEqual([]);
    expect(windows).toHaveLength(n);
  });

  it('takes the default time zone for windows without one', () => {
    expect(parseWindows([ok], 'Asia/Shanghai').windows[0]?.timezone).toBe('Asia/Shanghai');
  });

  it('reads a duration in ms', () => {
    expect(parseWindows([{ ...ok, end: undefined, duration: '2h30m' }], 'UTC').windows[0]?.end).toEqual({ kind: 'duration', ms: 9_000_000 });
  });

  it('accepts kubernetes-cronhpa jobs, in a list or as a CronHPA spec, each ending at the next job', () => {
    const jobs = [
      { name: 'scale-up', schedule: '0 0 9 * * 1-5', targetSize: 20 },
      { name: 'scale-down', schedule: '0 0 19 * * 1-5', targetSize: 2, runOnce: false },
    ];
    for (const doc of [jobs, { jobs, excludeDates: ['* * * 25 12 *'] }]) {
      const { windows, problems } = parseWindows(doc, 'UTC');
      expect(problems).toEqual([]);
      expect(windows.map((w) => [w.name, w.replicas, w.end.kind === 'cron' ? w.end.crons.map((c) => c.text) : []])).toEqual([
        ['scale-up', 20, ['0 0 9 * * 1-5', '0 0 19 * * 1-5']],
        ['scale-down', 2, ['0 0 9 * * 1-5', '0 0 19 * * 1-5']],
      ]);
    }
    expect(parseWindows({ jobs, excludeDates: ['* * * 25 12 *'] }, 'UTC').windows[0]?.excludeCrons.map((c) => c.text)).toEqual(['* * * 25 12 *']);
  });
});

describe('parseWindows: every problem, naming window, field, value and what is allowed', () => {
  it.each<[string, unknown, string, RegExp]>([
    ['not a list', 'hello', '', /the cron annotation "hello" is not a list; allowed: a YAML list of windows/],
    ['item not a mapping', [42], '[0]', /window #1 42 is not a mapping/],
    ['bad cron', [{ ...ok, start: '0 25 * * *' }], '[0].start', /window "office-hours" \(#1\): start "0 25 \* \* \*" is not a valid cron expression \(the hour field "25" is not valid \(allowed: 0-23.*\)\); allowed: 5 fields/],
    ['cron with 7 fields', [{ ...ok, end: '0 0 0 19 * * *' }], '[0].end', /end "0 0 0 19 \* \* \*" is not a valid cron expression \(expected 5 or 6 fields but got 7\)/],
    ['random H', [{ ...ok, start: 'H 9 * * *' }], '[0].start', /random/],
    ['cron not a string', [{ ...ok, start: 9 }], '[0].start', /start 9 is not a string; allowed: a quoted cron expression/],
    ['unknown time zone', [{ ...ok, timezone: 'Mars/Olympus' }], '[0].timezone', /timezone "Mars\/Olympus" is not a known IANA time zone; allowed: an IANA time zone/],
    ['end equal to start', [{ ...ok, end: '0 9 * * MON-FRI' }], '[0].end', /end "0 9 \* \* MON-FRI" fires at the same times as start "0 9 \* \* 1-5", so the window would never end/],
    ['end and duration', [{ ...ok, duration: '1h' }], '[0].end', /end "0 19 \* \* 1-5" and duration are both set; allowed: exactly one of end/],
    ['neither end nor duration', [{ ...ok, end: undefined }], '[0].end', /end is missing \(and so is duration\)/],
    ['duration without unit', [{ ...ok, end: undefined, duration: 3600 }], '[0].duration', /duration 3600 has no unit; allowed: a Go-style duration/],
    ['zero duration', [{ ...ok, end: undefined, duration: '0s' }], '[0].duration', /duration "0s" is out of range; allowed: 1s <= duration/],
    ['negative replicas', [{ ...ok, replicas: -1 }], '[0].replicas', /replicas -1 is negative; allowed: an integer >= 0/],
    ['fractional replicas', [{ ...ok, replicas: 2.5 }], '[0].replicas', /replicas 2.5 is not an integer; allowed: an integer >= 0/],
    ['quoted replicas', [{ ...ok, replicas: '20' }], '[0].replicas', /replicas "20" is a string, not a number/],
    ['missing replicas', [{ ...ok, replicas: undefined }], '[0].replicas', /replicas is missing/],
    ['unknown field', [{ ...ok, replica: 3 }], '[0].replica', /window "office-hours" \(#1\): replica is not a known field; allowed: name, start, end, duration, timezone, replicas, leadTime, exclude, from, runOnce/],
    ['a job field in a window', [{ ...ok, targetSize: 3 }], '[0].targetSize', /a CronHPA job field/],
    ['missing name', [{ ...ok, name: undefined }], '[0].name', /window \(#1\): name is missing; allowed: letters, digits/],
    ['bad name', [{ ...ok, name: 'office hours' }], '[0].name', /name "office hours" is not a valid name/],
    ['duplicate name', [ok, ok], '[1].name', /window #2: name "office-hours" is already used by window #1/],
    ['lead time too long', [{ ...ok, leadTime: '25h' }], '[0].leadTime', /leadTime "25h" is out of range; allowed: 0s <= leadTime <= 24h/],
    ['exclude not a list', [{ ...ok, exclude: '2026-12-25' }], '[0].exclude', /exclude "2026-12-25" is not a list/],
    ['exclude a non-date', [{ ...ok, exclude: ['2026-02-30'] }], '[0].exclude[0]', /exclude\[0\] "2026-02-30" is not a calendar date/],
    ['exclude neither', [{ ...ok, exclude: ['christmas'] }], '[0].exclude[0]', /is neither a date nor a valid cron expression/],
    ['bad from', [{ ...ok, from: '2026-13-01' }], '[0].from', /from "2026-13-01" is not a local date or date-time/],
    ['runOnce not boolean', [{ ...ok, runOnce: 'yes' }], '[0].runOnce', /runOnce "yes" is not a boolean/],
    ['runOnce without from', [{ ...ok, runOnce: true }], '[0].runOnce', /runOnce true needs "from"/],
    ['job with bad schedule', [{ name: 'up', schedule: '0 0 25 * * *', targetSize: 3 }], '[0].schedule', /job "up" \(#1\): schedule "0 0 25 \* \* \*" is not a valid cron expression/],
    ['job with negative size', [{ name: 'up', schedule: '0 0 9 * * *', targetSize: -3 }], '[0].targetSize', /job "up" \(#1\): targetSize -3 is negative/],
    ['CronHPA spec with scaleTargetRef', { jobs: [], scaleTargetRef: { name: 'x' } }, 'scaleTargetRef', /unknown key "scaleTargetRef" in the CronHPA spec/],
    ['CronHPA excludeDates not a list', { jobs: [], excludeDates: 'x' }, 'excludeDates', /CronHPA spec: excludeDates "x" is not a list/],
  ])('%s', (_name, doc, path, message) => {
    const { windows, problems } = parseWindows(doc, 'UTC');
    expect(windows).toEqual([]);
    expect(problems.map((p) => p.path)).toContain(path);
    const problem = problems.find((p) => p.path === path);
    expect(problem?.message).toMatch(message);
    expect(problem?.message).toContain(`allowed: ${problem?.allowed}`);
  });

  it('reports every problem at once, across windows', () => {
    const { problems } = parseWindows([{ ...ok, replicas: -1, timezone: 'Nowhere' }, { name: 'b', start: 'x', duration: '1h', replicas: 1 }], 'UTC');
    expect(problems.map((p) => p.path)).toEqual(['[0].replicas', '[0].timezone', '[1].start']);
  });
});
