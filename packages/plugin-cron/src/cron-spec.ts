import { CronExpressionParser, type CronExpression } from 'cron-parser';
import { validateDetailed } from 'node-cron';

/**
 * A validated cron expression: 5 fields (`minute hour day-of-month month day-of-week`) or 6 with seconds first,
 * or a predefined `@daily`-style name. Evaluated on wall times (see `zoned-time.ts`), so it never sees a
 * daylight-saving change: mapping to instants is done separately with one rule.
 */
export interface CronSpec {
  /** The expression as written (trimmed). */
  readonly text: string;
  /** True with 6 fields (seconds first); 5-field expressions fire at second 0. */
  readonly withSeconds: boolean;
  /** The six-field canonical form, e.g. `0 0 9 * * 1-5`; equal forms mean equal schedules. */
  readonly canonical: string;
}

/** What a cron expression may look like, for messages. */
export const CRON_ALLOWED =
  '5 fields "minute hour day-of-month month day-of-week" (e.g. "0 9 * * 1-5"), or 6 with seconds first, or @hourly/@daily/@weekly/@monthly/@yearly';

/** Values each field takes, for messages (node-cron's field names). */
const FIELD_RANGES: Readonly<Record<string, string>> = {
  second: '0-59',
  minute: '0-59',
  hour: '0-23',
  dayOfMonth: '1-31 or L',
  month: '1-12 or JAN-DEC',
  dayOfWeek: '0-7 or SUN-SAT (0 and 7 are Sunday), L, #',
};

/** A compiled expression per canonical text; parsing costs ~0.2 ms, iterating ~0.03 ms. */
const compiled = new Map<string, CronExpression>();
const COMPILED_MAX = 2000;

function compile(spec: CronSpec): CronExpression {
  let expr = compiled.get(spec.canonical);
  if (!expr) {
    if (compiled.size >= COMPILED_MAX) compiled.clear();
    expr = CronExpressionParser.parse(spec.canonical, { tz: 'UTC', currentDate: 0 });
    compiled.set(spec.canonical, expr);
  }
  return expr;
}

/**
 * Parses a cron expression. Returns the spec, or a sentence saying what is wrong with it (without naming the
 * window or field: the caller adds those). `H` (random) is refused: schedules must not depend on chance.
 */
export function parseCron(text: string): CronSpec | string {
  const trimmed = text.trim().replace(/\s+/g, ' ');
  if (trimmed === '') return 'it is empty';
  if (!trimmed.startsWith('@') && /(^|[^A-Za-z])H(?![A-Za-z])/.test(trimmed)) {
    return '"H" (a random value) is not supported: a schedule must give the same times on every scaler replica';
  }
  const detailed = validateDetailed(trimmed);
  if (!detailed.valid) {
    const first = detailed.errors[0];
    const range = first ? FIELD_RANGES[first.field] : undefined;
    if (first && range && /is a invalid expression/.test(first.message)) {
      return `the ${first.field} field "${first.value ?? ''}" is not valid (allowed: ${range}, with lists, ranges and steps)`;
    }
    return first?.message ?? 'not a cron expression';
  }
  try {
    const expr = CronExpressionParser.parse(trimmed, { tz: 'UTC', currentDate: 0, strict: false });
    const spec: CronSpec = {
      text: trimmed,
      withSeconds: !trimmed.startsWith('@') && trimmed.split(' ').length === 6,
      canonical: expr.stringify(true),
    };
    compiled.set(spec.canonical, expr);
    // An expression that never fires (e.g. "0 0 31 2 *") throws here.
    compile(spec).reset(new Date(0));
    compile(spec).next();
    return spec;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/** The latest occurrence (wall ms) at or before `wallMs`, or undefined when there is none. */
export function cronAtOrBefore(spec: CronSpec, wallMs: number): number | undefined {
  const expr = compile(spec);
  try {
    expr.reset(new Date(wallMs + 1));
    return expr.prev().getTime();
  } catch {
    return undefined;
  }
}

/** The earliest occurrence (wall ms) strictly after `wallMs`, or undefined when there is none. */
export function cronAfter(spec: CronSpec, wallMs: number): number | undefined {
  const expr = compile(spec);
  try {
    expr.reset(new Date(wallMs));
    return expr.next().getTime();
  } catch {
    return undefined;
  }
}

/**
 * Whether `wallMs` matches the expression at its resolution: to the minute for 5 fields (seconds ignored), to
 * the second for 6 fields. Used for exclusions: `* * 25 12 *` matches every time on 25 December.
 */
export function cronMatches(spec: CronSpec, wallMs: number): boolean {
  const unit = spec.withSeconds ? 1000 : 60_000;
  const truncated = Math.floor(wallMs / unit) * unit;
  return compile(spec).includesDate(new Date(truncated));
}
