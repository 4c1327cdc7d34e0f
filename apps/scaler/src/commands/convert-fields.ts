import { ConvertInputError } from './convert-types.ts';

/** A plain mapping read from YAML. */
export type Mapping = Readonly<Record<string, unknown>>;

const show = (value: unknown): string => (value === undefined ? 'nothing' : JSON.stringify(value));

/**
 * Reads typed fields of one source object and throws a {@link ConvertInputError} naming the object, the field
 * path (`spec.triggers[0].metadata.value`), the value and what is allowed when one does not fit.
 */
export class FieldReader {
  readonly where: string;

  constructor(where: string) {
    this.where = where;
  }

  /** Throws the error for `path`. */
  fail(path: string, value: unknown, allowed: string): never {
    throw new ConvertInputError(this.where, path, show(value), allowed);
  }

  /** A mapping, or undefined when absent (null counts as absent). */
  mapping(value: unknown, path: string): Mapping | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) this.fail(path, value, 'a mapping');
    return value as Mapping;
  }

  /** A list, or an empty list when absent. */
  list(value: unknown, path: string): readonly unknown[] {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) this.fail(path, value, 'a list');
    return value;
  }

  /** A non-empty string, or undefined when absent. */
  string(value: unknown, path: string, required = false): string | undefined {
    if (value === undefined || value === null || value === '') {
      if (required) this.fail(path, value, 'a non-empty string (required)');
      return undefined;
    }
    if (typeof value !== 'string') this.fail(path, value, 'a string');
    return value;
  }

  /** A required non-empty string. */
  requiredString(value: unknown, path: string): string {
    return this.string(value, path, true) ?? this.fail(path, value, 'a non-empty string (required)');
  }

  /**
   * An integer within [min, max], or undefined when absent. `strings` also accepts a decimal string (KEDA's
   * trigger metadata is a map of strings: `desiredReplicas: "10"`).
   */
  integer(value: unknown, path: string, range: { min: number; max?: number; required?: boolean; strings?: boolean }): number | undefined {
    return this.number(value, path, { ...range, integer: true });
  }

  /** A required integer within [min, max] (see {@link integer}). */
  requiredInteger(value: unknown, path: string, range: { min: number; max?: number; strings?: boolean }): number {
    return this.integer(value, path, { ...range, required: true }) ?? this.fail(path, value, 'an integer (required)');
  }

  /** A required number within [min, max] (see {@link number}). */
  requiredNumber(value: unknown, path: string, range: { min: number; max?: number; strings?: boolean; exclusiveMin?: boolean }): number {
    return this.number(value, path, { ...range, required: true }) ?? this.fail(path, value, 'a number (required)');
  }

  /** A number within [min, max] (optionally whole), or undefined when absent. */
  number(value: unknown, path: string, range: { min: number; max?: number; required?: boolean; strings?: boolean; integer?: boolean; exclusiveMin?: boolean }): number | undefined {
    const what = `${range.integer ? 'an integer' : 'a number'} ${range.exclusiveMin ? '>' : '>='} ${range.min}${range.max === undefined ? '' : ` and <= ${range.max}`}${range.strings ? ' (a number or a quoted number)' : ''}`;
    if (value === undefined || value === null || value === '') {
      if (range.required) this.fail(path, value, `${what} (required)`);
      return undefined;
    }
    let n: number;
    if (typeof value === 'number') n = value;
    else if (typeof value === 'string' && range.strings && /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(value)) n = Number(value);
    else return this.fail(path, value, what);
    const low = range.exclusiveMin ? n <= range.min : n < range.min;
    if (!Number.isFinite(n) || low || (range.max !== undefined && n > range.max) || (range.integer && !Number.isInteger(n))) this.fail(path, value, what);
    return n;
  }

  /** One of `allowed` (case-sensitive), or `fallback` when absent. */
  oneOf<T extends string>(value: unknown, path: string, allowed: readonly T[], fallback: T): T {
    if (value === undefined || value === null || value === '') return fallback;
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) this.fail(path, value, `one of ${allowed.join(', ')}`);
    return value as T;
  }
}

/** Whole seconds as a Go duration (`300` -> `5m`, `90` -> `1m30s`, `0` -> `0s`). */
export function secondsToDuration(seconds: number): string {
  if (seconds === 0) return '0s';
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s ? `${s}s` : ''}`;
}

/** `value` clamped into [min, max], with a note when it had to move. */
export function clampSeconds(seconds: number, min: number, max: number, what: string, key: string, notes: string[]): number {
  if (seconds < min) {
    notes.push(`${what} ${seconds}s is below the ${secondsToDuration(min)} that ${key} allows: set to ${secondsToDuration(min)}`);
    return min;
  }
  if (seconds > max) {
    notes.push(`${what} ${seconds}s is above the ${secondsToDuration(max)} that ${key} allows: set to ${secondsToDuration(max)}`);
    return max;
  }
  return seconds;
}
