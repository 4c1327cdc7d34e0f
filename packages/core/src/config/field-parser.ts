import { parse as parseYaml } from 'yaml';
import type { ConfigIssue, ConfigIssueCode, FieldType } from '../contracts/config.ts';
import { parseDuration } from './duration.ts';
import { closestMatch } from './edit-distance.ts';
import { allowedText, expectedText, inRange, numericRange, rangeRelation, type NumericFieldType } from './field-range.ts';

/** Outcome of parsing one annotation value: the typed value, or the issues found in it. */
export type FieldParseResult = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly issues: readonly ConfigIssue[] };

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Parses the value `raw` of the annotation `key` (the full name as written) as `type`. Scalars are trimmed of
 * surrounding whitespace; list items are trimmed and empty items dropped. Every problem becomes a
 * {@link ConfigIssue} naming the key, the value and what is allowed.
 */
export function parseFieldValue(type: FieldType, key: string, raw: string): FieldParseResult {
  const text = type.kind === 'yaml' ? raw : raw.trim();
  switch (type.kind) {
    case 'int':
      if (!INTEGER.test(text)) return invalid('invalid_type', type, key, raw);
      return checkRange(type, key, raw, Number(text));
    case 'number':
      if (!DECIMAL.test(text)) return invalid('invalid_type', type, key, raw);
      return checkRange(type, key, raw, Number(text));
    case 'duration': {
      const ms = parseDuration(text);
      if (ms === undefined) return invalid('invalid_type', type, key, raw);
      const checked = checkRange(type, key, raw, ms);
      if (checked.ok && type.wholeSeconds && ms % 1000 !== 0) {
        return invalid('invalid_value', type, key, raw, 'must be specified with at most second precision');
      }
      return checked;
    }
    case 'bool':
      if (text === 'true' || text === 'false') return { ok: true, value: text === 'true' };
      return invalid('invalid_type', type, key, raw);
    case 'enum': {
      if (type.values.includes(text)) return { ok: true, value: text };
      const guess = closestMatch(text, type.values);
      return invalid('invalid_value', type, key, raw, guess && `expected ${expectedText(type)} (did you mean "${guess}"?)`);
    }
    case 'string':
      if (!type.pattern || matchesWhole(type.pattern, text)) return { ok: true, value: text };
      return invalid('invalid_value', type, key, raw);
    case 'list':
      return parseList(type, key, raw);
    case 'yaml':
      return parseYamlField(type, key, raw);
  }
}

function checkRange(type: NumericFieldType, key: string, raw: string, n: number): FieldParseResult {
  const range = numericRange(type);
  if (Number.isFinite(n) && (type.kind !== 'int' || Number.isSafeInteger(n)) && inRange(range, n)) return { ok: true, value: n };
  const relation = rangeRelation(range, raw.trim());
  // Knative's apis.ErrOutOfBoundsValue: `expected 6s <= 1s <= 1h: autoscaling.knative.dev/window`.
  const message = relation ? `expected ${relation}: ${key}` : `invalid value "${raw}" for ${key}: expected ${expectedText(type)}`;
  return { ok: false, issues: [{ code: 'out_of_range', key, value: raw, message, allowed: allowedText(type) }] };
}

function invalid(code: ConfigIssueCode, type: FieldType, key: string, raw: string, detail?: string): FieldParseResult {
  const message = `invalid value "${raw}" for ${key}: ${detail ?? `expected ${expectedText(type)}`}`;
  return { ok: false, issues: [{ code, key, value: raw, message, allowed: allowedText(type) }] };
}

function parseList(type: Extract<FieldType, { kind: 'list' }>, key: string, raw: string): FieldParseResult {
  const items = [...new Set(raw.split(',').map((s) => s.trim()).filter((s) => s !== ''))];
  const issues: ConfigIssue[] = [];
  for (const item of type.values ? items : []) {
    if (type.values?.includes(item)) continue;
    const guess = closestMatch(item, type.values ?? []);
    issues.push({
      code: 'invalid_value',
      key,
      value: raw,
      message: `invalid item "${item}" in ${key}: expected each item to be one of ${type.values?.join(', ')}${guess ? ` (did you mean "${guess}"?)` : ''}`,
      allowed: allowedText(type),
    });
  }
  return issues.length ? { ok: false, issues } : { ok: true, value: items };
}

function parseYamlField(type: Extract<FieldType, { kind: 'yaml' }>, key: string, raw: string): FieldParseResult {
  let doc: unknown;
  try {
    doc = parseYaml(raw, { prettyErrors: false, logLevel: 'error' });
  } catch (e) {
    const reason = e instanceof Error ? (e.message.split('\n')[0] ?? e.message) : String(e);
    return { ok: false, issues: [{ code: 'invalid_value', key, value: raw, message: `invalid YAML in ${key}: ${reason}`, allowed: allowedText(type) }] };
  }
  const issues: ConfigIssue[] = [];
  const value = type.parse(doc, (message, allowed) => {
    issues.push({ code: 'invalid_value', key, value: raw, message: `invalid value for ${key}: ${message}`, allowed: allowed ?? allowedText(type) });
  });
  return issues.length ? { ok: false, issues } : { ok: true, value };
}

function matchesWhole(pattern: RegExp, text: string): boolean {
  // A pattern without anchors must still match the whole value, and a global/sticky flag must not carry state.
  const anchored = new RegExp(`^(?:${pattern.source})$`, pattern.flags.replace(/[gy]/g, ''));
  return anchored.test(text);
}
