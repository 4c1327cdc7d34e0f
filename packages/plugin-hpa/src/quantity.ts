/**
 * Kubernetes resource quantities (`500m`, `1.5`, `512Mi`, `1e3`, `2G`), parsed exactly with BigInt so that
 * `0.1` CPU is 100 millicores and not 100.00000000000001.
 *
 * Grammar (k8s.io/apimachinery resource.Quantity): an optionally signed decimal number followed by one suffix:
 * binary `Ki Mi Gi Ti Pi Ei` (powers of 1024), decimal `n u m k M G T P E` (powers of 1000), or a decimal
 * exponent `e<int>` / `E<int>`.
 */

const BINARY_SUFFIXES: ReadonlyMap<string, number> = new Map(Object.entries({ Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 }));
const DECIMAL_SUFFIXES: ReadonlyMap<string, number> = new Map(Object.entries({ n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 }));
const NUMBER = /^([+-]?)(\d*)(?:\.(\d*))?(.*)$/;
const EXPONENT = /^[eE]([+-]?\d+)$/;

/** An exact quantity: `sign * mantissa * 10^exp10 * 2^exp2`. */
interface ExactQuantity {
  readonly negative: boolean;
  readonly mantissa: bigint;
  readonly exp10: number;
  readonly exp2: number;
}

function parseExact(text: string): ExactQuantity | undefined {
  const m = NUMBER.exec(text.trim());
  if (!m) return undefined;
  const [, sign = '', whole = '', fraction = '', suffix = ''] = m;
  if (whole.length + fraction.length === 0) return undefined;
  let exp10 = -fraction.length;
  let exp2 = 0;
  const exponent = EXPONENT.exec(suffix);
  if (exponent) {
    exp10 += Number(exponent[1]);
  } else {
    const binary = BINARY_SUFFIXES.get(suffix);
    const decimal = DECIMAL_SUFFIXES.get(suffix);
    if (binary !== undefined) exp2 = binary;
    else if (decimal !== undefined) exp10 += decimal;
    else return undefined;
  }
  if (Math.abs(exp10) > 400) return undefined;
  return { negative: sign === '-', mantissa: BigInt(whole + fraction), exp10, exp2 };
}

/** Ceiling of `q * 10^scale10` as a number (what Quantity.Value() and MilliValue() do for positive values). */
function ceilScaled(q: ExactQuantity, scale10: number): number {
  const e = q.exp10 + scale10;
  let numerator = q.mantissa * 2n ** BigInt(q.exp2);
  let denominator = 1n;
  if (e >= 0) numerator *= 10n ** BigInt(e);
  else denominator = 10n ** BigInt(-e);
  const quotient = numerator / denominator;
  const rounded = numerator % denominator === 0n ? quotient : quotient + 1n;
  return Number(q.negative ? -quotient : rounded);
}

/**
 * The value of a quantity in thousandths of its unit, rounded up like `Quantity.MilliValue()`:
 * `500m` -> 500, `0.1` -> 100, `2` -> 2000. Undefined when `text` is not a quantity.
 */
export function quantityToMilli(text: string): number | undefined {
  const q = parseExact(text);
  return q ? ceilScaled(q, 3) : undefined;
}

/**
 * The value of a quantity in whole units, rounded up like `Quantity.Value()`:
 * `512Mi` -> 536870912, `1k` -> 1000, `1.5` -> 2. Undefined when `text` is not a quantity.
 */
export function quantityToUnits(text: string): number | undefined {
  const q = parseExact(text);
  return q ? ceilScaled(q, 0) : undefined;
}

/** The approximate value of a quantity as a float (`50m` -> 0.05), like `AsApproximateFloat64()`. */
export function quantityToNumber(text: string): number | undefined {
  const q = parseExact(text);
  if (!q) return undefined;
  const value = Number(q.mantissa) * 10 ** q.exp10 * 2 ** q.exp2;
  return q.negative ? -value : value;
}

/**
 * The text of a YAML scalar that should hold a quantity: strings as written, numbers in plain decimal form
 * (YAML reads `0.5` and `1e3` as numbers). Undefined for anything else.
 */
export function quantityText(doc: unknown): string | undefined {
  if (typeof doc === 'string') return doc;
  if (typeof doc === 'number' && Number.isFinite(doc)) return String(doc).replace('e+', 'e');
  return undefined;
}

/** Formats bytes for people: `536870912` -> `512Mi`, `1500` -> `1500`. */
export function formatBytes(bytes: number): string {
  for (const [suffix, shift] of [['Gi', 30], ['Mi', 20], ['Ki', 10]] as const) {
    const unit = 2 ** shift;
    if (bytes >= unit) {
      const value = bytes / unit;
      return `${Number.isInteger(value) ? value : value.toFixed(1)}${suffix}`;
    }
  }
  return `${Math.round(bytes)}`;
}

/** Formats millicores for people: `250` -> `250m`. */
export function formatMillicores(milli: number): string {
  return `${Math.round(milli)}m`;
}
