import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync } from 'node:fs';
import { basename, dirname, join, normalize, relative } from 'node:path';

/**
 * Copies the workspace at `repo` (manifests, tsconfigs, sources; no build output) into `dest`, with a node_modules
 * that links to the installed packages but to `dest`'s own workspaces, so that `npm pack` (whose prepack deletes
 * and rebuilds dist) runs there without touching the checkout other builds and tests are reading.
 */
export function stageWorkspace(repo: string, dest: string): void {
  const skip = new Set(['node_modules', 'dist', 'out-tsc']);
  mkdirSync(join(dest, 'node_modules/@ebb'), { recursive: true });
  for (const f of ['package.json', 'package-lock.json', 'tsconfig.base.json', 'tsconfig.json']) cpSync(join(repo, f), join(dest, f));
  for (const top of ['packages', 'apps', 'examples']) {
    cpSync(join(repo, top), join(dest, top), { recursive: true, filter: (src) => !skip.has(basename(src)) && !src.endsWith('.tsbuildinfo') });
  }
  for (const entry of [...readdirSync(join(repo, 'node_modules')).filter((e) => !e.startsWith('.') && e !== '@ebb'), '.bin']) {
    symlinkSync(join(repo, 'node_modules', entry), join(dest, 'node_modules', entry));
  }
  // The workspace links are relative (../../packages/core): in `dest` they point at its copies.
  for (const entry of readdirSync(join(repo, 'node_modules/@ebb'))) {
    symlinkSync(readlinkSync(join(repo, 'node_modules/@ebb', entry)), join(dest, 'node_modules/@ebb', entry));
  }
}

/** Runs a program with the test runner's own variables removed (a nested vitest must not think it is a worker). */
export function runQuiet(cmd: string, args: string[], cwd: string, timeoutMs = 600_000): Promise<{ code: number; out: string }> {
  const env = { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && !['NODE_OPTIONS', 'FORCE_COLOR'].includes(k))), NO_COLOR: '1' };
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, out }));
  });
}

/** Like {@link runQuiet}, but rejects with the output when the program fails. */
export async function runOk(cmd: string, args: string[], cwd: string, timeoutMs?: number): Promise<string> {
  const r = await runQuiet(cmd, args, cwd, timeoutMs);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) exited with ${r.code}:\n${r.out}`);
  return r.out;
}

/** `npm pack` of the package in `dir` into `destination`; returns the tarball's path. */
export async function npmPack(dir: string, destination: string): Promise<string> {
  const out = await runOk('npm', ['pack', '--pack-destination', destination, '--loglevel=error'], dir);
  const file = out.trim().split('\n').at(-1) ?? '';
  return join(destination, file);
}

/** Unpacks a tarball into a new folder `into` (its files under `into/package`) and lists them, relative. */
export async function unpack(tarball: string, into: string): Promise<{ root: string; files: string[] }> {
  mkdirSync(into, { recursive: true });
  await runOk('tar', ['xzf', tarball, '-C', into], into);
  const root = join(into, 'package');
  const walk = (d: string): string[] => readdirSync(d).flatMap((e) => (statSync(join(d, e)).isDirectory() ? walk(join(d, e)) : [join(d, e)]));
  return { root, files: walk(root).map((f) => relative(root, f)).sort() };
}

/** Every path string in an `exports` map (all conditions), and `main`/`types`. */
function manifestPaths(manifest: { main?: string; types?: string; exports?: unknown }): string[] {
  const out: string[] = [];
  const visit = (v: unknown): void => {
    if (typeof v === 'string') out.push(v);
    else if (v && typeof v === 'object') Object.values(v).forEach(visit);
  };
  visit(manifest.exports);
  for (const p of [manifest.main, manifest.types]) if (p) out.push(p);
  return out;
}

/**
 * What in an unpacked package points at something that is not in it: a path of its manifest (any export
 * condition), a relative import of its JavaScript or declarations, a source of its source maps. Empty when the
 * package is self-contained.
 */
export function danglingReferences(root: string, files: string[]): string[] {
  const has = (p: string) => existsSync(join(root, p));
  const problems: string[] = [];
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { main?: string; types?: string; exports?: unknown };
  for (const p of manifestPaths(manifest)) if (!has(normalize(p))) problems.push(`package.json names ${p}`);
  for (const f of files) {
    const text = readFileSync(join(root, f), 'utf8');
    if (/\.(js|d\.ts)$/.test(f)) {
      for (const m of text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
        const target = normalize(join(dirname(f), m[1] ?? ''));
        // A declaration's import of ./x.ts or ./x.js is resolved by TypeScript to ./x.d.ts.
        const candidates = f.endsWith('.d.ts') ? [target, target.replace(/\.(ts|js)$/, '.d.ts')] : [target];
        if (target.startsWith('..') || !candidates.some(has)) problems.push(`${f} imports ${m[1]}`);
      }
    }
    if (f.endsWith('.map')) {
      for (const s of (JSON.parse(text) as { sources: string[] }).sources) {
        const target = normalize(join(dirname(f), s));
        if (target.startsWith('..') || !has(target)) problems.push(`${f} maps to ${s}`);
      }
    }
  }
  return problems;
}
