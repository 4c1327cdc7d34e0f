/**
 * The image, built and run: `bash scripts/image.sh` builds it with buildah (once per inputs), and podman runs it
 * as the chart does (read-only root filesystem, UID 1000, no capabilities, no privilege escalation, a small /tmp)
 * with host networking, so that it reaches the local apiserver on 127.0.0.1 and the pods' loopback IPs. The
 * containerized `ebb run` scales a Deployment; the containerized `ebb gateway` serves a request to a pod.
 * Skipped, with a printed reason, only where buildah, podman or runc is missing.
 */
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDeployment, findFreePorts, waitFor, useTestNamespace } from '@ebb/testing';
import { SELECTION_LABEL } from '@ebb/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { eventsOf, waitForReplicas } from '../test-support/cluster-helpers.ts';
import { HttpPods } from '../test-support/http-pods.ts';
import { buildImage, inlinedKubeconfig, missingImageTools, podman } from '../test-support/image-tools.ts';

const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
const missing = missingImageTools();
if (missing.length > 0) {
  console.warn(`[deploy-image] SKIPPED: ${missing.join(', ')} not found on PATH, so the image cannot be built or run here (Debian: apt-get install podman buildah runc; scripts/setup.sh installs them)`);
}

/** How the chart runs the container (values.yaml securityContext and the /tmp emptyDir), for podman. */
const CHART_LIKE = ['--read-only', '--read-only-tmpfs=false', '--tmpfs', '/tmp:rw,size=16m,mode=1777', '--user', '1000:1000', '--cap-drop', 'ALL', '--security-opt', 'no-new-privileges', '--network', 'host', '--pull', 'never'];

describe.skipIf(missing.length > 0)('the ebb image', () => {
  const ns = useTestNamespace('image');
  const suffix = randomBytes(3).toString('hex');
  const containers: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'ebb-image-test-'));
  let ref = '';
  /** The image's id: what the containers run (the reference may be re-tagged meanwhile by a build of other inputs). */
  let image = '';
  let pods: HttpPods | undefined;

  /** `podman run --rm` of the image, as the chart runs it, with another entrypoint or arguments. */
  const runOnce = async (args: string[]) => (await podman(['run', '--rm', ...CHART_LIKE, ...args])).stdout;
  /** Starts a long-running container; returns its logs on demand. */
  const start = async (name: string, args: string[]) => {
    const container = `ebb-${name}-${suffix}`;
    containers.push(container);
    await podman(['run', '-d', '--name', container, ...CHART_LIKE, '-v', `${dir}:/etc/ebb:ro`, image, ...args]);
    return async () => {
      const { stdout, stderr } = await podman(['logs', container]).catch((e: Error) => ({ stdout: '', stderr: e.message }));
      return stdout + stderr;
    };
  };
  const ready = async (name: string, url: string, logs: () => Promise<string>) =>
    waitFor(async () => (await fetch(url).catch(() => undefined))?.status === 200, { timeoutMs: 60_000, description: `${name} ready` }).catch(async (e: Error) => {
      throw new Error(`${e.message}\n${name} logs:\n${await logs()}`);
    });

  beforeAll(async () => {
    const built = await buildImage();
    ref = built.ref;
    image = built.id;
    process.stderr.write(`[deploy-image] ${built.log.trim().split('\n').at(-1)}\n`);
    // The container's user (1000) reads the mounted folder.
    chmodSync(dir, 0o755);
    writeFileSync(join(dir, 'kubeconfig'), inlinedKubeconfig(ns.kubeConfig), { mode: 0o644 });
  }, 900_000);

  afterAll(async () => {
    await pods?.stop();
    for (const c of containers) await podman(['rm', '-f', '-t', '2', c]).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it('carries its version: the label, `ebb --version`, the chart default reference', async () => {
    expect(ref).toBe(`ghcr.io/ebb-dev/ebb:${VERSION}`);
    // What the chart and the kustomize base run by default is this image.
    const deploy = (f: string) => parse(readFileSync(new URL(`../../../../deploy/${f}`, import.meta.url), 'utf8')) as Record<string, unknown>;
    const values = deploy('helm/ebb/values.yaml') as { image: { repository: string } };
    expect(`${values.image.repository}:${String(deploy('helm/ebb/Chart.yaml')['appVersion'])}`).toBe(ref);
    const kustomize = deploy('kustomize/base/kustomization.yaml') as { images: Array<{ name: string; newTag: string }> };
    expect(kustomize.images.map((i) => `${i.name}:${i.newTag}`)).toEqual([ref]);
    const labels = JSON.parse((await podman(['image', 'inspect', '--format', '{{json .Config.Labels}}', image])).stdout) as Record<string, string>;
    expect(labels['org.opencontainers.image.version']).toBe(VERSION);
    expect(await runOnce([image, '--version'])).toBe(`${VERSION}\n`);
  });

  it('holds Node, its libraries and the program, runs as UID 1000 and cannot write outside /tmp', async () => {
    const probe = `
      const fs = require('node:fs');
      const tryWrite = (p) => { try { fs.writeFileSync(p, 'x'); return 'written'; } catch (e) { return e.code; } };
      console.log(JSON.stringify({
        uid: process.getuid(), gid: process.getgid(), top: fs.readdirSync('/').sort(),
        shell: fs.existsSync('/bin/sh'), npm: fs.existsSync('/usr/local/lib/node_modules/npm'),
        sources: fs.existsSync('/app/packages/core/src'), app: tryWrite('/app/x'),
        declarations: fs.readdirSync('/app/node_modules/@kubernetes/client-node/dist').filter((f) => /\\.(d\\.ts|map)$/.test(f)).length,
        root: tryWrite('/x'), tmp: tryWrite('/tmp/x'),
        sbom: JSON.parse(fs.readFileSync('/app/sbom.cdx.json', 'utf8')),
      }));`;
    const seen = JSON.parse(await runOnce(['--entrypoint', 'node', image, '-e', probe])) as {
      uid: number; gid: number; top: string[]; shell: boolean; npm: boolean; sources: boolean; declarations: number; app: string; root: string; tmp: string;
      sbom: { bomFormat: string; metadata: { component: { name: string; version: string } }; components: Array<{ name: string; version: string; purl?: string }> };
    };
    expect({ uid: seen.uid, gid: seen.gid }).toEqual({ uid: 1000, gid: 1000 });
    expect({ root: seen.root, app: seen.app, tmp: seen.tmp }).toEqual({ root: 'EROFS', app: 'EROFS', tmp: 'written' });
    // What the image holds, besides what the runtime mounts (dev, proc, sys, run, etc's files).
    expect(seen.top.filter((d) => !['dev', 'proc', 'sys', 'run'].includes(d))).toEqual(['app', 'etc', 'home', 'lib', 'lib64', 'tmp', 'usr']);
    expect({ shell: seen.shell, npm: seen.npm, sources: seen.sources, declarations: seen.declarations }).toEqual({ shell: false, npm: false, sources: false, declarations: 0 });
    expect(seen.sbom.bomFormat).toBe('CycloneDX');
    expect(seen.sbom.metadata.component).toMatchObject({ name: 'ebb', version: VERSION });
    const names = seen.sbom.components.map((c) => c.name);
    for (const name of ['@kubernetes/client-node', 'prom-client', 'node', 'libc6']) expect(names).toContain(name);
    // The test harness and the dev tools stay out.
    for (const name of ['@ebb/testing', 'vitest', 'typescript']) expect(names).not.toContain(name);
  });

  it('`ebb run` in the container scales a Deployment on the local cluster', async () => {
    const [port] = await findFreePorts(1);
    writeFileSync(join(dir, 'config.yaml'), stringify({ namespaces: [ns.name], tickInterval: '500ms', plugins: ['cron', 'kpa', 'hpa', 'eventgw'], http: { host: '127.0.0.1', port } }), { mode: 0o644 });
    const logs = await start('scaler', ['run', '--config', '/etc/ebb/config.yaml', '--kubeconfig', '/etc/ebb/kubeconfig']);
    await ready('ebb run', `http://127.0.0.1:${port}/readyz`, logs);
    // A window that opened at the last full minute and lasts an hour: the floor is 3 now.
    const windows = '- name: always\n  start: "* * * * *"\n  duration: 1h\n  timezone: UTC\n  replicas: 3\n';
    await createTestDeployment(ns.kubeConfig, { namespace: ns.name, name: 'shop', replicas: 1, labels: { [SELECTION_LABEL]: 'true' }, annotations: { 'ebb.dev/policies': 'cron', 'ebb.dev/cron': windows } });
    await waitForReplicas(ns.kubeConfig, ns.name, 'shop', 3, 60_000).catch(async (e: Error) => {
      throw new Error(`${e.message}\nebb run logs:\n${await logs()}`);
    });
    const event = await waitFor(async () => (await eventsOf(ns.kubeConfig, ns.name, 'shop', 'SuccessfulRescale'))[0]);
    expect(event.message).toContain('New size: 3; reason: cron');
    expect(await logs()).not.toMatch(/EROFS|EACCES/);
  });

  it('`ebb gateway` in the container routes a request to a ready pod', async () => {
    const [port = 0, adminPort = 0, appPort = 0, metricsPort = 0] = await findFreePorts(4);
    const web = new HttpPods(ns.kubeConfig, ns.name, 'web', { appPort, metricsPort, serviceMs: 1 });
    pods = web;
    await web.start();
    await createTestDeployment(ns.kubeConfig, {
      namespace: ns.name,
      name: 'web',
      replicas: 1,
      containerPort: appPort,
      annotations: { 'ebb.dev/eventgw.host': 'web.example.test' },
    });
    await waitFor(async () => web.readyIps().length === 1, { timeoutMs: 60_000, description: 'web pod ready' });
    const logs = await start('gateway', ['gateway', '--kubeconfig', '/etc/ebb/kubeconfig', '--namespace', ns.name, `--port=${port}`, `--admin-port=${adminPort}`]);
    await ready('ebb gateway', `http://127.0.0.1:${adminPort}/readyz`, logs);
    const get = () =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path: '/order', headers: { host: 'web.example.test' } }, (res) => {
          let body = '';
          res.on('data', (d: Buffer) => (body += d.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', reject);
        req.end();
      });
    // The gateway's route table fills from its watch: wait for the route, then the answer comes from the pod.
    const answer = await waitFor(async () => {
      const r = await get().catch(() => undefined);
      return r?.status === 200 ? r : undefined;
    }, { timeoutMs: 30_000, description: 'a 200 through the gateway' }).catch(async (e: Error) => {
      throw new Error(`${e.message}\nebb gateway logs:\n${await logs()}`);
    });
    expect(answer.body).toMatch(/^web-/);
    expect(web.errors).toEqual([]);
  });
});
