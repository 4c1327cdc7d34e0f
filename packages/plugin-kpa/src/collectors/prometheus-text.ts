/**
 * A reader for the Prometheus text exposition format (version 0.0.4, and OpenMetrics text as far as plain samples
 * go), reading only the metrics asked for.
 */

/** The sum over the series of one metric on one page. */
export interface MetricTotal {
  /** Sum of the values of every series of the metric (all label sets). */
  readonly sum: number;
  /** How many series were summed (>= 1). */
  readonly series: number;
}

/** A page that is not valid exposition text where it matters (a line of a metric that was asked for). */
export class ExpositionFormatError extends Error {
  override readonly name = 'ExpositionFormatError';
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;

/** Go's and Prometheus' spellings of the special values, plus plain numbers. */
function parseValue(token: string): number {
  switch (token) {
    case '+Inf':
    case 'Inf':
      return Infinity;
    case '-Inf':
      return -Infinity;
    case 'NaN':
      return NaN;
    default:
      return token === '' ? NaN : Number(token);
  }
}

/** Index just past the label set that starts at `start` (`{`), honouring quoted values and escapes; -1 if unclosed. */
function skipLabels(line: string, start: number): number {
  let quoted = false;
  for (let i = start + 1; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '}') return i + 1;
  }
  return -1;
}

/**
 * Sums, per metric name in `names`, the values of all its series on the page `text`. Lines of other metrics are
 * skipped without being parsed; comments (`# HELP`, `# TYPE`, `# EOF`) are ignored. A name that does not occur
 * is absent from the result (never read as 0).
 * Example: `reqs{code="200"} 7` and `reqs{code="500"} 3` -> `reqs: { sum: 10, series: 2 }`.
 * @throws ExpositionFormatError naming the line when a line of a wanted metric is malformed or its value is not
 *   a finite number.
 */
export function readMetricTotals(text: string, names: ReadonlySet<string>): Map<string, MetricTotal> {
  const totals = new Map<string, MetricTotal>();
  let lineNo = 0;
  for (const raw of text.split('\n')) {
    lineNo++;
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const name = NAME.exec(line)?.[0];
    if (name === undefined || !names.has(name)) continue;
    let rest = name.length;
    if (line[rest] === '{') {
      rest = skipLabels(line, rest);
      if (rest < 0) throw new ExpositionFormatError(`line ${lineNo}: unclosed label set in ${JSON.stringify(line)}`);
    }
    // After the name (and labels): whitespace, the value, then an optional timestamp (ignored).
    const tokens = line.slice(rest).trim().split(/\s+/);
    const value = parseValue(tokens[0] ?? '');
    if (!Number.isFinite(value)) {
      throw new ExpositionFormatError(`line ${lineNo}: ${name} has no finite value in ${JSON.stringify(line)}`);
    }
    const before = totals.get(name);
    totals.set(name, { sum: (before?.sum ?? 0) + value, series: (before?.series ?? 0) + 1 });
  }
  return totals;
}
