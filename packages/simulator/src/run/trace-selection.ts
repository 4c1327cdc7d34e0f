import { SimulatorErrorCodes, SimulatorInputError } from '../trace/input-error.ts';
import type { Trace } from '../trace/trace.ts';

/** Which part of a trace to simulate. */
export interface TraceSelection {
  /** Keep only functions whose id starts with one of these. */
  readonly functions?: readonly string[];
  /** Keep at most this many functions. */
  readonly maxFunctions?: number;
  /** Keep only the first this many hours of the span. */
  readonly hours?: number;
}

/**
 * Narrows a trace to some functions and a shorter span.
 * @throws SimulatorInputError `EBB_SIM_OPTIONS_INVALID` when nothing is left (naming the ids known), or
 *   `hours` / `maxFunctions` is out of range.
 */
export function selectTrace(trace: Trace, s: TraceSelection): Trace {
  let functions = trace.functions;
  if (s.functions?.length) {
    functions = functions.filter((f) => s.functions!.some((p) => f.id.startsWith(p) || f.label.startsWith(p)));
    if (!functions.length) {
      const known = trace.functions.map((f) => f.id).slice(0, 12).join(', ');
      throw new SimulatorInputError(SimulatorErrorCodes.OPTIONS_INVALID, `no function of ${trace.name} matches ${s.functions.join(', ')}; its functions are ${known}`);
    }
  }
  if (s.maxFunctions !== undefined) {
    if (!Number.isInteger(s.maxFunctions) || s.maxFunctions < 1) {
      throw new SimulatorInputError(SimulatorErrorCodes.OPTIONS_INVALID, `functions limit is ${s.maxFunctions}; expected an integer >= 1`);
    }
    functions = functions.slice(0, s.maxFunctions);
  }
  let endMs = trace.endMs;
  if (s.hours !== undefined) {
    if (!(s.hours > 0)) throw new SimulatorInputError(SimulatorErrorCodes.OPTIONS_INVALID, `hours is ${s.hours}; expected a number > 0`);
    endMs = Math.min(trace.endMs, trace.startMs + Math.round(s.hours * 3_600_000));
    functions = functions.map((f) => {
      let n = 0;
      while (n < f.arrivalsMs.length && f.arrivalsMs[n]! < endMs) n++;
      return n === f.arrivalsMs.length ? f : { ...f, arrivalsMs: f.arrivalsMs.slice(0, n), durationsMs: f.durationsMs.slice(0, n) };
    });
  }
  return functions === trace.functions && endMs === trace.endMs ? trace : { ...trace, functions, endMs };
}
