/** What {@link stateText} found in a value. */
export interface StateText {
  /** A text equal for equal values (Maps, Sets, typed arrays, NaN and Infinity included; key order as stored). */
  readonly text: string;
  /** The largest number that looks like a time (ms since the epoch, 2001..5138), or -Infinity when none. */
  readonly latestTimeMs: number;
}

/** Numbers in this range are taken for times, ms since the epoch (2001-09-09 .. 5138-11-16). */
const TIME_MIN_MS = 1e12;
const TIME_MAX_MS = 1e14;

/**
 * A text of a plugin's or the combination's state, to see whether a decision changed it, and the latest time it
 * holds, to see whether a window or a delay measured from that time could still end. Functions are written as
 * `fn` (state holds none in practice). Example: `{ since: 1767571200000, level: [0, NaN] }` ->
 * `{since:1767571200000,level:[0,NaN]}` with latest time 1767571200000.
 */
export function stateText(value: unknown): StateText {
  let latest = -Infinity;
  const parts: string[] = [];
  const seen = new Set<object>();
  const walk = (v: unknown): void => {
    if (typeof v === 'number') {
      if (v >= TIME_MIN_MS && v <= TIME_MAX_MS && v > latest) latest = v;
      parts.push(String(v));
      return;
    }
    if (v === null || typeof v !== 'object') {
      parts.push(typeof v === 'string' ? JSON.stringify(v) : typeof v === 'function' ? 'fn' : String(v));
      return;
    }
    if (seen.has(v)) {
      parts.push('<cycle>');
      return;
    }
    seen.add(v);
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
      parts.push('[');
      const xs = v as unknown as ArrayLike<number>;
      for (let i = 0; i < xs.length; i++) {
        walk(xs[i]);
        parts.push(',');
      }
      parts.push(']');
    } else if (Array.isArray(v) || v instanceof Set) {
      parts.push(v instanceof Set ? 'Set[' : '[');
      for (const x of v) {
        walk(x);
        parts.push(',');
      }
      parts.push(']');
    } else if (v instanceof Map) {
      parts.push('Map{');
      for (const [k, x] of v) {
        walk(k);
        parts.push(':');
        walk(x);
        parts.push(',');
      }
      parts.push('}');
    } else {
      parts.push('{');
      for (const [k, x] of Object.entries(v)) {
        parts.push(k, ':');
        walk(x);
        parts.push(',');
      }
      parts.push('}');
    }
    seen.delete(v);
  };
  walk(value);
  return { text: parts.join(''), latestTimeMs: latest };
}
