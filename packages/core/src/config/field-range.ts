import type { FieldType } from '../contracts/config.ts';
import { formatDuration } from './duration.ts';

/** The numeric range of an `int`, `number` or `duration` field, in the field's unit (ms for durations). */
export interface FieldRange {
  readonly min?: number;
  readonly max?: number;
  readonly exclusiveMin?: boolean;
  /** Formats a bound for people: `10`, `6s`. */
  readonly format: (n: number) => string;
}

/** The field types that have a numeric range. */
export type NumericFieldType = Extract<FieldType, { kind: 'int' | 'number' | 'duration' }>;

/** The range of a numeric field type. */
export function numericRange(type: NumericFieldType): FieldRange {
  switch (type.kind) {
    case 'int':
      return { min: type.min, max: type.max, format: String };
    case 'number':
      return { min: type.min, max: type.max, exclusiveMin: type.exclusiveMin, format: String };
    case 'duration':
      return { min: type.minMs, max: type.maxMs, format: formatDuration };
  }
}

/** The range of a field type, or undefined for types without one. */
export function rangeOf(type: FieldType): FieldRange | undefined {
  return type.kind === 'int' || type.kind === 'number' || type.kind === 'duration' ? numericRange(type) : undefined;
}

/** True when `n` lies in `range` (bounds inclusive unless `exclusiveMin`). */
export function inRange(range: FieldRange, n: number): boolean {
  if (range.min !== undefined && (range.exclusiveMin ? n <= range.min : n < range.min)) return false;
  return range.max === undefined || n <= range.max;
}

/**
 * The range as a relation on `subject`, Knative's way: `6s <= value <= 1h`, `value >= 0.01`, `value > 0`;
 * undefined when the range has no bound. With `subject` set to the value as written this is the body of an
 * out-of-range message: `expected 6s <= 1s <= 1h`.
 */
export function rangeRelation(range: FieldRange, subject: string): string | undefined {
  const { min, max, format } = range;
  const lower = range.exclusiveMin ? '<' : '<=';
  if (min !== undefined && max !== undefined) return `${format(min)} ${lower} ${subject} <= ${format(max)}`;
  if (min !== undefined) return `${subject} ${range.exclusiveMin ? '>' : '>='} ${format(min)}`;
  if (max !== undefined) return `${subject} <= ${format(max)}`;
  return undefined;
}

/** The range appended to a noun: ` >= 0.01`, ` > 0`, ` <= 5`, ` >= 6s and <= 1h`, or empty. */
export function rangeSuffix(range: FieldRange): string {
  const { min, max, format } = range;
  const lower = min === undefined ? undefined : `${range.exclusiveMin ? '>' : '>='} ${format(min)}`;
  const upper = max === undefined ? undefined : `<= ${format(max)}`;
  const parts = [lower, upper].filter((p) => p !== undefined);
  return parts.length ? ` ${parts.join(' and ')}` : '';
}

/** What a field accepts, as a noun phrase for messages: `an integer >= 0`, `true or false`, ... */
export function expectedText(type: FieldType): string {
  switch (type.kind) {
    case 'int':
      return `an integer${rangeSuffix(numericRange(type))}`;
    case 'number':
      return `a number${rangeSuffix(numericRange(type))}`;
    case 'duration':
      return `a duration such as 60s, 1m30s or 500ms${rangeSuffix(numericRange(type))}${type.wholeSeconds ? ', in whole seconds' : ''}`;
    case 'bool':
      return 'true or false';
    case 'enum':
      return `one of ${type.values.join(', ')}`;
    case 'string':
      return type.pattern ? `a string matching ${patternText(type)}` : 'a string';
    case 'list':
      return type.values ? `a comma-separated list of ${type.values.join(', ')}` : 'a comma-separated list';
    case 'yaml':
      return 'a YAML document';
  }
}

/** What a field accepts, in the short form of {@link ConfigIssue.allowed}: `6s <= value <= 1h`, `true, false`. */
export function allowedText(type: FieldType): string {
  const range = rangeOf(type);
  const relation = range && rangeRelation(range, 'value');
  switch (type.kind) {
    case 'int':
      return relation ? `integer, ${relation}` : 'integer';
    case 'number':
      return relation ? `number, ${relation}` : 'number';
    case 'duration':
      return `${relation ? `duration, ${relation}` : 'duration'}${type.wholeSeconds ? ', whole seconds' : ''}`;
    case 'bool':
      return 'true, false';
    case 'enum':
      return type.values.join(', ');
    case 'string':
      return type.pattern ? `matches ${patternText(type)}` : 'any string';
    case 'list':
      return type.values ? `comma-separated subset of ${type.values.join(', ')}` : 'comma-separated list';
    case 'yaml':
      return 'YAML';
  }
}

/** The pattern of a `string` field for people: its `patternText`, or the regular expression. */
export function patternText(type: Extract<FieldType, { kind: 'string' }>): string {
  return type.patternText ?? String(type.pattern);
}
