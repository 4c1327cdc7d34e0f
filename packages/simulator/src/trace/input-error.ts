/** Codes of the simulator's input errors; stable, so tests and callers match on them, never on messages. */
export const SimulatorErrorCodes = {
  /** A trace file is unreadable, of an unknown format, has wrong columns or bad values, or is empty. */
  TRACE_INVALID: 'EBB_SIM_TRACE_INVALID',
  /** A configuration (preset name, YAML file, annotations) is invalid. */
  CONFIG_INVALID: 'EBB_SIM_CONFIG_INVALID',
  /** A simulation option (start-up time, seed, price ratio, ...) is out of range. */
  OPTIONS_INVALID: 'EBB_SIM_OPTIONS_INVALID',
  /** Output could not be written (for example PNG without its renderer). */
  OUTPUT_FAILED: 'EBB_SIM_OUTPUT_FAILED',
} as const;

/** One of {@link SimulatorErrorCodes}. */
export type SimulatorErrorCode = (typeof SimulatorErrorCodes)[keyof typeof SimulatorErrorCodes];

/** Where a problem is: a file (or `<synthetic>`), and a 1-based line when known. */
export interface InputLocation {
  readonly file: string;
  readonly line?: number;
}

/**
 * A problem with the simulator's input, naming the file, the line and the problem:
 * `traces/x-inv.csv:3: minute_17 is "abc"; expected a whole number of invocations >= 0`.
 */
export class SimulatorInputError extends Error {
  readonly code: SimulatorErrorCode;
  readonly file: string | undefined;
  readonly line: number | undefined;
  /** The problem alone, without the location. */
  readonly problem: string;

  constructor(code: SimulatorErrorCode, problem: string, where?: InputLocation) {
    super(where ? `${where.file}${where.line === undefined ? '' : `:${where.line}`}: ${problem}` : problem);
    this.name = 'SimulatorInputError';
    this.code = code;
    this.file = where?.file;
    this.line = where?.line;
    this.problem = problem;
  }
}

/** True when `e` is a {@link SimulatorInputError} (with `code`, when given). */
export function isSimulatorInputError(e: unknown, code?: SimulatorErrorCode): e is SimulatorInputError {
  return e instanceof SimulatorInputError && (code === undefined || e.code === code);
}

/** Shorthand for a trace error at `file:line`. */
export function traceError(problem: string, file: string, line?: number): SimulatorInputError {
  return new SimulatorInputError(SimulatorErrorCodes.TRACE_INVALID, problem, line === undefined ? { file } : { file, line });
}
