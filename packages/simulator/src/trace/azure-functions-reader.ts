import { columnIndex, csvRecords, type CsvRecord } from './csv-lines.ts';
import { traceError } from './input-error.ts';
import { PercentileDistribution } from './percentile-distribution.ts';
import { createRandom } from './seeded-random.ts';
import type { Trace, TraceFunction } from './trace.ts';

/** The identifying columns of the Azure Functions 2019 trace files. */
export const AZURE_KEY_COLUMNS = ['HashOwner', 'HashApp', 'HashFunction'] as const;
/** The duration percentiles of the `-run.csv` table, as (column, fraction). */
export const AZURE_DURATION_PERCENTILES: ReadonlyArray<readonly [string, number]> = [
  ['percentile_Average_0', 0],
  ['percentile_Average_1', 0.01],
  ['percentile_Average_25', 0.25],
  ['percentile_Average_50', 0.5],
  ['percentile_Average_75', 0.75],
  ['percentile_Average_99', 0.99],
  ['percentile_Average_100', 1],
];

/** A text file: its name (for messages) and content. */
export interface TextFile {
  readonly path: string;
  readonly text: string;
}

/** Options of {@link readAzureFunctionsTrace}. */
export interface AzureReadOptions {
  /** Time of `minute_1`'s start, ms since the epoch (whole second). */
  readonly startMs: number;
  /** Seed of the spreading of invocations within their minute and of the durations. */
  readonly seed: number;
  /** Name for reports; default from the file name. */
  readonly name?: string;
}

const MINUTE_MS = 60_000;

/**
 * Most requests a trace may hold: the simulator replays each request (about 40 bytes of state each while it
 * runs: arrival, duration, wait, state), so 20 million take under 1 GB. A larger trace is refused with the
 * file, the line and the count that crossed the limit; select fewer functions, or cut the table.
 */
export const MAX_TRACE_REQUESTS = 20_000_000;

/**
 * Reads the Azure Functions 2019 per-minute format: `-inv.csv` (HashFunction, HashApp, HashOwner, minute_1 ..
 * minute_N: invocations per minute) and `-run.csv` (the same keys with duration percentiles in ms). Each minute's
 * invocations are spread uniformly over the minute, and each gets a duration drawn from the function's
 * percentiles, both with streams seeded by `seed` and the function's hash (so selecting fewer functions changes
 * nothing for the others). Function ids are `fn-` and the first 8 characters of the hash (longer when needed to be
 * unique).
 *
 * @throws SimulatorInputError `EBB_SIM_TRACE_INVALID` naming the file, the line and the problem: wrong columns, a
 *   row with a different number of fields, a count that is not a whole number >= 0, a function without durations,
 *   no rows, or no invocation at all.
 */
export function readAzureFunctionsTrace(inv: TextFile, run: TextFile, options: AzureReadOptions): Trace {
  const invRecords = csvRecords(inv.text);
  const invHeader = requireHeader(invRecords, inv.path, [...AZURE_KEY_COLUMNS, 'minute_1']);
  const minutes = minuteColumns(invHeader.fields, inv.path, invHeader.line);
  const durations = readDurations(run);
  const rows = invRecords.slice(1);
  if (rows.length === 0) throw traceError('no function rows after the header: the trace is empty', inv.path, invHeader.line + 1);
  const cols = columnIndex(invHeader.fields);
  const ids = new Set<string>();
  const functions: TraceFunction[] = [];
  let total = 0;
  for (const row of rows) {
    if (row.fields.length !== invHeader.fields.length) {
      throw traceError(`${row.fields.length} fields, but the header has ${invHeader.fields.length} columns`, inv.path, row.line);
    }
    const key = rowKey(row, cols);
    const dist = durations.get(key);
    if (!dist) throw traceError(`function ${key.split('/')[2]} has no row in the duration table ${run.path}`, inv.path, row.line);
    const hash = row.fields[cols.get('HashFunction')!]!;
    const spread = createRandom(options.seed).fork(`arrivals:${key}`);
    const draw = createRandom(options.seed).fork(`durations:${key}`);
    // Every count of the row is checked before any is spread, so a count beyond the limit fails at once.
    const counts = minutes.map((col) => {
      const raw = row.fields[col]!;
      const count = Number(raw);
      if (!/^\d+$/.test(raw) || !Number.isSafeInteger(count)) {
        throw traceError(`${invHeader.fields[col]} is "${raw}"; expected a whole number of invocations >= 0`, inv.path, row.line);
      }
      total += count;
      if (total > MAX_TRACE_REQUESTS) {
        throw traceError(
          `${invHeader.fields[col]} is ${raw}: with it the trace has more than ${MAX_TRACE_REQUESTS.toLocaleString('en-US')} requests, ` +
            `the most the simulator replays (one by one); select fewer functions or minutes`,
          inv.path,
          row.line,
        );
      }
      return count;
    });
    const arrivalsMs = new Float64Array(counts.reduce((n, c) => n + c, 0));
    let at = 0;
    counts.forEach((count, m) => {
      if (count === 0) return;
      const minuteStart = options.startMs + m * MINUTE_MS;
      const inMinute = arrivalsMs.subarray(at, at + count);
      for (let i = 0; i < count; i++) inMinute[i] = minuteStart + Math.floor(spread.next() * MINUTE_MS * 1000) / 1000;
      inMinute.sort();
      at += count;
    });
    const durationsMs = Float64Array.from(arrivalsMs, () => Math.max(1, Math.round(dist.sample(draw))));
    functions.push({ id: uniqueId(hash, ids), label: hash, arrivalsMs, durationsMs });
  }
  if (total === 0) throw traceError('every minute of every function has 0 invocations: the trace is empty', inv.path, rows[0]!.line);
  const name = options.name ?? baseName(inv.path).replace(/-inv\.csv$/i, '').replace(/\.csv$/i, '');
  return { name, source: `${inv.path} + ${run.path}`, startMs: options.startMs, endMs: options.startMs + minutes.length * MINUTE_MS, functions };
}

/** The duration table as a distribution per `owner/app/function` key. */
function readDurations(run: TextFile): Map<string, PercentileDistribution> {
  const records = csvRecords(run.text);
  const header = requireHeader(records, run.path, [...AZURE_KEY_COLUMNS, ...AZURE_DURATION_PERCENTILES.map(([c]) => c)]);
  const cols = columnIndex(header.fields);
  const out = new Map<string, PercentileDistribution>();
  const rows = records.slice(1);
  if (rows.length === 0) throw traceError('no function rows after the header: the duration table is empty', run.path, header.line + 1);
  for (const row of rows) {
    if (row.fields.length !== header.fields.length) {
      throw traceError(`${row.fields.length} fields, but the header has ${header.fields.length} columns`, run.path, row.line);
    }
    const points = AZURE_DURATION_PERCENTILES.map(([col, fraction]) => {
      const raw = row.fields[cols.get(col)!]!;
      const value = Number(raw);
      if (raw === '' || !Number.isFinite(value) || value < 0) throw traceError(`${col} is "${raw}"; expected a duration in ms >= 0`, run.path, row.line);
      return { fraction, value };
    });
    out.set(rowKey(row, cols), new PercentileDistribution(points));
  }
  return out;
}

/** The header record, after checking it has every `required` column. */
function requireHeader(records: readonly CsvRecord[], path: string, required: readonly string[]): CsvRecord {
  const header = records[0];
  if (!header) throw traceError('the file is empty (no header, no rows)', path, 1);
  const names = new Set(header.fields);
  const missing = required.filter((c) => !names.has(c));
  if (missing.length) {
    throw traceError(`missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}; the header has ${header.fields.slice(0, 6).join(', ')}${header.fields.length > 6 ? ', ...' : ''}`, path, header.line);
  }
  return header;
}

/** Indexes of minute_1 .. minute_N, which must be consecutive. */
function minuteColumns(header: readonly string[], path: string, line: number): number[] {
  const cols: number[] = [];
  header.forEach((name, i) => {
    const m = /^minute_(\d+)$/.exec(name);
    if (!m) return;
    if (Number(m[1]) !== cols.length + 1) throw traceError(`column ${name} follows minute_${cols.length}; expected minute_${cols.length + 1}`, path, line);
    cols.push(i);
  });
  return cols;
}

function rowKey(row: CsvRecord, cols: ReadonlyMap<string, number>): string {
  return AZURE_KEY_COLUMNS.map((c) => row.fields[cols.get(c)!] ?? '').join('/');
}

function uniqueId(hash: string, taken: Set<string>): string {
  const clean = hash.toLowerCase().replace(/[^a-z0-9]/g, '');
  for (let len = 8; len <= 60; len += 4) {
    const id = `fn-${clean.slice(0, len) || 'x'}`;
    if (!taken.has(id)) {
      taken.add(id);
      return id;
    }
  }
  let i = 2;
  while (taken.has(`fn-${clean.slice(0, 40)}-${i}`)) i++;
  const id = `fn-${clean.slice(0, 40)}-${i}`;
  taken.add(id);
  return id;
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}
