import { columnIndex, csvRecords } from './csv-lines.ts';
import { traceError } from './input-error.ts';
import type { TextFile } from './azure-functions-reader.ts';
import { targetNameOf, traceFunctionOf, type Trace, type TraceFunction } from './trace.ts';

/**
 * How long a request of a per-request trace takes on a pod, in ms, when the trace has no duration column:
 * `fixedMs` when set; otherwise, with token columns (the LLM inference traces),
 * `contextTokens x contextTokenMs + generatedTokens x generatedTokenMs` (prefill plus decode), at least 1 ms;
 * otherwise `defaultMs`.
 * Example: 4808 context and 10 generated tokens at 0.1 and 30 ms -> 480.8 + 300 = 780.8 ms.
 */
export interface RequestDurationModel {
  readonly fixedMs?: number;
  /** Prefill time per context (prompt) token, ms; default 0.1. */
  readonly contextTokenMs?: number;
  /** Decode time per generated token, ms; default 30. */
  readonly generatedTokenMs?: number;
  /** Duration when the trace has neither durations nor tokens, ms; default 1000. */
  readonly defaultMs?: number;
}

/** Unit of a per-request trace's duration column: milliseconds or seconds. */
export type DurationUnit = 'ms' | 's';

/** Options of {@link readRequestTrace}. */
export interface RequestReadOptions {
  readonly durations?: RequestDurationModel;
  /**
   * Unit of a duration column whose name does not say it (`duration`); required when the trace has one. Columns
   * named `DurationMs` / `duration_ms` are in ms and `DurationS` / `duration_s` / `duration_seconds` in seconds,
   * whatever this says.
   */
  readonly durationUnit?: DurationUnit;
  /** Move the trace so that its span starts here (ms since the epoch); default: keep the trace's own dates. */
  readonly startMs?: number;
  readonly name?: string;
}

/** Accepted names of the optional columns (compared case-insensitively), with the unit their name gives. */
const DURATION_COLUMNS: ReadonlyArray<readonly [string, DurationUnit | undefined]> = [
  ['durationms', 'ms'],
  ['duration_ms', 'ms'],
  ['durations', 's'],
  ['duration_s', 's'],
  ['duration_sec', 's'],
  ['duration_seconds', 's'],
  ['duration', undefined],
];
const FUNCTION_COLUMNS = ['function', 'hashfunction', 'target'];

/**
 * Longest span of a per-request trace, ms (31 days): the simulator steps through every second of the span, so a
 * trace with one timestamp years off would run for hours; it is refused with the lines of the widest gap.
 */
export const MAX_REQUEST_TRACE_SPAN_MS = 31 * 86_400_000;

/**
 * Reads a per-request trace: a CSV with a `TIMESTAMP` column (`2023-11-16 18:17:03.9799600`, read as UTC, or
 * ISO 8601 with `Z` or an offset), and optionally `DurationMs`, `ContextTokens`/`GeneratedTokens` (see
 * {@link RequestDurationModel}) and `function` (one target per distinct value; otherwise one target named after
 * the file). The span runs from the minute of the first request to the minute after the last.
 *
 * @throws SimulatorInputError `EBB_SIM_TRACE_INVALID` naming the file, the line and the problem.
 */
export function readRequestTrace(file: TextFile, options: RequestReadOptions = {}): Trace {
  const records = csvRecords(file.text);
  const header = records[0];
  if (!header) throw traceError('the file is empty (no header, no rows)', file.path, 1);
  const lower = columnIndex(header.fields.map((f) => f.toLowerCase()));
  const tsCol = lower.get('timestamp');
  if (tsCol === undefined) throw traceError(`missing column TIMESTAMP; the header has ${header.fields.join(', ')}`, file.path, header.line);
  const durColumn = DURATION_COLUMNS.find(([name]) => lower.has(name));
  const durCol = durColumn ? lower.get(durColumn[0]) : undefined;
  const durUnit = durColumn ? (durColumn[1] ?? options.durationUnit) : undefined;
  if (durCol !== undefined && durUnit === undefined && options.durations?.fixedMs === undefined) {
    throw traceError(
      `column ${header.fields[durCol]} does not say its unit (the Azure Functions 2021 trace gives seconds): ` +
        `rename it DurationMs or duration_s, or give the unit (--duration-unit ms|s)`,
      file.path,
      header.line,
    );
  }
  const durScale = durUnit === 's' ? 1000 : 1;
  const fnCol = firstOf(lower, FUNCTION_COLUMNS);
  const ctxCol = lower.get('contexttokens');
  const genCol = lower.get('generatedtokens');
  const model = options.durations ?? {};
  const rows = records.slice(1);
  if (rows.length === 0) throw traceError('no requests after the header: the trace is empty', file.path, header.line + 1);
  const byFunction = new Map<string, Array<readonly [number, number]>>();
  let earliest = { at: Infinity, line: 0 };
  let latest = { at: -Infinity, line: 0 };
  for (const row of rows) {
    if (row.fields.length !== header.fields.length) {
      throw traceError(`${row.fields.length} fields, but the header has ${header.fields.length} columns`, file.path, row.line);
    }
    const raw = row.fields[tsCol]!;
    const at = parseTimestamp(raw);
    if (at === undefined) throw traceError(`TIMESTAMP is "${raw}"; expected a date and time such as 2023-11-16 18:17:03.9799600 (UTC) or ISO 8601`, file.path, row.line);
    if (at < earliest.at) earliest = { at, line: row.line };
    if (at > latest.at) latest = { at, line: row.line };
    const number = (col: number | undefined, name: string): number | undefined => {
      if (col === undefined) return undefined;
      const text = row.fields[col]!;
      const v = Number(text);
      if (text === '' || !Number.isFinite(v) || v < 0) throw traceError(`${name} is "${text}"; expected a number >= 0`, file.path, row.line);
      return v;
    };
    const inUnit = number(durCol, header.fields[durCol ?? 0] ?? 'duration');
    const explicit = inUnit === undefined ? undefined : inUnit * durScale;
    const duration = model.fixedMs ?? explicit ?? tokenDuration(number(ctxCol, 'ContextTokens'), number(genCol, 'GeneratedTokens'), model);
    const fn = fnCol === undefined ? '' : row.fields[fnCol]!;
    let list = byFunction.get(fn);
    if (!list) byFunction.set(fn, (list = []));
    list.push([at, Math.max(1, duration)]);
  }
  if (latest.at - earliest.at > MAX_REQUEST_TRACE_SPAN_MS) throw spanError(file.path, rows.map((r) => [parseTimestamp(r.fields[tsCol]!)!, r.line] as const), earliest, latest);
  const name = options.name ?? baseName(file.path).replace(/\.csv$/i, '');
  const taken = new Set<string>();
  let functions: TraceFunction[] = [...byFunction].map(([fn, reqs]) => {
    let id = targetNameOf(fn === '' ? name : fn, fn === '' ? '' : 'fn-', 40);
    while (taken.has(id)) id = `${id}-x`;
    taken.add(id);
    return traceFunctionOf(id, fn === '' ? name : fn, reqs);
  });
  let startMs = Math.floor(earliest.at / 60_000) * 60_000;
  let endMs = (Math.floor(latest.at / 60_000) + 1) * 60_000;
  if (options.startMs !== undefined) {
    const shift = options.startMs - startMs;
    functions = functions.map((f) => ({ ...f, arrivalsMs: f.arrivalsMs.map((t) => t + shift) }));
    startMs += shift;
    endMs += shift;
  }
  return { name, source: file.path, startMs, endMs, functions };
}

/** Parses `YYYY-MM-DD[ T]HH:MM:SS[.fraction][Z|±HH:MM]` (no zone: UTC) to ms since the epoch; undefined if malformed. */
export function parseTimestamp(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const base = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const check = new Date(base);
  if (check.getUTCFullYear() !== Number(y) || check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d)) return undefined;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
  const ms = frac ? Number(`0.${frac}`) * 1000 : 0;
  let offsetMs = 0;
  if (zone && zone !== 'Z') {
    const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
    offsetMs = (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3])) * 60_000;
  }
  return base + ms - offsetMs;
}

function tokenDuration(context: number | undefined, generated: number | undefined, model: RequestDurationModel): number {
  if (context === undefined && generated === undefined) return model.defaultMs ?? 1000;
  return (context ?? 0) * (model.contextTokenMs ?? 0.1) + (generated ?? 0) * (model.generatedTokenMs ?? 30);
}

const DAY_MS = 86_400_000;
const days = (ms: number): string => `${(ms / DAY_MS).toLocaleString('en-US', { maximumFractionDigits: 1 })} days`;
const iso = (ms: number): string => new Date(ms).toISOString();

/** The error for a span beyond {@link MAX_REQUEST_TRACE_SPAN_MS}, naming the widest gap between requests in time order. */
function spanError(
  path: string,
  requests: Array<readonly [number, number]>,
  earliest: { at: number; line: number },
  latest: { at: number; line: number },
): Error {
  requests.sort((a, b) => a[0] - b[0]);
  let gapAt = 1;
  for (let i = 2; i < requests.length; i++) if (requests[i]![0] - requests[i - 1]![0] > requests[gapAt]![0] - requests[gapAt - 1]![0]) gapAt = i;
  const [before, after] = [requests[gapAt - 1]!, requests[gapAt]!];
  return traceError(
    `the requests span ${days(latest.at - earliest.at)}, from ${iso(earliest.at)} (line ${earliest.line}) to ${iso(latest.at)} (line ${latest.line}); ` +
      `the simulator replays at most ${days(MAX_REQUEST_TRACE_SPAN_MS)} of a per-request trace. The widest gap, ${days(after[0] - before[0])}, ` +
      `is between line ${before[1]} (${iso(before[0])}) and line ${after[1]} (${iso(after[0])}): is a timestamp wrong?`,
    path,
  );
}

function firstOf(cols: ReadonlyMap<string, number>, names: readonly string[]): number | undefined {
  for (const n of names) {
    const i = cols.get(n);
    if (i !== undefined) return i;
  }
  return undefined;
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}
