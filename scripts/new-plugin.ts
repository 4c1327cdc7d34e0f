/**
 * Creates a new Ebb policy plugin package from scripts/templates/plugin: config schema, pure decision, plugin
 * factory, the shared contract suite and a table of tests.
 *
 *   node scripts/new-plugin.ts <id> [--description TEXT] [--metric NAME] [--dir FOLDER] [--package NAME] [--standalone]
 *
 * <id> is the plugin id (lower-case kebab, e.g. `queue-depth`): the annotation namespace `ebb.dev/<id>.*` and
 * the folder `<dir>/plugin-<id>` (default dir: packages). Refuses to overwrite an existing folder.
 *
 * `--standalone`: a package of its own, outside this repository (`--dir` relative to the current folder, default
 * `.`; package name `ebb-plugin-<id>`): its own tsconfig, vitest config and npm scripts, `@ebb/core` as a peer
 * dependency (installed by the author, e.g. from a packed tarball), and nothing that points into the repository.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TEMPLATES = join(REPO, 'scripts/templates/plugin');
/** Overrides of TEMPLATES for `--standalone`: the files that would point into the repository are replaced. */
const STANDALONE_TEMPLATES = join(REPO, 'scripts/templates/plugin-standalone');
const REPOSITORY_ONLY = new Set(['eslint.config.mjs.tmpl', 'tsconfig.spec.json.tmpl']);
/** Same rule as core's PLUGIN_ID_PATTERN (a script cannot import the TypeScript sources without a loader flag). */
const PLUGIN_ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

const USAGE = 'usage: node scripts/new-plugin.ts <id> [--description TEXT] [--metric NAME] [--dir FOLDER] [--package NAME] [--standalone]';

function fail(message: string): never {
  process.stderr.write(`new-plugin: ${message}\n${USAGE}\n`);
  process.exit(2);
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    description: { type: 'string' },
    metric: { type: 'string' },
    dir: { type: 'string' },
    package: { type: 'string' },
    standalone: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const id = positionals[0];
if (!id || positionals.length > 1) fail('give exactly one plugin id');
if (!PLUGIN_ID.test(id)) fail(`"${id}" is not a plugin id: lower-case kebab, starting with a letter (e.g. queue-depth)`);
const metric = values.metric ?? id;
if (!/^[a-z][a-z0-9._-]*$/.test(metric)) fail(`"${metric}" is not a metric name: lower-case letters, digits, ".", "_" and "-"`);
const description = (values.description ?? `Scales on ${metric}: ceil(average / per-pod)`).replace(/[\\'"`]/g, '');
const standalone = values.standalone === true;
const pkg = values.package ?? (standalone ? `ebb-plugin-${id}` : `@ebb/plugin-${id}`);
const target = standalone ? resolve(process.cwd(), values.dir ?? '.', `plugin-${id}`) : resolve(REPO, values.dir ?? 'packages', `plugin-${id}`);
if (existsSync(target)) fail(`${relative(process.cwd(), target)} exists already`);

const words = id.split('-');
const pascal = words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
const coreManifest = JSON.parse(readFileSync(join(REPO, 'packages/core/package.json'), 'utf8')) as { version: string; exports?: Record<string, unknown> };
// The contract suite is `@ebb/core/testing`; while core does not export it yet, the generated test imports it by path.
const coreTesting = coreManifest.exports?.['./testing'] || standalone ? '@ebb/core/testing' : relative(join(target, 'src'), join(REPO, 'packages/core/src/testing/index.ts'));
/** A standalone package uses the repository's own versions of its development tools. */
const rootDev = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }).devDependencies;

const replacements: Array<[string, string]> = [
  ['__PACKAGE__', pkg],
  ['__DESCRIPTION__', description],
  ['__CORE_TESTING__', coreTesting.startsWith('.') || coreTesting.startsWith('@') ? coreTesting : `./${coreTesting}`],
  ['__CORE_VERSION__', coreManifest.version],
  ['__METRIC__', metric],
  ['__PASCAL__', pascal],
  ['__CAMEL__', pascal[0]!.toLowerCase() + pascal.slice(1)],
  ['__CONST__', words.join('_').toUpperCase()],
  ['__ROOT__', relative(target, REPO) || '.'],
  ['__TYPESCRIPT_RANGE__', rootDev['typescript'] ?? '*'],
  ['__VITEST_RANGE__', rootDev['vitest'] ?? '*'],
  ['__TYPES_NODE_RANGE__', rootDev['@types/node'] ?? '*'],
  ['__ID__', id],
];
const fill = (text: string) => replacements.reduce((t, [from, to]) => t.split(from).join(to), text);

const written: string[] = [];
function copy(from: string, to: string, skip: (entry: string) => boolean = () => false): void {
  for (const entry of readdirSync(from)) {
    const source = join(from, entry);
    if (statSync(source).isDirectory()) {
      copy(source, join(to, entry), skip);
      continue;
    }
    if (skip(entry)) continue;
    const dest = join(to, fill(entry).replace(/\.tmpl$/, '').replace(/^gitignore$/, '.gitignore'));
    mkdirSync(dirname(dest), { recursive: true });
    writeFileSync(dest, fill(readFileSync(source, 'utf8')));
    written.push(relative(REPO, dest));
  }
}
if (standalone) {
  const replaced = new Set(readdirSync(STANDALONE_TEMPLATES));
  copy(TEMPLATES, target, (entry) => REPOSITORY_ONLY.has(entry) || replaced.has(entry));
  copy(STANDALONE_TEMPLATES, target);
  process.stdout.write(
    [
      `created ${pkg} in ${target}:`,
      ...written.sort().map((f) => `  ${relative(relative(REPO, target), f)}`),
      '',
      'next:',
      `  cd ${relative(process.cwd(), target) || '.'}`,
      `  npm install --save-dev @ebb/core@^${coreManifest.version}   (or a packed tarball: npm install --save-dev ./ebb-core-${coreManifest.version}.tgz)`,
      '  npm run typecheck && npm test',
      `  npm pack                             ${pkg}-0.1.0.tgz, to install next to the scaler (docs/plugins.md)`,
      '',
    ].join('\n'),
  );
  process.exit(0);
}
copy(TEMPLATES, target);

const where = relative(REPO, target);
process.stdout.write(
  [
    `created ${pkg} in ${where}:`,
    ...written.sort().map((f) => `  ${f}`),
    '',
    'next:',
    `  npm install                          link the new workspace (${where.split('/')[0]}/* must be in the root workspaces)`,
    `  npx nx run-many -t typecheck test lint -p ${pkg}`,
    `  load it: plugins: [..., ${pkg}] in the scaler's config file, or add a factory to apps/scaler/src/builtins.ts`,
    '  then regenerate the annotation reference: npm run docs:annotations (built-ins only)',
    '',
  ].join('\n'),
);
