import { describe, expect, it } from 'vitest';
import type { ConfigIssue, ParseResult } from '../contracts/config.ts';
import { defineConfig, field } from './define-config.ts';
import { formatIssues } from './format-issues.ts';

const P = 'ebb.dev/demo.';

/** One field of every kind, with ranges, so the generic parser is exercised through the public API. */
const schema = defineConfig(
  {
    count: field({ key: 'count', aliases: ['legacy.io/count', 'legacy.io/Count'], type: { kind: 'int', min: 0, max: 100 }, default: 1, description: 'A count.' }),
    target: field({ key: 'target', type: { kind: 'number', min: 0.01 }, default: 10, description: 'Target per pod.' }),
    ratio: field({ key: 'ratio', type: { kind: 'number', min: 0, max: 1, exclusiveMin: true }, default: 0.5, description: 'A fraction.' }),
    enabled: field({ key: 'enabled', type: { kind: 'bool' }, default: true, description: 'On or off.' }),
    windowMs: field({
      key: 'window',
      aliases: ['legacy.io/window'],
      type: { kind: 'duration', minMs: 6_000, maxMs: 3_600_000, wholeSeconds: true },
      default: 60_000,
      description: 'Window.',
    }),
    metric: field({ key: 'metric', type: { kind: 'enum', values: ['concurrency', 'rps'] }, default: 'concurrency', description: 'Metric.' }),
    host: field({ key: 'host', type: { kind: 'string', pattern: /[a-z]+(\.[a-z]+)*/, patternText: 'a DNS name' }, default: 'a.b', description: 'Host.' }),
    tags: field<readonly string[]>({ key: 'tags', type: { kind: 'list', values: ['red', 'green', 'blue'] }, default: [], description: 'Tags.' }),
    names: field<readonly string[]>({ key: 'names', type: { kind: 'list' }, default: ['x'], description: 'Names.' }),
    doc: field<readonly number[]>({
      key: 'doc',
      type: {
        kind: 'yaml',
        parse(doc, issue) {
          if (!Array.isArray(doc) || doc.some((n) => typeof n !== 'number')) {
            issue('expected a list of numbers', 'YAML list of numbers');
            return [];
          }
          return doc as number[];
        },
      },
      default: [],
      description: 'Numbers.',
    }),
  },
  {
    normalise: (v) => ({ ...v, ratio: Math.round(v.ratio * 100) / 100 }),
    validate: (v, keyOf) =>
      v.count > v.target
        ? [{ field: 'count', related: ['target'], message: `${keyOf('count')}=${v.count} is greater than target=${v.target}` }]
        : [],
  },
);

function issuesOf(r: ParseResult<unknown>): readonly ConfigIssue[] {
  return r.ok ? [] : r.issues;
}

describe('defineConfig: defaults and values', () => {
  it('returns every default when no key is present', () => {
    const r = schema.parse({ 'unrelated/key': 'x' }, P);
    expect(r).toEqual({
      ok: true,
      value: { count: 1, target: 10, ratio: 0.5, enabled: true, windowMs: 60_000, metric: 'concurrency', host: 'a.b', tags: [], names: ['x'], doc: [] },
    });
  });

  it.each([
    ['count', '9', 'count', 9],
    ['count', ' 7 ', 'count', 7],
    ['count', '+3', 'count', 3],
    ['target', '0.01', 'target', 0.01],
    ['target', '1e3', 'target', 1000],
    ['ratio', '1', 'ratio', 1],
    ['ratio', '0.333', 'ratio', 0.33],
    ['enabled', 'false', 'enabled', false],
    ['window', '1m30s', 'windowMs', 90_000],
    ['window', '6s', 'windowMs', 6_000],
    ['window', '1h', 'windowMs', 3_600_000],
    ['metric', 'rps', 'metric', 'rps'],
    ['host', 'svc.example', 'host', 'svc.example'],
    ['tags', ' red, blue ,,red', 'tags', ['red', 'blue']],
    ['names', 'a,b', 'names', ['a', 'b']],
    ['names', '', 'names', []],
    ['doc', '- 1\n- 2.5\n', 'doc', [1, 2.5]],
  ])('%s=%j parses to %s=%j', (key, raw, prop, expected) => {
    // count 0 keeps the cross-field rule (count <= target) out of the way.
    const r = schema.parse({ [`${P}count`]: '0', [P + key]: raw }, P);
    expect(r.ok && (r.value as Record<string, unknown>)[prop]).toEqual(expected);
  });
});

describe('defineConfig: one issue per bad value, naming key, value and what is allowed', () => {
  it.each([
    ['count', 'abc', 'invalid_type', `invalid value "abc" for ${P}count: expected an integer >= 0 and <= 100`],
    ['count', '1.5', 'invalid_type', `invalid value "1.5" for ${P}count: expected an integer >= 0 and <= 100`],
    ['count', '101', 'out_of_range', `expected 0 <= 101 <= 100: ${P}count`],
    ['count', '-1', 'out_of_range', `expected 0 <= -1 <= 100: ${P}count`],
    ['count', '99999999999999999999', 'out_of_range', `expected 0 <= 99999999999999999999 <= 100: ${P}count`],
    ['target', 'abc', 'invalid_type', `invalid value "abc" for ${P}target: expected a number >= 0.01`],
    ['target', 'NaN', 'invalid_type', `invalid value "NaN" for ${P}target: expected a number >= 0.01`],
    ['target', '0.001', 'out_of_range', `expected 0.001 >= 0.01: ${P}target`],
    ['ratio', '0', 'out_of_range', `expected 0 < 0 <= 1: ${P}ratio`],
    ['enabled', 'yes', 'invalid_type', `invalid value "yes" for ${P}enabled: expected true or false`],
    ['enabled', 'True', 'invalid_type', `invalid value "True" for ${P}enabled: expected true or false`],
    ['window', '1s', 'out_of_range', `expected 6s <= 1s <= 1h: ${P}window`],
    ['window', '2h', 'out_of_range', `expected 6s <= 2h <= 1h: ${P}window`],
    ['window', '60', 'invalid_type', `invalid value "60" for ${P}window: expected a duration such as 60s, 1m30s or 500ms >= 6s and <= 1h, in whole seconds`],
    ['window', '6500ms', 'invalid_value', `invalid value "6500ms" for ${P}window: must be specified with at most second precision`],
    ['metric', 'rsp', 'invalid_value', `invalid value "rsp" for ${P}metric: expected one of concurrency, rps (did you mean "rps"?)`],
    ['metric', 'cpu-load', 'invalid_value', `invalid value "cpu-load" for ${P}metric: expected one of concurrency, rps`],
    ['host', 'Not A Host', 'invalid_value', `invalid value "Not A Host" for ${P}host: expected a string matching a DNS name`],
    ['host', 'ok.host!', 'invalid_value', `invalid value "ok.host!" for ${P}host: expected a string matching a DNS name`],
    ['tags', 'red,gren', 'invalid_value', `invalid item "gren" in ${P}tags: expected each item to be one of red, green, blue (did you mean "green"?)`],
    ['doc', 'a: [', 'invalid_value', `invalid YAML in ${P}doc: `],
    ['doc', 'a: 1', 'invalid_value', `invalid value for ${P}doc: expected a list of numbers`],
  ])('%s=%j is %s', (key, raw, code, message) => {
    const issues = issuesOf(schema.parse({ [P + key]: raw }, P));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code, key: P + key, value: raw });
    expect(issues[0]?.message.startsWith(message)).toBe(true);
    expect(issues[0]?.allowed).toBeTruthy();
  });

  it('collects every problem in one pass, in declaration order', () => {
    const issues = issuesOf(schema.parse({ [`${P}count`]: 'x', [`${P}window`]: '1s', [`${P}enabled`]: 'on', [`${P}tags`]: 'pink,teal' }, P));
    expect(issues.map((i) => [i.key, i.code])).toEqual([
      [`${P}count`, 'invalid_type'],
      [`${P}enabled`, 'invalid_type'],
      [`${P}window`, 'out_of_range'],
      [`${P}tags`, 'invalid_value'],
      [`${P}tags`, 'invalid_value'],
    ]);
  });

  it('formats issues for people, one per line under a count', () => {
    const issues = issuesOf(schema.parse({ [`${P}count`]: 'x', [`${P}window`]: '1s' }, P));
    expect(formatIssues(issues).split('\n')).toEqual(['2 configuration problems:', ...issues.map((i) => `  - ${i.message}`)]);
    expect(formatIssues(issues.slice(0, 1)).split('\n')[0]).toBe('1 configuration problem:');
    expect(formatIssues([])).toBe('no configuration problems');
  });
});

describe('defineConfig: aliases', () => {
  it.each([
    ['the Ebb key wins over an alias', { [`${P}count`]: '5', 'legacy.io/count': '9' }, 5],
    ['the Ebb key wins even over disagreeing aliases', { [`${P}count`]: '5', 'legacy.io/count': '9', 'legacy.io/Count': '8' }, 5],
    ['an alias is read when the Ebb key is absent', { 'legacy.io/count': '9' }, 9],
    ['a later alias is read when the earlier is absent', { 'legacy.io/Count': '8' }, 8],
    ['two aliases that agree are fine', { 'legacy.io/count': '7', 'legacy.io/Count': ' 7' }, 7],
  ])('%s', (_name, annotations, expected) => {
    const r = schema.parse(annotations, P);
    expect(r.ok && r.value.count).toBe(expected);
  });

  it('reports two aliases with different values as conflicting_aliases, naming both', () => {
    const issues = issuesOf(schema.parse({ 'legacy.io/count': '7', 'legacy.io/Count': '8' }, P));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: 'conflicting_aliases', key: 'legacy.io/count', value: '7' });
    expect(issues[0]?.message).toContain('legacy.io/count="7"');
    expect(issues[0]?.message).toContain('legacy.io/Count="8"');
  });

  it('names the alias as written in value issues', () => {
    const issues = issuesOf(schema.parse({ 'legacy.io/window': '1s' }, P));
    expect(issues[0]?.message).toBe('expected 6s <= 1s <= 1h: legacy.io/window');
  });

  it('lists every key it reads', () => {
    expect(schema.keys(P)).toEqual(expect.arrayContaining([`${P}count`, 'legacy.io/count', 'legacy.io/Count', `${P}window`, 'legacy.io/window']));
    expect(schema.keys(P)).toHaveLength(13);
  });
});

describe('defineConfig: normalise and cross-field validation', () => {
  it('reports cross-field problems with the keys as written', () => {
    const issues = issuesOf(schema.parse({ 'legacy.io/count': '50', [`${P}target`]: '20' }, P));
    expect(issues).toEqual([
      { code: 'invalid_combination', key: 'legacy.io/count', message: `legacy.io/count=50 is greater than target=20: legacy.io/count, ${P}target` },
    ]);
  });

  it('reports field and cross-field problems in the same pass', () => {
    const issues = issuesOf(schema.parse({ [`${P}count`]: '50', [`${P}target`]: '20', [`${P}enabled`]: 'no' }, P));
    expect(issues.map((i) => i.code)).toEqual(['invalid_type', 'invalid_combination']);
  });

  it('drops a cross-field problem that involves a field which failed to parse (it would be about a default)', () => {
    const issues = issuesOf(schema.parse({ [`${P}count`]: '50', [`${P}target`]: '0.001' }, P));
    expect(issues.map((i) => i.code)).toEqual(['out_of_range']);
  });

  it('normalises the parsed value', () => {
    const r = schema.parse({ [`${P}ratio`]: '0.129' }, P);
    expect(r.ok && r.value.ratio).toBe(0.13);
  });
});

describe('defineConfig: declarations are checked at definition time', () => {
  it.each([
    ['a default outside the range', { key: 'a', type: { kind: 'int', min: 1 }, default: 0 }],
    ['a fractional int default', { key: 'a', type: { kind: 'int' }, default: 1.5 }],
    ['a string default for a number', { key: 'a', type: { kind: 'number' }, default: '1' }],
    ['a duration default that is not whole seconds', { key: 'a', type: { kind: 'duration', wholeSeconds: true }, default: 1500 }],
    ['an enum default that is not a value', { key: 'a', type: { kind: 'enum', values: ['x'] }, default: 'y' }],
    ['a list default with a disallowed item', { key: 'a', type: { kind: 'list', values: ['x'] }, default: ['y'] }],
    ['a bool default that is a string', { key: 'a', type: { kind: 'bool' }, default: 'true' }],
    ['an empty key', { key: '', type: { kind: 'bool' }, default: true }],
  ] as const)('rejects %s', (_name, spec) => {
    expect(() => defineConfig({ f: field<unknown>({ ...spec, description: 'x' }) })).toThrow(TypeError);
  });

  it.each([
    ['a key', ['a', []], ['a', []]],
    ['an alias', ['a', ['legacy/x']], ['b', ['legacy/x']]],
    ['an alias within one field', ['a', ['legacy/x', 'legacy/x']], ['b', []]],
  ] as const)('rejects %s declared twice', (_name, [keyA, aliasesA], [keyB, aliasesB]) => {
    const a = field({ key: keyA, aliases: aliasesA, type: { kind: 'bool' }, default: true, description: 'x' });
    const b = field({ key: keyB, aliases: aliasesB, type: { kind: 'bool' }, default: true, description: 'x' });
    expect(() => defineConfig({ a, b })).toThrow(/declared twice/);
  });

  it('accepts a relative key equal to an alias (they live in different namespaces)', () => {
    const a = field({ key: 'a', type: { kind: 'bool' }, default: true, description: 'x' });
    const b = field({ key: 'b', aliases: ['a'], type: { kind: 'bool' }, default: true, description: 'x' });
    expect(() => defineConfig({ a, b })).not.toThrow();
  });
});
