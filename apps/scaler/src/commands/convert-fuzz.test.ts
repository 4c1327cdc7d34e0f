import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { convertManifest } from './convert-manifest.ts';

const FIXTURES = ['hpa.yaml', 'keda.yaml', 'keda-http.yaml', 'knative.yaml'];
const REPLACEMENTS: unknown[] = [null, 0, -1, 1.5, '', 'x', '*', true, [], [null], {}, { a: 1 }, '1e400'];

/** A small seeded PRNG (mulberry32), so that a failure can be reproduced. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every path to a value inside `node`, e.g. ['spec', 'triggers', 0, 'metadata']. */
function paths(node: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (node === null || typeof node !== 'object') return [prefix];
  const keys: (string | number)[] = Array.isArray(node) ? node.map((_, i) => i) : Object.keys(node);
  return [prefix, ...keys.flatMap((k) => paths((node as Record<string | number, unknown>)[k], [...prefix, k]))];
}

function replaced(root: unknown, path: (string | number)[], value: unknown): unknown {
  if (!path.length) return value;
  const copy = (Array.isArray(root) ? [...(root as unknown[])] : { ...(root as object) }) as Record<string | number, unknown>;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  copy[head] = replaced(copy[head], rest, value);
  return copy;
}

describe('convertManifest on mutated manifests', () => {
  it('answers every mutation with a conversion or a named input error, never an exception (seeded, 1000 mutations)', () => {
    const random = prng(15);
    const docs = FIXTURES.flatMap((f) => parseAllDocuments(readFileSync(new URL(`./convert-fixtures/${f}`, import.meta.url), 'utf8')).map((d) => d.toJS() as unknown));
    const known = new Set(['autoscaling.knative.dev/target', 'autoscaling.knative.dev/min-scale', 'autoscaling.knative.dev/max-scale', 'autoscaling.knative.dev/window']);
    let errors = 0;
    for (let i = 0; i < 1000; i++) {
      const doc = docs[Math.floor(random() * docs.length)];
      const all = paths(doc);
      const path = all[Math.floor(random() * all.length)]!;
      const value = REPLACEMENTS[Math.floor(random() * REPLACEMENTS.length)];
      const text = stringify(replaced(doc, path, value));
      let result: ReturnType<typeof convertManifest>;
      try {
        result = convertManifest(text, 'm.yaml', known);
      } catch (e) {
        throw new Error(`mutation ${i}: ${path.join('.')} = ${JSON.stringify(value)} threw ${String(e)}`, { cause: e });
      }
      errors += result.errors.length;
      for (const e of result.errors) expect(e).toMatch(/^m\.yaml: document 1( \(.+\))?: /);
    }
    expect(errors).toBeGreaterThan(30); // the mutations do reach the checks
  });
});
