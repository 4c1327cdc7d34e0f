import type { CronSpec } from './cron-spec.ts';
import type { CronWindow, WindowEnd } from './cron-window.ts';
import {
  MAX_LEAD_TIME_MS,
  MIN_DURATION_MS,
  readBoolean,
  readCron,
  readDuration,
  readExclude,
  readFrom,
  readName,
  readReplicas,
  readTimezone,
  type ReportProblem,
} from './window-fields.ts';

/** One problem in the window list, as data. */
export interface WindowProblem {
  /** Where in the document, e.g. `[1].replicas` or `jobs[0].schedule`. */
  readonly path: string;
  /** A sentence naming the window (by name and position), the field, the value and what is allowed. */
  readonly message: string;
  /** What is allowed, e.g. `an integer >= 0, unquoted`. */
  readonly allowed: string;
}

/** Result of {@link parseWindows}: the windows when `problems` is empty. */
export interface ParsedWindows {
  readonly windows: readonly CronWindow[];
  readonly problems: readonly WindowProblem[];
}

/** Fields of an Ebb window. */
export const WINDOW_FIELDS = ['name', 'start', 'end', 'duration', 'timezone', 'replicas', 'leadTime', 'exclude', 'from', 'runOnce'] as const;
/** Fields of a kubernetes-cronhpa job (its own plus the Ebb ones that make sense for it). */
export const JOB_FIELDS = ['name', 'schedule', 'targetSize', 'runOnce', 'timezone', 'leadTime', 'exclude', 'from'] as const;
const MAX_DURATION_MS = 366 * 86_400_000;

function show(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  const s = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

interface Draft {
  readonly window: Omit<CronWindow, 'end'> & { end: WindowEnd | undefined };
  readonly isJob: boolean;
}

/**
 * Parses the YAML document of the `ebb.dev/cron` annotation (already parsed from YAML) into windows, reporting
 * every problem at once. Accepts:
 * - a list of Ebb windows (`name`, `start`, `end` or `duration`, `replicas`, ...; see README);
 * - kubernetes-cronhpa jobs (`name`, `schedule`, `targetSize`, `runOnce`), in the list or as the CronHPA spec
 *   `{ jobs: [...], excludeDates: [...] }`: each job holds its `targetSize` as a floor until the next job fires.
 * An absent or empty document is an empty list.
 *
 * @param defaultTimezone canonical IANA zone for windows without `timezone`.
 */
export function parseWindows(doc: unknown, defaultTimezone: string): ParsedWindows {
  const problems: WindowProblem[] = [];
  let items: unknown[] = [];
  let prefix = '';
  let shared: { readonly dates: string[]; readonly crons: CronSpec[] } | undefined = { dates: [], crons: [] };
  if (doc === undefined || doc === null || doc === '') return { windows: [], problems };
  if (Array.isArray(doc)) {
    items = doc;
  } else if (isRecord(doc) && 'jobs' in doc) {
    prefix = 'jobs';
    for (const key of Object.keys(doc).filter((k) => k !== 'jobs' && k !== 'excludeDates')) {
      problems.push({ path: key, message: `unknown key "${key}" in the CronHPA spec; allowed: jobs, excludeDates (the target is the annotated Deployment)`, allowed: 'jobs, excludeDates' });
    }
    if (Array.isArray(doc['jobs'])) items = doc['jobs'];
    else problems.push({ path: 'jobs', message: `jobs ${show(doc['jobs'])} is not a list; allowed: a list of CronHPA jobs`, allowed: 'a list of CronHPA jobs' });
    shared = readExclude('excludeDates', doc['excludeDates'], (field, value, what, allowed) => {
      problems.push({ path: field, message: `CronHPA spec: ${field} ${show(value)} ${what}; allowed: ${allowed}`, allowed });
    });
  } else {
    const allowed = 'a YAML list of windows (or a CronHPA spec with jobs)';
    return { windows: [], problems: [{ path: '', message: `the cron annotation ${show(doc)} is not a list; allowed: ${allowed}`, allowed }] };
  }

  const sharedExclude = shared ?? { dates: [], crons: [] };
  const drafts = items.map((item, index) => parseItem(item, index, prefix, defaultTimezone, sharedExclude, problems));
  const jobStarts: CronSpec[] = drafts.flatMap((d) => (d?.isJob ? [d.window.start] : []));
  const windows: CronWindow[] = [];
  const seen = new Map<string, number>();
  drafts.forEach((d, index) => {
    if (!d) return;
    const end: WindowEnd | undefined = d.isJob ? { kind: 'cron', crons: jobStarts } : d.window.end;
    const first = seen.get(d.window.name);
    if (first !== undefined) {
      const allowed = 'a name used by one window only';
      problems.push({ path: `${prefix}[${index}].name`, message: `window #${index + 1}: name ${show(d.window.name)} is already used by window #${first + 1}; allowed: ${allowed}`, allowed });
      return;
    }
    seen.set(d.window.name, index);
    if (end) windows.push({ ...d.window, end });
  });
  return { windows: problems.length === 0 ? windows : [], problems };
}

function parseItem(
  item: unknown,
  index: number,
  prefix: string,
  defaultTimezone: string,
  shared: { readonly dates: readonly string[]; readonly crons: readonly CronSpec[] },
  problems: WindowProblem[],
): Draft | undefined {
  const path = `${prefix}[${index}]`;
  if (!isRecord(item)) {
    const allowed = 'a mapping with name, start, end or duration, replicas, ...';
    problems.push({ path, message: `window #${index + 1} ${show(item)} is not a mapping; allowed: ${allowed}`, allowed });
    return undefined;
  }
  const isJob = prefix === 'jobs' || (!('start' in item) && ('schedule' in item || 'targetSize' in item));
  const named = typeof item['name'] === 'string' && item['name'] !== '' ? `"${item['name']}" ` : '';
  const label = `${isJob ? 'job' : 'window'} ${named}(#${index + 1})`;
  const before = problems.length;
  const report: ReportProblem = (field, value, what, allowed) => {
    const shown = value === undefined ? '' : ` ${show(value)}`;
    problems.push({ path: `${path}.${field}`, message: `${label}: ${field}${shown} ${what}; allowed: ${allowed}`, allowed });
  };

  const known: readonly string[] = isJob ? JOB_FIELDS : WINDOW_FIELDS;
  for (const key of Object.keys(item).filter((k) => !known.includes(k))) {
    const hint = !isJob && (JOB_FIELDS as readonly string[]).includes(key) ? ' (a CronHPA job field: a job has schedule and targetSize, and no start)' : '';
    report(key, undefined, `is not a known field${hint}`, known.join(', '));
  }
  const name = readName(item['name'], report);
  const start = readCron(isJob ? 'schedule' : 'start', item[isJob ? 'schedule' : 'start'], report);
  const replicas = readReplicas(isJob ? 'targetSize' : 'replicas', item[isJob ? 'targetSize' : 'replicas'], report);
  const timezone = readTimezone(item['timezone'], defaultTimezone, report);
  const leadTimeMs = item['leadTime'] === undefined ? 0 : readDuration('leadTime', item['leadTime'], 0, MAX_LEAD_TIME_MS, report);
  const exclude = readExclude('exclude', item['exclude'], report);
  const fromWallMs = item['from'] === undefined ? undefined : readFrom(item['from'], report);
  const runOnce = readBoolean('runOnce', item['runOnce'], report);
  if (runOnce && item['from'] === undefined) {
    report('runOnce', true, 'needs "from": the one occurrence is the first start at or after it, so that it does not depend on when the scaler started', 'runOnce: true together with from: "YYYY-MM-DD[THH:MM]"');
  }
  const end = isJob ? undefined : readEnd(item, start, report);
  if (problems.length > before || !name || !start || replicas === undefined || !timezone || leadTimeMs === undefined || !exclude || runOnce === undefined) {
    return undefined;
  }
  const window = {
    name,
    index,
    start,
    end,
    timezone,
    replicas,
    leadTimeMs,
    excludeDates: [...exclude.dates, ...shared.dates],
    excludeCrons: [...exclude.crons, ...shared.crons],
    fromWallMs,
    runOnce,
  };
  return { window, isJob };
}

function readEnd(item: Record<string, unknown>, start: CronSpec | undefined, report: ReportProblem): WindowEnd | undefined {
  const hasEnd = item['end'] !== undefined;
  const hasDuration = item['duration'] !== undefined;
  if (hasEnd === hasDuration) {
    const what = hasEnd ? 'and duration are both set' : 'is missing (and so is duration)';
    report('end', hasEnd ? item['end'] : undefined, what, 'exactly one of end (a cron expression) or duration (e.g. "2h30m")');
    return undefined;
  }
  if (hasDuration) {
    const ms = readDuration('duration', item['duration'], MIN_DURATION_MS, MAX_DURATION_MS, report);
    return ms === undefined ? undefined : { kind: 'duration', ms };
  }
  const end = readCron('end', item['end'], report);
  if (!end) return undefined;
  if (start && end.canonical === start.canonical) {
    report('end', item['end'], `fires at the same times as start ${show(start.text)}, so the window would never end`, 'an end cron different from start, or a duration');
    return undefined;
  }
  return { kind: 'cron', crons: [end] };
}
