/**
 * scripts/new-plugin.ts: a generated plugin package type-checks, passes its own tests (the shared contract
 * suite included), registers with the scaler's plugin registry and renders into the annotation reference.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PluginRegistry, type PolicyPlugin } from '@ebb/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderAnnotationDocs } from '../commands/annotation-docs.ts';

const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
// Inside the repository (so @ebb/core and the shared configs resolve) but in the ignored .ebb folder; two levels
// down, like packages/<name>, so the generated vitest cache (../../node_modules/.vite) stays in it too.
const PARENT = join(REPO, '.ebb', `generator-test-${randomBytes(4).toString('hex')}`);
const DIR = join(PARENT, 'packages', 'plugin-order-backlog');

/** Runs a program with the test runner's own variables removed (a nested vitest must not think it is a worker). */
function run(cmd: string, args: string[], cwd = REPO): Promise<{ code: number; out: string }> {
  const env = { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && !['NODE_OPTIONS', 'FORCE_COLOR'].includes(k))), NO_COLOR: '1' };
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, out }));
  });
}
const generate = (...args: string[]) => run(process.execPath, [join(REPO, 'scripts/new-plugin.ts'), ...args]);
const tsc = (args: string[]) => run(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), ...args]);
const vitest = (args: string[], cwd: string) => run(process.execPath, [join(REPO, 'node_modules/vitest/vitest.mjs'), ...args], cwd);

const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((e) => (statSync(join(dir, e)).isDirectory() ? (['dist', 'out-tsc', 'node_modules'].includes(e) ? [] : files(join(dir, e))) : [join(dir, e)]));

beforeAll(async () => {
  mkdirSync(join(PARENT, 'packages'), { recursive: true });
  const r = await generate('order-backlog', '--dir', relative(REPO, join(PARENT, 'packages')), '--metric', 'orders.waiting', '--description', 'Scales on waiting orders');
  if (r.code !== 0) throw new Error(r.out);
});
afterAll(() => rmSync(PARENT, { recursive: true, force: true }));

describe('node scripts/new-plugin.ts', () => {
  it('writes a complete package with every placeholder filled', () => {
    const written = files(DIR).map((f) => relative(DIR, f)).sort();
    expect(written).toEqual([
      'README.md',
      'eslint.config.mjs',
      'package.json',
      'src/index.ts',
      'src/order-backlog-config.ts',
      'src/order-backlog-plugin.test.ts',
      'src/order-backlog-plugin.ts',
      'src/recommend-order-backlog.ts',
      'tsconfig.json',
      'tsconfig.lib.json',
      'tsconfig.spec.json',
      'vitest.config.ts',
    ]);
    for (const f of files(DIR)) expect(readFileSync(f, 'utf8'), f).not.toMatch(/__[A-Z_]+__/);
    const pkg = JSON.parse(readFileSync(join(DIR, 'package.json'), 'utf8')) as { name: string; dependencies: Record<string, string>; nx: { tags: string[] } };
    expect(pkg).toMatchObject({ name: '@ebb/plugin-order-backlog', dependencies: { '@ebb/core': '*' }, nx: { tags: ['scope:plugin'] } });
  });

  it('type-checks', async () => {
    const r = await tsc(['--build', join(DIR, 'tsconfig.json')]);
    expect(r.out).toBe('');
    expect(r.code).toBe(0);
  });

  it('passes its own tests, the shared plugin contract suite among them', async () => {
    const r = await vitest(['run', '--reporter=verbose'], DIR);
    expect(r.out).toContain('policy plugin contract: order-backlog');
    expect(r.out).toMatch(/Tests\s+9 passed \(9\)/);
    expect(r.code).toBe(0);
  });

  it('registers with the scaler and renders into the annotation reference', async () => {
    const mod = (await import(pathToFileURL(join(DIR, 'src/index.ts')).href)) as { createPlugin: () => PolicyPlugin<unknown, unknown> };
    const registry = PluginRegistry.of([mod.createPlugin()]);
    const docs = renderAnnotationDocs(registry.plugins());
    expect(docs).toContain('## Plugin `order-backlog`');
    expect(docs).toContain('Scales on waiting orders');
    expect(docs).toContain('`ebb.dev/order-backlog.per-pod`');
    expect(docs).toContain('`ebb.dev/order-backlog.window`');
  });

  it.each([
    [['Order_Backlog'], '"Order_Backlog" is not a plugin id'],
    [[], 'give exactly one plugin id'],
    [['order-backlog', '--dir', 'PARENT/packages'], 'exists already'],
    [['ok', '--metric', 'Bad Metric'], '"Bad Metric" is not a metric name'],
  ])('refuses %j', async (args, message) => {
    const r = await generate(...args.map((a) => a.replace('PARENT', relative(REPO, PARENT))));
    expect(r.code).toBe(2);
    expect(r.out).toContain(message);
  });
});
