/**
 * Creates a new Ebb policy plugin package from scripts/templates/plugin: config schema, pure decision, plugin
 * factory, the shared contract suite and a table of tests.
 *
 *   node scripts/new-plugin.ts <id> [--description TEXT] [--metric NAME] [--dir FOLDER] [--package NAME]
 *
 * <id> is the plugin id (lower-case kebab, e.g. `queue-depth`): the annotation namespace `ebb.dev/<id>.*` and
 * the folder `<dir>/plugin-<id>` (default dir: packages). Refuses to overwrite an existing folder.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TEMPLATES = join(REPO, 'scripts/templates/plugin');
/** Same rule as core's PLUGIN_ID_PATTERN (a script cannot import the TypeScript sources without a loader flag). */
const PLUGIN_ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

const USAGE = 'usage: node scripts/new-plugin.ts <id> [--description TEXT] [--metric NAME] [--dir FOLDER] [--package NAME]';

function fail(message: string): never {
  process.stderr.write(`new-plugin: ${message}\n${USAGE}\n`);
  process.exit(2);
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { description: { type: 'string' }, metric: { type: 'string' }, dir: { type: 'string' }, package: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
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
const pkg = values.package ?? `@ebb/plugin-${id}`;
const target = resolve(REPO, values.dir ?? 'packages', `plugin-${id}`);
if (existsSync(target)) fail(`${relative(process.cwd(), target)} exists already`);

const words = id.split('-');
const pascal = words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
const coreManifest = JSON.parse(readFileSync(join(REPO, 'packages/core/package.json'), 'utf8')) as { version: string; exports?: Record<string, unknown> };
// The contract suite is `@ebb/core/testing`; while core does not export it yet, the generated test imports it by path.
const coreTesting = coreManifest.exports?.['./testing'] ? '@ebb/core/testing' : relative(join(target, 'src'), join(REPO, 'packages/core/src/testing/index.ts'));

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
  ['__ID__', id],
];
const fill = (text: string) => replacements.reduce((t, [from, to]) => t.split(from).join(to), text);

const written: string[] = [];
function copy(from: string, to: string): void {
  for (const entry of readdirSync(from)) {
    const source = join(from, entry);
    if (statSync(source).isDirectory()) {
      copy(source, join(to, entry));
      continue;
    }
    const dest = join(to, fill(entry).replace(/\.tmpl$/, ''));
    mkdirSync(dirname(dest), { recursive: true });
    writeFileSync(dest, fill(readFileSync(source, 'utf8')));
    written.push(relative(REPO, dest));
  }
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
