/**
 * A plugin from its own package (examples/plugin-queue-depth) loaded by `ebb run` from the config file's
 * `plugins:` list, with its options from `pluginOptions.queue-depth`, scaling a Deployment on the real cluster
 * from a Prometheus stand-in (a real HTTP server answering /api/v1/query). `ebb validate` checks its annotations.
 */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppsV1Api } from '@kubernetes/client-node';
import { STATUS_ANNOTATION } from '@ebb/core';
import { testKubeconfigPath, useTestNamespace, waitFor } from '@ebb/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { createTarget, eventsOf, specReplicas, waitForReplicas } from '../test-support/cluster-helpers.ts';
import { spawnScaler, type ScalerProcess } from '../test-support/scaler-process.ts';

/**
 * How the config file names the plugin. Its package name, `@ebb/plugin-queue-depth`, resolves once
 * examples/* is an npm workspace; until then its entry file stands in for it (the same dynamic import).
 */
const PLUGIN = '@ebb/plugin-queue-depth';
const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));
const ns = useTestNamespace('external-plugin');

/** The Prometheus stand-in: the depth of queue "orders", or an outage. */
const prometheus = { depth: 0, failing: false, queries: 0 };
let server: Server;
let prometheusUrl = '';
let scaler: ScalerProcess | undefined;

beforeAll(async () => {
  server = createServer((req, res) => {
    const query = new URL(req.url ?? '/', 'http://x').searchParams.get('query');
    prometheus.queries++;
    if (prometheus.failing) return void res.writeHead(503).end('unavailable');
    const body = query === 'sum(queue_depth{queue="orders"})' ? { status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [Date.now() / 1000, String(prometheus.depth)] }] } } : { status: 'error', error: `unknown query ${query}` };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  prometheusUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await scaler?.kill();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const statusOf = async (name: string) => {
  const d = await ns.kubeConfig.makeApiClient(AppsV1Api).readNamespacedDeployment({ name, namespace: ns.name });
  const raw = d.metadata?.annotations?.[STATUS_ANNOTATION];
  return raw ? (JSON.parse(raw) as { winner?: string; recommendations: Record<string, { kind: string; reason: string; replicas?: number }> }) : undefined;
};

describe('an external plugin package in ebb run', () => {
  it('is loaded by name with its options and scales a target on the queue depth', async () => {
    prometheus.depth = 45;
    scaler = await spawnScaler({
      kubeconfig: testKubeconfigPath(),
      name: 'external',
      config: { namespaces: [ns.name], tickInterval: '500ms', plugins: ['cron', PLUGIN], pluginOptions: { 'queue-depth': { prometheusUrl, intervalMs: 1000 } } },
    });
    expect(scaler.logs.join('')).toContain('"plugins":["cron","queue-depth"]');
    await createTarget(ns.kubeConfig, ns.name, 'worker', {
      'ebb.dev/policies': 'queue-depth',
      'ebb.dev/min-replicas': '1',
      'ebb.dev/queue-depth.query': 'sum(queue_depth{queue="orders"})',
      'ebb.dev/queue-depth.per-pod': '10',
      'ebb.dev/queue-depth.window': '2s',
    });
    await waitForReplicas(ns.kubeConfig, ns.name, 'worker', 5);
    const event = await waitFor(async () => (await eventsOf(ns.kubeConfig, ns.name, 'worker', 'SuccessfulRescale'))[0]);
    expect(event.message).toContain('New size: 5; reason: queue-depth: queue depth 45 (average over 2s) / 10 per pod');
    expect(await scaler.metric(/^ebb_plugin_recommended_replicas\{.*name="worker",plugin="queue-depth"\}/)).toBe(5);
  });

  it('follows the queue down', async () => {
    prometheus.depth = 12;
    await waitForReplicas(ns.kubeConfig, ns.name, 'worker', 2, 30_000);
    expect((await statusOf('worker'))?.winner).toBe('queue-depth');
  });

  it('holds the target while Prometheus is down: no data, never zero', async () => {
    prometheus.failing = true;
    prometheus.depth = 0;
    const queriesBefore = prometheus.queries;
    const status = await waitFor(async () => {
      const s = await statusOf('worker');
      return s?.recommendations['queue-depth']?.kind === 'no-data' ? s : undefined;
    }, { timeoutMs: 20_000, description: 'queue-depth reports no data' });
    expect(status.recommendations['queue-depth']?.reason).toBe('no queue depth sample in the last 2s');
    await new Promise((r) => setTimeout(r, 2000));
    expect(await specReplicas(ns.kubeConfig, ns.name, 'worker')).toBe(2);
    // The collector kept asking (once a second) and recorded nothing.
    expect(prometheus.queries - queriesBefore).toBeGreaterThanOrEqual(3);
    prometheus.failing = false;
    await waitForReplicas(ns.kubeConfig, ns.name, 'worker', 1, 30_000);
  });

  it('ebb validate checks its annotations when the config file lists it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ebb-validate-'));
    writeFileSync(join(dir, 'config.yaml'), stringify({ plugins: [PLUGIN] }));
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'worker', namespace: 'shop', labels: { 'ebb.dev/autoscale': 'true' }, annotations: { 'ebb.dev/policies': 'queue-depth', 'ebb.dev/queue-depth.per-pod': '0' } },
    };
    writeFileSync(join(dir, 'worker.yaml'), stringify(deployment));
    const result = await new Promise<{ code: number; out: string }>((resolve) => {
      const child = spawn(process.execPath, ['--conditions=@ebb/source', '--disable-warning=ExperimentalWarning', MAIN, 'validate', join(dir, 'worker.yaml'), '--config', join(dir, 'config.yaml')]);
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      child.on('close', (code) => resolve({ code: code ?? -1, out }));
    });
    expect(result.code).toBe(1);
    expect(result.out).toContain('ebb.dev/queue-depth.per-pod');
    expect(result.out).toContain('ebb.dev/queue-depth.query is required');
  });
});
