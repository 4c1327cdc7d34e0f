import { CRON_ALLOWED, parseCron, type CronSpec } from './cron-spec.ts';
import { DURATION_ALLOWED, formatGoDuration, parseGoDuration } from './go-duration.ts';
import { canonicalTimeZone } from './zoned-time.ts';

/**
 * Readers for the fields of one window. Each returns the typed value, or undefined after reporting one problem
 * through `report(field, value, what, allowed)`, where `what` says what is wrong with the value.
 */
export type ReportProblem = (field: string, value: unknown, what: string, allowed: string) => void;

/** What a window name may look like. */
export const NAME_ALLOWED = 'letters, digits, ".", "_" and "-", starting and ending with a letter or digit, at most 63 characters';
/** What a date exclusion or a `from` date may look like. */
export const DATE_ALLOWED = 'a date YYYY-MM-DD in the window\'s time zone';
const FROM_ALLOWED = 'a local date YYYY-MM-DD or date-time YYYY-MM-DDTHH:MM[:SS] in the window\'s time zone, quoted';
/** Longest lead time, in ms (24 h). */
export const MAX_LEAD_TIME_MS = 86_400_000;
/** Shortest duration, in ms (1 s: cron's resolution). */
export const MIN_DURATION_MS = 1000;

/** `name`: required; see {@link NAME_ALLOWED}. */
export function readName(raw: unknown, report: ReportProblem): string | undefined {
  if (typeof raw === 'string' && /^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/.test(raw)) return raw;
  report('name', raw, raw === undefined ? 'is missing' : 'is not a valid name', NAME_ALLOWED);
  return undefined;
}

/** A required cron expression (`start`, `end`, a job's `schedule`); see `parseCron`. */
export function readCron(field: string, raw: unknown, report: ReportProblem): CronSpec | undefined {
  if (typeof raw !== 'string') {
    report(field, raw, raw === undefined ? 'is missing' : 'is not a string', `a quoted cron expression: ${CRON_ALLOWED}`);
    return undefined;
  }
  const spec = parseCron(raw);
  if (typeof spec === 'string') {
    report(field, raw, `is not a valid cron expression (${spec})`, CRON_ALLOWED);
    return undefined;
  }
  return spec;
}

/** A Go-style duration (`leadTime`, `duration`) in ms within [minMs, maxMs] (ms). */
export function readDuration(field: string, raw: unknown, minMs: number, maxMs: number, report: ReportProblem): number | undefined {
  const range = `${formatGoDuration(minMs)} <= ${field} <= ${formatGoDuration(maxMs)}`;
  const ms = typeof raw === 'string' ? parseGoDuration(raw) : undefined;
  if (ms === undefined) {
    const what = typeof raw === 'number' ? 'has no unit' : 'is not a duration';
    report(field, raw, what, `${DURATION_ALLOWED}, ${range}`);
    return undefined;
  }
  if (ms < minMs || ms > maxMs) {
    report(field, raw, 'is out of range', range);
    return undefined;
  }
  return ms;
}

/** `timezone`: an IANA zone known to Intl, returned in canonical form; `fallback` when absent. */
export function readTimezone(raw: unknown, fallback: string, report: ReportProblem): string | undefined {
  if (raw === undefined) return fallback;
  const zone = typeof raw === 'string' ? canonicalTimeZone(raw) : undefined;
  if (zone === undefined) report('timezone', raw, 'is not a known IANA time zone', 'an IANA time zone such as "Europe/Berlin", "America/New_York" or "UTC"');
  return zone;
}

/** `replicas` (or a job's `targetSize`): a required integer >= 0, unquoted. */
export function readReplicas(field: string, raw: unknown, report: ReportProblem): number | undefined {
  if (typeof raw === 'number' && Number.isSafeInteger(raw) && raw >= 0) return raw;
  let what = 'is not an integer';
  if (raw === undefined) what = 'is missing';
  else if (typeof raw === 'number' && raw < 0) what = 'is negative';
  else if (typeof raw === 'string') what = 'is a string, not a number';
  report(field, raw, what, 'an integer >= 0, unquoted');
  return undefined;
}

/** An optional boolean (`runOnce`); false when absent. */
export function readBoolean(field: string, raw: unknown, report: ReportProblem): boolean | undefined {
  if (raw === undefined) return false;
  if (typeof raw === 'boolean') return raw;
  report(field, raw, 'is not a boolean', 'true or false, unquoted');
  return undefined;
}

/** A `YYYY-MM-DD` string naming a real calendar date, or undefined. YAML 1.1 dates (Date at UTC midnight) too. */
export function calendarDate(raw: unknown): string | undefined {
  if (raw instanceof Date) {
    return !Number.isNaN(raw.getTime()) && raw.getTime() % 86_400_000 === 0 ? raw.toISOString().slice(0, 10) : undefined;
  }
  if (typeof raw !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(raw)) return undefined;
  const d = new Date(`${raw}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === raw ? raw : undefined;
}

/** Exclusions: dates and cron expressions, sorted into the two kinds. */
export function readExclude(
  field: string,
  raw: unknown,
  report: ReportProblem,
): { readonly dates: string[]; readonly crons: CronSpec[] } | undefined {
  const out = { dates: [] as string[], crons: [] as CronSpec[] };
  if (raw === undefined) return out;
  const allowed = `a list whose items are each ${DATE_ALLOWED} or a cron expression matching excluded start times`;
  if (!Array.isArray(raw)) {
    report(field, raw, 'is not a list', allowed);
    return undefined;
  }
  let ok = true;
  raw.forEach((item: unknown, i) => {
    const date = calendarDate(item);
    if (date !== undefined) return void out.dates.push(date);
    const looksLikeDate = typeof item === 'string' && /^\d{4}-/.test(item);
    const spec = typeof item === 'string' && !looksLikeDate ? parseCron(item) : undefined;
    if (spec !== undefined && typeof spec !== 'string') return void out.crons.push(spec);
    const what = looksLikeDate ? 'is not a calendar date' : `is neither a date nor a valid cron expression${typeof spec === 'string' ? ` (${spec})` : ''}`;
    report(`${field}[${i}]`, item, what, allowed);
    ok = false;
  });
  return ok ? out : undefined;
}

/** `from`: a local date or date-time, as wall-clock ms (local fields as if UTC). */
export function readFrom(raw: unknown, report: ReportProblem): number | undefined {
  if (raw instanceof Date && !Number.isNaN(raw.getTime())) return raw.getTime();
  const m = typeof raw === 'string' ? /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(raw) : null;
  if (m) {
    const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number, number, number];
    const wall = Date.UTC(y, mo - 1, d, h, mi, s);
    const back = new Date(wall);
    const same = [back.getUTCFullYear(), back.getUTCMonth() + 1, back.getUTCDate(), back.getUTCHours(), back.getUTCMinutes(), back.getUTCSeconds()];
    if (same.every((v, i) => v === [y, mo, d, h, mi, s][i])) return wall;
  }
  report('from', raw, 'is not a local date or date-time', FROM_ALLOWED);
  return undefined;
}
