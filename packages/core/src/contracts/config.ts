/**
 * The declarative annotation schema: each key is declared once (type, default, range, description) and one
 * generic parser (see `config/define-config.ts`) handles them all, reporting every problem at once. The same
 * declarations generate docs/annotations.md.
 */

/** The Ebb annotation prefix: `ebb.dev/<key>`; plugin keys are `ebb.dev/<pluginId>.<key>`. */
export const ANNOTATION_PREFIX = 'ebb.dev/';
/** The label that selects a Deployment for autoscaling. */
export const SELECTION_LABEL = 'ebb.dev/autoscale';
/** The annotation Ebb writes with the target's status (JSON). */
export const STATUS_ANNOTATION = 'ebb.dev/status';
/** Knative's annotation prefix, accepted as aliases. */
export const KNATIVE_PREFIX = 'autoscaling.knative.dev/';

/** Kind of one configuration problem. */
export type ConfigIssueCode =
  | 'invalid_type'
  | 'out_of_range'
  | 'invalid_value'
  | 'invalid_combination'
  | 'unknown_key'
  | 'conflicting_aliases';

/** One configuration problem, as data. Formatting for people is separate (`formatIssues`). */
export interface ConfigIssue {
  readonly code: ConfigIssueCode;
  /** The full annotation name as written, e.g. `autoscaling.knative.dev/window`. */
  readonly key: string;
  /** The value as written (absent for cross-field issues that have no single value). */
  readonly value?: string;
  /** A sentence naming key, value and what is allowed. */
  readonly message: string;
  /** What is allowed, e.g. `6s <= value <= 1h`. */
  readonly allowed?: string;
}

/** Result of parsing: a typed value, or every issue found. */
export type ParseResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issues: readonly ConfigIssue[] };

/** The type of one field and its range. */
export type FieldType =
  | { readonly kind: 'int'; readonly min?: number; readonly max?: number }
  | { readonly kind: 'number'; readonly min?: number; readonly max?: number; readonly exclusiveMin?: boolean }
  | { readonly kind: 'bool' }
  /** A Go-style duration (`60s`, `1m30s`, `500ms`, `1h`), parsed to milliseconds. */
  | { readonly kind: 'duration'; readonly minMs?: number; readonly maxMs?: number; readonly wholeSeconds?: boolean }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'string'; readonly pattern?: RegExp; readonly patternText?: string }
  /** Comma-separated list; when `values` is given every item must be one of them. */
  | { readonly kind: 'list'; readonly values?: readonly string[] }
  /** A YAML document checked by `parse`, which returns the typed value or reports issues through `issue`. */
  | { readonly kind: 'yaml'; readonly parse: (doc: unknown, issue: (message: string, allowed?: string) => void) => unknown };

/** Declaration of one configuration key. */
export interface FieldSpec<T> {
  /** Key relative to the schema's prefix, e.g. `target` -> `ebb.dev/kpa.target`. */
  readonly key: string;
  /** Full annotation names accepted as aliases, in precedence order after the Ebb key. */
  readonly aliases?: readonly string[];
  readonly type: FieldType;
  /** Value when no key is present. */
  readonly default: T;
  /** One or two sentences for the reference docs, with units. */
  readonly description: string;
  /** The phantom type carrier; never set. */
  readonly __type?: T;
}

/** A problem found by a cross-field check. */
export interface CrossFieldIssue {
  /** Field name (property of the parsed value) the problem is reported on. */
  readonly field: string;
  readonly message: string;
  readonly allowed?: string;
  /** Other fields the check read; named in the issue, and the issue is dropped when one of them failed to parse. */
  readonly related?: readonly string[];
}

/** A parsed schema. */
export interface ConfigSchema<T> {
  /** The field declarations, by property name, for docs and validation tools. */
  readonly fields: Readonly<Record<string, FieldSpec<unknown>>>;
  /**
   * Parses annotations: defaults, then values on top (Ebb key wins over aliases; two aliases with different
   * values is an issue), then normalise, then cross-field validate. `prefix` is the full prefix of relative
   * keys, e.g. `ebb.dev/kpa.`.
   */
  parse(annotations: Readonly<Record<string, string>>, prefix: string): ParseResult<T>;
  /** Every full annotation name this schema reads under `prefix` (Ebb keys and aliases). */
  keys(prefix: string): readonly string[];
}
