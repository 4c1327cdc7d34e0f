import type { ConfigSchema, ParseResult } from '../contracts/config.ts';

/**
 * Shares parsed configurations between targets whose annotations for one schema are identical (templated
 * Deployments usually are): parsing is pure and the result immutable, so one object can serve them all. Keyed
 * by schema, prefix and the values of exactly the keys the schema reads. Bounded: past `maxEntries` the oldest
 * half is dropped.
 */
export class ParseCache {
  private readonly entries = new Map<string, ParseResult<unknown>>();
  private readonly ids = new WeakMap<object, number>();
  private nextId = 0;
  private readonly maxEntries: number;

  constructor(maxEntries = 10_000) {
    this.maxEntries = maxEntries;
  }

  parse<T>(schema: ConfigSchema<T>, annotations: Readonly<Record<string, string>>, prefix: string): ParseResult<T> {
    let id = this.ids.get(schema);
    if (id === undefined) this.ids.set(schema, (id = this.nextId++));
    const values = schema.keys(prefix).map((k) => annotations[k] ?? '\u0000');
    const key = `${id}\u0001${prefix}\u0001${values.join('\u0001')}`;
    const hit = this.entries.get(key);
    if (hit) return hit as ParseResult<T>;
    const result = schema.parse(annotations, prefix);
    if (this.entries.size >= this.maxEntries) {
      let drop = this.entries.size / 2;
      for (const k of this.entries.keys()) {
        if (drop-- <= 0) break;
        this.entries.delete(k);
      }
    }
    this.entries.set(key, result);
    return result;
  }

  /** Number of cached results. */
  size(): number {
    return this.entries.size;
  }
}
