import { readFileSync } from 'node:fs';
import { readAzureFunctionsTrace, type TextFile } from './azure-functions-reader.ts';
import { traceError } from './input-error.ts';
import { readRequestTrace, type DurationUnit, type RequestDurationModel } from './request-trace-reader.ts';
import { parseSyntheticSpec, SYNTHETIC_PREFIX } from './synthetic-spec.ts';
import { syntheticTrace } from './synthetic-trace.ts';
import type { Trace } from './trace.ts';

/** The trace formats the simulator reads. */
export type TraceFormat = 'azure-functions' | 'requests' | 'synthetic';

/** Options of {@link loadTrace}. */
export interface LoadTraceOptions {
  /** Seed of everything random in reading (spreading, durations, synthetic arrivals). */
  readonly seed: number;
  /** Start of the span for traces without dates (Azure, synthetic), and a shift for per-request traces when set. */
  readonly startMs?: number;
  /** The Azure duration table; default: the `-inv.csv` path with `-run.csv`. */
  readonly durationsFile?: string;
  /** Durations of per-request traces without a duration column. */
  readonly requestDurations?: RequestDurationModel;
  /** Unit of a per-request trace's `duration` column (its name does not say). */
  readonly durationUnit?: DurationUnit;
  /** Reads a file (for tests); default `readFileSync(path, 'utf8')`. */
  readonly readText?: (path: string) => string;
}

/** Default span start for traces without dates: Monday 2026-01-05T00:00:00Z. */
export const DEFAULT_TRACE_START_MS = Date.UTC(2026, 0, 5);

/**
 * Which format a file is in, from its header line; undefined when unknown.
 * `HashFunction,...,minute_1,...` -> azure-functions; a `TIMESTAMP` column -> requests.
 */
export function detectFormat(headerLine: string): Exclude<TraceFormat, 'synthetic'> | 'azure-durations' | undefined {
  const cols = headerLine.split(',').map((c) => c.trim().replace(/^"|"$/g, ''));
  const has = (c: string): boolean => cols.includes(c);
  if (has('HashFunction') && cols.some((c) => /^minute_\d+$/.test(c))) return 'azure-functions';
  if (has('HashFunction') && cols.some((c) => c.startsWith('percentile_Average_'))) return 'azure-durations';
  if (cols.some((c) => c.toLowerCase() === 'timestamp')) return 'requests';
  return undefined;
}

/**
 * Loads a trace: a file path (format detected from its header) or a `synthetic:` spec.
 * @throws SimulatorInputError `EBB_SIM_TRACE_INVALID` naming the file (and line) for a missing or unreadable
 *   file, an unknown format, wrong columns, bad values, or an empty trace.
 */
export function loadTrace(spec: string, options: LoadTraceOptions): Trace {
  const startMs = options.startMs ?? DEFAULT_TRACE_START_MS;
  if (spec.startsWith(SYNTHETIC_PREFIX)) return syntheticTrace(parseSyntheticSpec(spec, startMs, options.seed));
  const read = (path: string): TextFile => ({ path, text: readText(path, options.readText) });
  const file = read(spec);
  const firstLine = file.text.split(/\r?\n/, 1)[0] ?? '';
  if (file.text.trim() === '') throw traceError('the file is empty: the trace is empty', spec, 1);
  switch (detectFormat(firstLine)) {
    case 'azure-functions': {
      const runPath = options.durationsFile ?? spec.replace(/-inv\.csv$/i, '-run.csv');
      if (runPath === spec) throw traceError('an Azure invocation table needs its duration table: name it -inv.csv next to a -run.csv, or pass the durations file', spec);
      return readAzureFunctionsTrace(file, read(runPath), { startMs, seed: options.seed });
    }
    case 'azure-durations':
      throw traceError('this is an Azure duration table (-run.csv); pass the invocation table (-inv.csv) as the trace', spec, 1);
    case 'requests':
      return readRequestTrace(file, {
        ...(options.requestDurations ? { durations: options.requestDurations } : {}),
        ...(options.durationUnit ? { durationUnit: options.durationUnit } : {}),
        ...(options.startMs !== undefined ? { startMs: options.startMs } : {}),
      });
    default:
      throw traceError(
        `unknown trace format: the header "${firstLine.slice(0, 80)}" is neither the Azure Functions format (HashFunction, HashApp, HashOwner, minute_1..) ` +
          `nor a per-request trace (a TIMESTAMP column); or use ${SYNTHETIC_PREFIX}steps|bursts|diurnal`,
        spec,
        1,
      );
  }
}

function readText(path: string, reader?: (path: string) => string): string {
  try {
    return reader ? reader(path) : readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as { code?: string }).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : e instanceof Error ? e.message : String(e);
    throw traceError(`cannot read the trace: ${why}`, path);
  }
}
