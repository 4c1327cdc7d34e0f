/**
 * A plugin author outside this repository. `npm pack` of the packages (in a copy of the workspace, since its
 * prepack rebuilds dist from nothing) yields self-contained tarballs. A plugin generated with
 * `new-plugin.ts --standalone` in a fresh folder under the system's temp folder installs the packed @ebb/core from
 * its tarball (its own dependencies from the npm registry), gets a collector of its own, type-checks and passes
 * its tests with the shared contract suite, and is packed itself. The image with that package added (a derived
 * image, as docs/operations.md shows) loads it by package name and scales a Deployment with it.
 * The image part is skipped, with a printed reason, only where buildah, podman or runc is missing.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDeployment, findFreePort, useTestNamespace, waitFor } from '@ebb/testing';
import { SELECTION_LABEL } from '@ebb/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { eventsOf, waitForReplicas } from '../test-support/cluster-helpers.ts';
import { buildImage, inlinedKubeconfig, missingImageTools, podman } from '../test-support/image-tools.ts';
import { danglingReferences, npmPack, runOk, runQuiet, stageWorkspace, unpack } from '../test-support/packed-package.ts';

const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
const VERSION = (JSON.parse(readFileSync(join(REPO, 'packages/core/package.json'), 'utf8')) as { version: string }).version;
const WORK = mkdtempSync(join(tmpdir(), 'ebb-outside-plugin-'));
const PLUGIN_DIR = join(WORK, 'plugin-order-backlog');
const PLUGIN = 'ebb-plugin-order-backlog';
/** A copy of the workspace to pack from (`npm pack` deletes and rebuilds dist: not in the checkout). */
const STAGE = join(WORK, 'workspace');
const missing = missingImageTools();
if (missing.length > 0) {
  console.warn(`[outside-plugin] image part SKIPPED: ${missing.join(', ')} not found on PATH (Debian: apt-get install podman buildah runc; scripts/setup.sh installs them)`);
}

/** What the author writes on top of the generated package: a collector that reads the backlog over HTTP. */
const PLUGIN_WITH_COLLECTOR = `import type { CollectorProvider, MetricCollector, PolicyPlugin } from '@ebb/core';
import { orderBacklogConfigSchema, ORDER_BACKLOG_METRIC, type OrderBacklogConfig } from './order-backlog-config.ts';
import { recommendOrderBacklog } from './recommend-order-backlog.ts';

/** The plugin's id: its annotation namespace \`ebb.dev/order-backlog.*\` and its key in \`pluginOptions\`. */
export const ORDER_BACKLOG_PLUGIN_ID = 'order-backlog';

/** Reads the backlog (a plain number) from \`url\` every second; a failed read records nothing. */
function backlogCollector(url: string): MetricCollector {
  return {
    id: 'order-backlog-http',
    provides: [ORDER_BACKLOG_METRIC],
    intervalMs: 1000,
    async collect({ nowMs, targets, sink, signal }) {
      try {
        const res = await fetch(url, { signal });
        const value = Number(await res.text());
        if (!res.ok || !Number.isFinite(value)) throw new Error(\`\${url}: \${res.status}\`);
        for (const t of targets) sink.record(t.key, ORDER_BACKLOG_METRIC, value, nowMs);
      } catch (e) {
        for (const t of targets) sink.fail(t.key, ORDER_BACKLOG_METRIC, e);
      }
    },
  };
}

/** Creates the plugin; \`options.url\` (pluginOptions.order-backlog.url) is where the backlog is read. */
export function createPlugin(options?: unknown): PolicyPlugin<OrderBacklogConfig, undefined> & CollectorProvider {
  const url = (options as { url?: unknown } | undefined)?.url;
  return {
    manifest: { id: ORDER_BACKLOG_PLUGIN_ID, version: '0.1.0', coreVersion: '^${VERSION}', description: 'Scales on waiting orders' },
    config: orderBacklogConfigSchema,
    metrics: (config) => [{ metric: ORDER_BACKLOG_METRIC, retentionMs: config.windowMs }],
    recommend: recommendOrderBacklog,
    collectors: () => (typeof url === 'string' ? [backlogCollector(url)] : []),
  };
}
`;

afterAll(() => rmSync(WORK, { recursive: true, force: true }));

describe('npm pack of the packages', () => {
  beforeAll(() => stageWorkspace(REPO, STAGE));

  // What a plugin needs, and one plugin package (they are all laid out alike; each pack compiles from nothing).
  it.each(['packages/core', 'packages/plugin-kpa'])(
    '%s: built JavaScript and declarations, the version, nothing that points outside the tarball',
    async (dir) => {
      const tarball = await npmPack(join(STAGE, dir), WORK);
      const { root, files } = await unpack(tarball, join(WORK, 'unpacked', dir));
      const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string; name: string };
      expect(manifest.version).toBe(VERSION);
      expect(tarball.endsWith(`-${VERSION}.tgz`)).toBe(true);
      expect(files).toContain('dist/index.js');
      expect(files).toContain('dist/index.d.ts');
      expect(files.filter((f) => /\.test\.ts$|test-support|tsbuildinfo|node_modules/.test(f))).toEqual([]);
      expect(danglingReferences(root, files)).toEqual([]);
    },
    120_000,
  );

  it('@ebb/core ships the contract suite, and no dependency on a workspace', async () => {
    const { root, files } = await unpack(join(WORK, `ebb-core-${VERSION}.tgz`), join(WORK, 'unpacked-core'));
    for (const f of ['dist/testing/index.js', 'dist/testing/index.d.ts']) expect(files).toContain(f);
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(Object.keys(manifest.dependencies).filter((d) => d.startsWith('@ebb/'))).toEqual([]);
  });
});

describe('a plugin package outside the repository', () => {
  beforeAll(async () => {
    await runOk(process.execPath, [join(REPO, 'scripts/new-plugin.ts'), 'order-backlog', '--standalone', '--dir', WORK, '--metric', 'orders.waiting', '--description', 'Scales on waiting orders'], WORK);
    writeFileSync(join(PLUGIN_DIR, 'src/order-backlog-plugin.ts'), PLUGIN_WITH_COLLECTOR);
  });

  it('is outside the repository and names nothing in it', () => {
    expect(relative(REPO, PLUGIN_DIR).startsWith('..')).toBe(true);
    const manifest = readFileSync(join(PLUGIN_DIR, 'package.json'), 'utf8');
    expect(manifest).not.toContain(REPO);
    expect(JSON.parse(manifest)).toMatchObject({ name: PLUGIN, peerDependencies: { '@ebb/core': `^${VERSION}` } });
    for (const f of ['tsconfig.json', 'tsconfig.lib.json', 'vitest.config.ts']) expect(readFileSync(join(PLUGIN_DIR, f), 'utf8')).not.toMatch(/\.\.\/|@ebb\/source/);
  });

  it('installs @ebb/core from its tarball, type-checks, and passes the shared contract suite', async () => {
    await runOk('npm', ['install', '--save-dev', '--no-audit', '--no-fund', '--loglevel=error', join(WORK, `ebb-core-${VERSION}.tgz`)], PLUGIN_DIR);
    const installed = JSON.parse(readFileSync(join(PLUGIN_DIR, 'node_modules/@ebb/core/package.json'), 'utf8')) as { version: string };
    expect(installed.version).toBe(VERSION);
    const typecheck = await runQuiet('npm', ['run', 'typecheck'], PLUGIN_DIR);
    expect(typecheck.out).not.toContain('error TS');
    expect(typecheck.code).toBe(0);
    const test = await runQuiet('npm', ['test', '--', '--reporter=verbose'], PLUGIN_DIR);
    expect(test.out).toContain('policy plugin contract: order-backlog');
    expect(test.out).toMatch(/Tests\s+9 passed \(9\)/);
    expect(test.code).toBe(0);
  }, 600_000);

  it('packs into a tarball of built JavaScript and declarations', async () => {
    const tarball = await npmPack(PLUGIN_DIR, WORK);
    const { root, files } = await unpack(tarball, join(WORK, 'unpacked-plugin'));
    expect(files).toEqual(expect.arrayContaining(['dist/index.js', 'dist/index.d.ts', 'dist/order-backlog-plugin.js', 'package.json']));
    expect(danglingReferences(root, files)).toEqual([]);
  }, 120_000);

  describe.skipIf(missing.length > 0)('in the image', () => {
    const ns = useTestNamespace('outside-plugin');
    const suffix = randomBytes(3).toString('hex');
    const derived = `localhost/ebb-with-order-backlog:test-${suffix}`;
    const container = `ebb-outside-plugin-${suffix}`;
    const backlog = { value: 0 };
    let server: Server | undefined;
    let backlogUrl = '';

    beforeAll(async () => {
      const { id } = await buildImage();
      // The derived image: the packed plugin next to the scaler's node_modules, so it shares its @ebb/core.
      const working = (await runOk('buildah', ['from', '--pull=never', id], WORK)).trim().split('\n').at(-1) ?? '';
      try {
        await runOk('buildah', ['copy', working, join(WORK, 'unpacked-plugin/package'), `/app/node_modules/${PLUGIN}`], WORK);
        await runOk('buildah', ['commit', '--quiet', working, derived], WORK);
      } finally {
        await runQuiet('buildah', ['rm', working], WORK);
      }
      const s = createServer((_req, res) => void res.writeHead(200).end(String(backlog.value)));
      await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
      server = s;
      backlogUrl = `http://127.0.0.1:${(s.address() as AddressInfo).port}/backlog`;
    }, 900_000);

    afterAll(async () => {
      await podman(['rm', '-f', '-t', '2', container]).catch(() => undefined);
      await podman(['rmi', derived]).catch(() => undefined);
      await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    });

    it('`ebb run` loads it by package name and scales a Deployment with it', async () => {
      const conf = join(WORK, 'etc');
      mkdirSync(conf, { recursive: true });
      chmodSync(WORK, 0o755);
      chmodSync(conf, 0o755);
      const port = await findFreePort();
      writeFileSync(join(conf, 'kubeconfig'), inlinedKubeconfig(ns.kubeConfig), { mode: 0o644 });
      writeFileSync(join(conf, 'config.yaml'), stringify({ namespaces: [ns.name], tickInterval: '500ms', plugins: ['cron', PLUGIN], pluginOptions: { 'order-backlog': { url: backlogUrl } }, http: { host: '127.0.0.1', port } }), { mode: 0o644 });
      backlog.value = 45;
      await podman(['run', '-d', '--name', container, '--read-only', '--read-only-tmpfs=false', '--tmpfs', '/tmp:rw,size=16m,mode=1777', '--user', '1000:1000', '--cap-drop', 'ALL', '--security-opt', 'no-new-privileges', '--network', 'host', '--pull', 'never', '-v', `${conf}:/etc/ebb:ro`, derived, 'run', '--config', '/etc/ebb/config.yaml', '--kubeconfig', '/etc/ebb/kubeconfig']);
      const logs = async () => {
        const r = await podman(['logs', container]).catch((e: Error) => ({ stdout: '', stderr: e.message }));
        return r.stdout + r.stderr;
      };
      const withLogs = async (e: Error) => {
        throw new Error(`${e.message}\nebb run logs:\n${await logs()}`);
      };
      await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined))?.status === 200, { timeoutMs: 60_000, description: 'ebb run ready' }).catch(withLogs);
      expect(await logs()).toContain('"plugins":["cron","order-backlog"]');
      await createTestDeployment(ns.kubeConfig, {
        namespace: ns.name,
        name: 'orders',
        replicas: 1,
        labels: { [SELECTION_LABEL]: 'true' },
        annotations: { 'ebb.dev/policies': 'order-backlog', 'ebb.dev/order-backlog.per-pod': '10', 'ebb.dev/order-backlog.window': '2s' },
      });
      await waitForReplicas(ns.kubeConfig, ns.name, 'orders', 5, 60_000).catch(withLogs);
      const event = await waitFor(async () => (await eventsOf(ns.kubeConfig, ns.name, 'orders', 'SuccessfulRescale'))[0]);
      expect(event.message).toContain('New size: 5; reason: order-backlog: orders.waiting 45 / 10 per pod');
    });
  });
});
