// The workspaces the `ebb` program runs: @ebb/scaler and the @ebb/* packages it depends on (transitively,
// production dependencies only). Without flags it prints their folders, one a line. In the image's `deps` stage
// (a folder holding only the root package.json, package-lock.json and the workspaces' package.json files):
// - `--prune`, before `npm install --omit=dev`: the root package.json lists exactly those workspaces, it and they
//   lose their devDependencies, and the other workspaces' folders are deleted, so npm installs none of their
//   dependencies;
// - `--clean`, after the install: deletes what npm recreated from the lock file for the deleted workspaces.
// Both change files: never run them in a checkout.
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT_APP = 'apps/scaler';
const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));

/** Workspace folders matched by the root's `workspaces` globs (only `dir/*` and plain folders). */
export function workspaceDirs(root) {
  const globs = readJson(join(root, 'package.json')).workspaces ?? [];
  return globs.flatMap((g) => {
    if (!g.endsWith('/*')) return existsSync(join(root, g, 'package.json')) ? [g] : [];
    const parent = g.slice(0, -2);
    if (!existsSync(join(root, parent))) return [];
    return readdirSync(join(root, parent))
      .map((d) => `${parent}/${d}`)
      .filter((d) => existsSync(join(root, d, 'package.json')));
  });
}

/** The workspace folders `app` needs at run time: itself and its workspace dependencies, transitively. */
export function runtimeWorkspaces(root, app = ROOT_APP) {
  const byName = new Map(workspaceDirs(root).map((d) => [readJson(join(root, d, 'package.json')).name, d]));
  const keep = new Set();
  const visit = (dir) => {
    if (keep.has(dir)) return;
    keep.add(dir);
    for (const dep of Object.keys(readJson(join(root, dir, 'package.json')).dependencies ?? {})) {
      const d = byName.get(dep);
      if (d) visit(d);
    }
  };
  visit(app);
  return [...keep].sort();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = process.cwd();
  if (process.argv.includes('--clean')) {
    const kept = readJson(join(root, 'package.json')).workspaces ?? [];
    for (const parent of new Set(kept.map((d) => d.split('/')[0]))) {
      for (const d of readdirSync(join(root, parent))) if (!kept.includes(`${parent}/${d}`)) rmSync(join(root, parent, d), { recursive: true, force: true });
    }
    process.exit(0);
  }
  const keep = runtimeWorkspaces(root);
  if (process.argv.includes('--prune')) {
    for (const d of workspaceDirs(root)) if (!keep.includes(d)) rmSync(join(root, d), { recursive: true, force: true });
    const pkg = readJson(join(root, 'package.json'));
    pkg.workspaces = keep;
    delete pkg.devDependencies;
    delete pkg.scripts;
    writeFileSync(join(root, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
    // The kept workspaces' dev dependencies are not installed either: without them in the manifests, the image's
    // package.json files describe what is in it (and `npm sbom` finds nothing missing).
    for (const d of keep) {
      const manifest = readJson(join(root, d, 'package.json'));
      delete manifest.devDependencies;
      writeFileSync(join(root, d, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    }
  }
  console.log(keep.join('\n'));
}
