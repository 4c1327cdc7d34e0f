/**
 * One function (one scale target) of a trace: its requests, sorted by arrival. Times are ms since the Unix epoch,
 * so cron windows and time zones see real dates.
 */
export interface TraceFunction {
  /** Stable id, used as the target's name: lower-case letters, digits and `-`, at most 63 characters. */
  readonly id: string;
  /** What the trace calls it (for example the full Azure function hash). */
  readonly label: string;
  /** Arrival time of each request, ms since the epoch, non-decreasing. */
  readonly arrivalsMs: Float64Array;
  /** Service time of each request on a pod, ms (> 0); same index as `arrivalsMs`. */
  readonly durationsMs: Float64Array;
}

/** A workload: requests of one or more functions over a time span. */
export interface Trace {
  /** Name for reports, e.g. `azure-functions-2019-sample10`. */
  readonly name: string;
  /** Files it was read from, or a description of the generator. */
  readonly source: string;
  /** Start of the span, ms since the epoch (whole second). */
  readonly startMs: number;
  /** End of the span (exclusive), ms since the epoch; every arrival is before it. */
  readonly endMs: number;
  readonly functions: readonly TraceFunction[];
}

/** Number of requests in a trace. */
export function traceRequestCount(trace: Trace): number {
  return trace.functions.reduce((n, f) => n + f.arrivalsMs.length, 0);
}

/**
 * A target name from any label: lower-case, other characters replaced by `-`, cut to `maxLength`.
 * Example: `fn-1779fd3337dd` from `1779FD3337DD353E...` with prefix `fn-` and length 15.
 */
export function targetNameOf(label: string, prefix = '', maxLength = 63): string {
  const body = label.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  const name = `${prefix}${body}`.slice(0, maxLength).replace(/-+$/, '');
  return name || `${prefix}fn`.replace(/-+$/, '');
}

/** Builds a {@link TraceFunction} from unsorted (arrival, duration) pairs; sorts by arrival (stable). */
export function traceFunctionOf(id: string, label: string, requests: ReadonlyArray<readonly [number, number]>): TraceFunction {
  const order = requests.map((_, i) => i).sort((a, b) => requests[a]![0] - requests[b]![0] || a - b);
  const arrivalsMs = new Float64Array(order.length);
  const durationsMs = new Float64Array(order.length);
  order.forEach((src, i) => {
    arrivalsMs[i] = requests[src]![0];
    durationsMs[i] = requests[src]![1];
  });
  return { id, label, arrivalsMs, durationsMs };
}
