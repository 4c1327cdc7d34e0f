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

/** Options of {@link readRequestTrace}. */
export interface RequestReadOptions {
  readonly durations?: RequestDurationModel;
  /** Move the trace so that its span starts here (ms since the epoch); default: keep the trace's own dates. */
  readonly startMs?: number;
  readonly name?: string;
}

/** Accepted names of the optional columns (compared case-insensitively). */
const DURATION_COLUMNS = ['durationms', 'duration_ms', 'duration'];
const FUNCTION_COLUMNS = ['function', 'hashfunction', 'target'];

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
  const durCol = firstOf(lower, DURATION_COLUMNS);
  const fnCol = firstOf(lower, FUNCTION_COLUMNS);
  const ctxCol = lower.get('contexttokens');
  const genCol = lower.get('generatedtokens');
  const model = options.durations ?? {};
  const rows = records.slice(1);
  if (rows.length === 0) throw traceError('no requests after the header: the trace is empty', file.path, header.line + 1);
  const byFunction = new Map<string, Array<readonly [number, number]>>();
  for (const row of rows) {
    if (row.fields.length !== header.fields.length) {
      throw traceError(`${row.fields.length} fields, but the header has ${header.fields.length} columns`, file.path, row.line);
    }
    const raw = row.fields[tsCol]!;
    const at = parseTimestamp(raw);
    if (at === undefined) throw traceError(`TIMESTAMP is "${raw}"; expected a date and time such as 2023-11-16 18:17:03.9799600 (UTC) or ISO 8601`, file.path, row.line);
    const number = (col: number | undefined, name: string): number | undefined => {
      if (col === undefined) return undefined;
      const text = row.fields[col]!;
      const v = Number(text);
      if (text === '' || !Number.isFinite(v) || v < 0) throw traceError(`${name} is "${text}"; expected a number >= 0`, file.path, row.line);
      return v;
    };
    const explicit = number(durCol, header.fields[durCol ?? 0] ?? 'duration');
    const duration = model.fixedMs ?? explicit ?? tokenDuration(number(ctxCol, 'ContextTokens'), number(genCol, 'GeneratedTokens'), model);
    const fn = fnCol === undefined ? '' : row.fields[fnCol]!;
    let list = byFunction.get(fn);
    if (!list) byFunction.set(fn, (list = []));
    list.push([at, Math.max(1, duration)]);
  }
  const name = options.name ?? baseName(file.path).replace(/\.csv$/i, '');
  const taken = new Set<string>();
  let functions: TraceFunction[] = [...byFunction].map(([fn, reqs]) => {
    let id = targetNameOf(fn === '' ? name : fn, fn === '' ? '' : 'fn-', 40);
    while (taken.has(id)) id = `${id}-x`;
    taken.add(id);
    return traceFunctionOf(id, fn === '' ? name : fn, reqs);
  });
  const first = Math.min(...functions.map((f) => f.arrivalsMs[0]!));
  const last = Math.max(...functions.map((f) => f.arrivalsMs[f.arrivalsMs.length - 1]!));
  let startMs = Math.floor(first / 60_000) * 60_000;
  let endMs = (Math.floor(last / 60_000) + 1) * 60_000;
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
