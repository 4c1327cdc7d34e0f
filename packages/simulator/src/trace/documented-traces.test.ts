import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadTrace } from './load-trace.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const docs = ['README.md', 'packages/simulator/README.md', 'packages/simulator/traces/README.md'];
const tracePath = /packages\/simulator\/traces\/[\w.-]+\.csv/g;

describe.each(docs)('the trace files %s documents', (doc) => {
  const text = readFileSync(join(repoRoot, doc), 'utf8');
  const paths = [...new Set(text.match(tracePath) ?? [])];

  it('names shipped sample traces, never a folder outside the repository', () => {
    expect(paths.length).toBeGreaterThan(0);
    expect(text).not.toMatch(/\.\.\/shared\/traces/);
  });

  it.each(paths)('%s exists in the repository and loads', (path) => {
    const file = join(repoRoot, path);
    expect(existsSync(file)).toBe(true);
    const trace = loadTrace(file, { seed: 1 });
    expect(trace.functions.length).toBeGreaterThan(0);
  });
});

describe('the shipped sample traces', () => {
  it('carry their attribution and licence', () => {
    const readme = readFileSync(join(repoRoot, 'packages/simulator/traces/README.md'), 'utf8');
    expect(readme).toContain('CC BY 4.0');
    expect(readme).toContain('Serverless in the Wild');
    expect(readme).toContain('Splitwise');
  });
});
