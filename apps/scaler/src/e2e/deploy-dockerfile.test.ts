/**
 * deploy/docker/Dockerfile needs a Docker engine, which this machine does not have (scripts/image.sh builds the
 * same content with buildah, and deploy-image.test.ts runs it), so its structure is checked instead: stages,
 * the Node 24 base, a non-root numeric USER, an entrypoint that is the scaler's `bin`, no dev dependencies and no
 * sources in the final image, every workspace manifest copied before installing, and the workspace pruning
 * script that keeps the test harness's dependencies out of the image.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
const SCRIPT = join(REPO, 'deploy/docker/scaler-workspaces.mjs');
const exec = promisify(execFile);

interface Instruction {
  readonly op: string;
  readonly args: string;
}
interface Stage {
  readonly name: string;
  readonly from: string;
  readonly instructions: Instruction[];
}

/** The Dockerfile as parser directives, global ARGs and stages (continuation lines joined, comments dropped). */
function parseDockerfile(text: string): { syntax: string | undefined; args: Map<string, string>; stages: Stage[] } {
  const syntax = /^# syntax=(\S+)/.exec(text)?.[1];
  const logical = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const args = new Map<string, string>();
  const stages: Stage[] = [];
  for (const line of logical) {
    const [op = '', ...rest] = line.split(/\s+/);
    const argText = rest.join(' ');
    if (op === 'FROM') {
      const m = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(argText);
      stages.push({ from: m?.[1] ?? '', name: m?.[2] ?? String(stages.length), instructions: [] });
    } else if (stages.length === 0 && op === 'ARG') {
      const [k = '', v = ''] = argText.split('=');
      args.set(k, v);
    } else {
      stages.at(-1)?.instructions.push({ op, args: argText });
    }
  }
  return { syntax, args, stages };
}

const dockerfile = parseDockerfile(readFileSync(join(REPO, 'deploy/docker/Dockerfile'), 'utf8'));
const stage = (name: string): Stage => {
  const s = dockerfile.stages.find((x) => x.name === name);
  if (!s) throw new Error(`no stage ${name}`);
  return s;
};
const ops = (s: Stage, op: string) => s.instructions.filter((i) => i.op === op);
const rootPackage = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { workspaces: string[] };
const scalerPackage = JSON.parse(readFileSync(join(REPO, 'apps/scaler/package.json'), 'utf8')) as {
  version: string;
  bin: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies?: Record<string, string>;
};

describe('Dockerfile structure', () => {
  const runtime = dockerfile.stages.at(-1)!;

  it('has build, deps and runtime stages, all from the Node 24 image', () => {
    expect(dockerfile.stages.map((s) => s.name)).toEqual(['build', 'deps', 'runtime']);
    expect(dockerfile.args.get('NODE_IMAGE')).toMatch(/^node:24[-.]/);
    for (const s of dockerfile.stages) expect(s.from).toBe('${NODE_IMAGE}');
  });

  it('runs the final image as a numeric non-root user, after every RUN and before the entrypoint', () => {
    const users = ops(runtime, 'USER');
    expect(users).toHaveLength(1);
    const [uid, gid] = users[0]!.args.split(':').map(Number);
    // Numeric, so the kubelet can check runAsNonRoot; the chart and the manifests run as this UID.
    expect(uid).toBe(1000);
    expect(gid).toBe(1000);
    const at = (i: Instruction) => runtime.instructions.indexOf(i);
    const userAt = at(users[0]!);
    for (const r of ops(runtime, 'RUN')) expect(at(r)).toBeLessThan(userAt);
    expect(at(ops(runtime, 'ENTRYPOINT')[0]!)).toBeGreaterThan(userAt);
  });

  it('labels the image with the version of the package', () => {
    expect(dockerfile.args.get('EBB_VERSION')).toBe(scalerPackage.version);
    expect(ops(runtime, 'ARG').map((a) => a.args)).toContain('EBB_VERSION');
    const labels = ops(runtime, 'LABEL').map((l) => l.args).join(' ');
    expect(labels).toContain('org.opencontainers.image.version=${EBB_VERSION}');
  });

  it('starts the compiled scaler: the entrypoint is the package bin `ebb`', () => {
    const entry = JSON.parse(ops(runtime, 'ENTRYPOINT')[0]!.args) as string[];
    expect(entry).toEqual(['node', join('/app/apps/scaler', scalerPackage.bin['ebb']!)]);
    expect(JSON.parse(ops(runtime, 'CMD')[0]!.args)).toEqual(['run']);
    expect(ops(runtime, 'ENV').map((e) => e.args)).toContain('NODE_ENV=production');
    expect(ops(runtime, 'EXPOSE')[0]!.args.split(' ')).toEqual(['8080', '9090']);
  });

  it('puts no sources and no dev dependencies in the final image', () => {
    const copies = ops(runtime, 'COPY').map((c) => c.args);
    // Only from earlier stages: node_modules of the production install, and compiled dist folders.
    expect(copies).toEqual(['--from=deps /app ./', '--from=build /out ./']);
    expect(ops(runtime, 'RUN').some((r) => /\bnpm (ci|install)\b/.test(r.args))).toBe(false);
    const install = ops(stage('deps'), 'RUN').find((r) => /\bnpm (ci|install)\b/.test(r.args));
    expect(install?.args).toMatch(/npm (ci|install) --omit=dev/);
    // The workspaces are pruned before the install, in the same layer.
    expect(install?.args).toMatch(/scaler-workspaces\.mjs --prune && npm install/);
    // The build stage hands over only dist folders (and drops type declarations, maps and build info).
    const build = ops(stage('build'), 'RUN').find((r) => r.args.includes('tsc --build'))!.args;
    expect(build).toContain('npx tsc --build apps/scaler/tsconfig.lib.json');
    expect(build).toContain(`cp -r "$d/dist" "/out/$d/"`);
    expect(build).toMatch(/-name '\*\.d\.ts' \\?\) -delete/);
  });

  it('copies every workspace manifest before installing, with a frontend that has COPY --parents', () => {
    expect(dockerfile.syntax).toMatch(/^docker\/dockerfile:1\.(\d+)$/);
    expect(Number(/1\.(\d+)$/.exec(dockerfile.syntax!)![1])).toBeGreaterThanOrEqual(20);
    for (const name of ['build', 'deps']) {
      const parents = ops(stage(name), 'COPY').find((c) => c.args.startsWith('--parents'))!.args.split(' ');
      for (const glob of [...rootPackage.workspaces, 'examples/*']) expect(parents, `${name}: ${glob}`).toContain(`${glob}/package.json`);
      expect(ops(stage(name), 'COPY')[0]!.args).toBe('package.json package-lock.json ./');
    }
  });

  it('.dockerignore keeps build output and dependencies out of the context, and lets the pruning script in', () => {
    const ignore = readFileSync(join(REPO, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim());
    for (const entry of ['.git', '**/node_modules', '**/dist', 'deploy', '!deploy/docker/scaler-workspaces.mjs']) expect(ignore).toContain(entry);
    expect(ignore.indexOf('!deploy/docker/scaler-workspaces.mjs')).toBeGreaterThan(ignore.indexOf('deploy'));
  });
});

describe('scaler-workspaces.mjs (the deps stage)', () => {
  /** A copy of what the deps stage sees: the root manifests and every workspace's package.json. */
  function imageContext(): string {
    const dir = mkdtempSync(join(tmpdir(), 'ebb-deps-'));
    for (const f of ['package.json', 'package-lock.json']) cpSync(join(REPO, f), join(dir, f));
    for (const glob of rootPackage.workspaces) {
      const parent = glob.replace(/\/\*$/, '');
      for (const d of readdirSync(join(REPO, parent))) {
        const manifest = join(REPO, parent, d, 'package.json');
        if (!existsSync(manifest)) continue;
        mkdirSync(join(dir, parent, d), { recursive: true });
        cpSync(manifest, join(dir, parent, d, 'package.json'));
      }
    }
    return dir;
  }

  /** The workspace folders the scaler needs, worked out here independently: production @ebb/* deps, transitively. */
  function expectedWorkspaces(): string[] {
    const dirOf = (name: string) => ['packages', 'apps'].map((p) => join(p, name.replace('@ebb/', ''))).find((d) => existsSync(join(REPO, d, 'package.json')))!;
    const out = new Set<string>(['apps/scaler']);
    const queue = ['apps/scaler'];
    while (queue.length) {
      const deps = (JSON.parse(readFileSync(join(REPO, queue.shift()!, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> }).dependencies ?? {};
      for (const name of Object.keys(deps).filter((n) => n.startsWith('@ebb/'))) {
        const d = dirOf(name);
        if (out.has(d)) continue;
        out.add(d);
        queue.push(d);
      }
    }
    return [...out].sort();
  }

  it('prints the scaler and its workspace dependencies, not the test harness', async () => {
    const { stdout } = await exec(process.execPath, [SCRIPT], { cwd: REPO });
    const kept = stdout.trim().split('\n');
    expect(kept).toEqual(expectedWorkspaces());
    expect(kept).toContain('packages/core');
    for (const dev of Object.keys(scalerPackage.devDependencies ?? {}).filter((n) => n.startsWith('@ebb/'))) {
      expect(kept).not.toContain(`packages/${dev.replace('@ebb/', '')}`);
    }
  });

  it('--prune narrows the root manifest and removes the other workspaces; --clean removes what npm put back', async () => {
    const dir = imageContext();
    await exec(process.execPath, [SCRIPT, '--prune'], { cwd: dir });
    const root = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { workspaces: string[]; devDependencies?: unknown; scripts?: unknown };
    expect(root.workspaces).toEqual(expectedWorkspaces());
    expect(root.devDependencies).toBeUndefined();
    // The kept workspaces lose their dev dependencies too (not installed, and not listed in the image).
    for (const d of expectedWorkspaces()) expect(JSON.parse(readFileSync(join(dir, d, 'package.json'), 'utf8')), d).not.toHaveProperty('devDependencies');
    expect(root.scripts).toBeUndefined();
    expect(existsSync(join(dir, 'packages/testing'))).toBe(false);
    // npm recreates nested node_modules of removed workspaces from the lock file; --clean takes them away.
    mkdirSync(join(dir, 'packages/testing/node_modules/yaml'), { recursive: true });
    await exec(process.execPath, [SCRIPT, '--clean'], { cwd: dir });
    expect(existsSync(join(dir, 'packages/testing'))).toBe(false);
    expect(existsSync(join(dirname(join(dir, 'packages/core/package.json')), 'package.json'))).toBe(true);
  });
});
