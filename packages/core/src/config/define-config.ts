import type { ConfigIssue, ConfigSchema, CrossFieldIssue, FieldSpec } from '../contracts/config.ts';
import { checkFieldSpec } from './field-spec-check.ts';
import { parseFieldValue } from './field-parser.ts';

/** The parsed value type of a record of fields. */
export type ConfigOf<F extends Record<string, FieldSpec<unknown>>> = { readonly [K in keyof F]: F[K] extends FieldSpec<infer T> ? T : never };

/** Options of {@link defineConfig}. */
export interface DefineConfigOptions<T> {
  /**
   * Runs after the parse step on the typed value (a field that failed to parse holds its default): convert
   * units, fill derived defaults. Its result is the parsed value.
   */
  normalise?(value: T): T;
  /**
   * Cross-field checks on the normalised value. `keyOf(field)` is the full annotation name of a field as the
   * user wrote it (the alias when an alias was used), for messages. An issue that names (in `field` or
   * `related`) a field that failed to parse is dropped: it would be about a default, not about what was written.
   */
  validate?(value: T, keyOf: (field: keyof T & string) => string): readonly CrossFieldIssue[];
}

/** Declares one field; only a typing helper. */
export function field<T>(spec: FieldSpec<T>): FieldSpec<T> {
  return spec;
}

interface Lookup {
  /** The key the value was read from, or undefined when no key is present. */
  readonly key?: string;
  readonly raw?: string;
  readonly issue?: ConfigIssue;
}

/**
 * Builds a {@link ConfigSchema} from field declarations. Parsing follows Knative's steps: defaults, then every
 * present key parsed on top (the Ebb key `prefix + key` wins over aliases; two aliases present with different
 * values is a `conflicting_aliases` issue), then `normalise`, then `validate` across fields. Every problem is
 * collected in one pass. Throws a TypeError at definition time when a declaration is inconsistent (a default
 * outside its own type or range, a key declared twice).
 */
export function defineConfig<F extends Record<string, FieldSpec<unknown>>>(
  fields: F,
  options: DefineConfigOptions<ConfigOf<F>> = {},
): ConfigSchema<ConfigOf<F>> {
  const entries = Object.entries(fields);
  const keys = new Set<string>();
  const aliases = new Set<string>();
  for (const [name, spec] of entries) {
    checkFieldSpec(name, spec);
    for (const [k, seen] of [[spec.key, keys] as const, ...(spec.aliases ?? []).map((a) => [a, aliases] as const)]) {
      if (seen.has(k)) throw new TypeError(`config field ${name}: key ${k} is declared twice`);
      seen.add(k);
    }
  }

  return {
    fields,
    keys: (prefix) => entries.flatMap(([, spec]) => [prefix + spec.key, ...(spec.aliases ?? [])]),
    parse(annotations, prefix) {
      const issues: ConfigIssue[] = [];
      const failed = new Set<string>();
      const writtenKey = new Map<string, string>();
      const draft: Record<string, unknown> = {};
      for (const [name, spec] of entries) {
        draft[name] = spec.default;
        const found = lookup(annotations, prefix + spec.key, spec.aliases ?? []);
        if (found.key !== undefined) writtenKey.set(name, found.key);
        if (found.issue) {
          issues.push(found.issue);
          failed.add(name);
          continue;
        }
        if (found.key === undefined || found.raw === undefined) continue;
        const parsed = parseFieldValue(spec.type, found.key, found.raw);
        if (parsed.ok) draft[name] = parsed.value;
        else {
          issues.push(...parsed.issues);
          failed.add(name);
        }
      }
      const keyOf = (name: string): string => writtenKey.get(name) ?? prefix + (fields[name]?.key ?? name);
      const typed = draft as ConfigOf<F>;
      const value = options.normalise ? options.normalise(typed) : typed;
      for (const cross of options.validate?.(value, keyOf) ?? []) {
        const involved = [cross.field, ...(cross.related ?? [])];
        if (involved.some((f) => failed.has(f))) continue;
        issues.push({
          code: 'invalid_combination',
          key: keyOf(cross.field),
          message: `${cross.message}: ${involved.map(keyOf).join(', ')}`,
          ...(cross.allowed === undefined ? {} : { allowed: cross.allowed }),
        });
      }
      return issues.length ? { ok: false, issues } : { ok: true, value: Object.freeze(value) };
    },
  };
}

/** Finds a field's value: the Ebb key first, then the aliases in order; two aliases that disagree are an issue. */
function lookup(annotations: Readonly<Record<string, string>>, ebbKey: string, aliases: readonly string[]): Lookup {
  const own = annotations[ebbKey];
  if (own !== undefined) return { key: ebbKey, raw: own };
  const present = aliases.flatMap((key) => {
    const raw = annotations[key];
    return raw === undefined ? [] : [{ key, raw }];
  });
  const first = present[0];
  if (!first) return {};
  const differing = present.filter((p) => p.raw.trim() !== first.raw.trim());
  if (differing.length === 0) return first;
  const listed = present.map((p) => `${p.key}="${p.raw}"`).join(', ');
  return {
    key: first.key,
    issue: {
      code: 'conflicting_aliases',
      key: first.key,
      value: first.raw,
      message: `conflicting values for one setting: ${listed}; set only one of them (or ${ebbKey}, which wins)`,
      allowed: `one of ${[ebbKey, ...aliases].join(', ')}`,
    },
  };
}
