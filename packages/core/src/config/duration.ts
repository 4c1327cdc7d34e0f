/**
 * Go-style durations (`time.ParseDuration`), the syntax Knative uses for its duration annotations: an optional
 * sign, then one or more `<number><unit>` parts, e.g. `60s`, `1m30s`, `500ms`, `1.5h`, `-2s`; `0` alone is
 * zero. Units: `ns`, `us` (also `µs`, `μs`), `ms`, `s`, `m`, `h`.
 */

const UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  'µs': 1e-3, // U+00B5 micro sign
  'μs': 1e-3, // U+03BC Greek small letter mu
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** Go's limit: a time.Duration is an int64 count of nanoseconds, i.e. at most ~2562047h47m16.854775807s. */
const MAX_DURATION_MS = 9_223_372_036_854.775;

const PART = /([0-9]*)(?:\.([0-9]*))?([^0-9.]+)/y;

/**
 * Parses a Go duration string to milliseconds (may be fractional for sub-millisecond units, may be negative);
 * undefined when the text is not a Go duration. Examples: `1m30s` -> 90000, `500ms` -> 500, `0` -> 0.
 */
export function parseDuration(text: string): number | undefined {
  let rest = text;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    sign = rest.startsWith('-') ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') return undefined;
  let totalMs = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < rest.length) {
    const start = PART.lastIndex;
    const m = PART.exec(rest);
    if (!m || m.index !== start) return undefined;
    const [, whole = '', fraction, unit = ''] = m;
    // Go requires a digit on at least one side of the dot: `.5s` and `5.s` are valid, `.s` is not.
    if (whole === '' && (fraction === undefined || fraction === '')) return undefined;
    const unitMs = UNIT_MS[unit];
    if (unitMs === undefined) return undefined;
    totalMs += Number(`${whole || '0'}.${fraction ?? ''}0`) * unitMs;
  }
  if (totalMs > MAX_DURATION_MS) return undefined;
  return sign * totalMs;
}

/**
 * Formats milliseconds compactly in Go's syntax, leaving out zero parts: 3600000 -> `1h`, 90000 -> `1m30s`,
 * 500 -> `500ms`, 1500 -> `1.5s`, 0 -> `0s`. Parsing the result with {@link parseDuration} gives the input back.
 */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 0) return `-${formatDuration(-ms)}`;
  if (ms < 1000) return `${round(ms)}ms`;
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = round((ms % 60_000) / 1000);
  return `${hours ? `${hours}h` : ''}${minutes ? `${minutes}m` : ''}${seconds ? `${seconds}s` : ''}`;
}

/** Rounds away binary noise (e.g. 1.5000000000000002) without losing sub-millisecond precision. */
function round(n: number): number {
  return Number(n.toPrecision(12));
}
