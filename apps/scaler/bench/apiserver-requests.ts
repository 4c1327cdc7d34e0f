/**
 * Requests the scaler makes to the apiserver in steady state: 1,000 targets whose desired count does not change.
 * Starts a private local cluster, creates the targets, runs the real scaler in-process (leader election off, so
 * only target traffic is counted), waits until every target was evaluated once, then reads the apiserver's
 * `apiserver_request_total` for Deployments, their scale subresource and Events before and after 60 s (30
 * ticks). Nothing else writes Deployments in that minute, so the difference is the scaler's.
 *
 * Run: npm run bench:apiserver   (prints a Markdown table)
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { CoreV1Api } from '@kubernetes/client-node';
import { ensureClusterBinaries, startCluster, waitFor } from '@ebb/testing';
import { STATUS_ANNOTATION } from '@ebb/core';
import { DEFAULT_CONFIG } from '../src/runtime/config-file.ts';
import { startScaler } from '../src/runtime/scaler.ts';
import { createTarget } from '../src/test-support/cluster-helpers.ts';
import { TEST_FACTORIES } from '../src/test-support/test-plugins.ts';

const TARGETS = Number(process.env['EBB_BENCH_TARGETS'] ?? 1000);
const WINDOW_S = 60;
const namespace = 'bench';

const cluster = await startCluster({ name: `bench-requests-${process.pid}`, nodes: 1 });
try {
  const kc = cluster.kubeConfig();
  const kubectl = join(await ensureClusterBinaries(), 'kubectl');
  await kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: namespace } } });
  await waitFor(() => kc.makeApiClient(CoreV1Api).readNamespacedServiceAccount({ name: 'default', namespace }));
  const annotations = { 'ebb.dev/policies': 'fixed', 'ebb.dev/fixed.replicas': '0', 'ebb.dev/initial-replicas': '0' };
  for (let i = 0; i < TARGETS; i += 25) {
    await Promise.all(Array.from({ length: Math.min(25, TARGETS - i) }, (_, j) => createTarget(kc, namespace, `t-${i + j}`, annotations, 0)));
  }
  const scaler = await startScaler({
    config: { ...DEFAULT_CONFIG, namespaces: [namespace], http: { host: '127.0.0.1', port: 0 }, plugins: ['fixed'] },
    builtins: TEST_FACTORIES,
    kc,
    logger: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: (m, f) => console.error(m, f) },
  });
  const { AppsV1Api } = await import('@kubernetes/client-node');
  await waitFor(
    async () => {
      const list = await kc.makeApiClient(AppsV1Api).listNamespacedDeployment({ namespace });
      return list.items.filter((d) => d.metadata?.annotations?.[STATUS_ANNOTATION]).length === TARGETS;
    },
    { timeoutMs: 120_000, intervalMs: 2000, description: 'every target evaluated once' },
  );
  await new Promise((r) => setTimeout(r, 5000));
  const read = () => {
    const text = execFileSync(kubectl, ['--kubeconfig', cluster.kubeconfigPath, 'get', '--raw', '/metrics'], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
    const counts = new Map<string, number>();
    for (const line of text.split('\n')) {
      if (!line.startsWith('apiserver_request_total{')) continue;
      const labels = Object.fromEntries([...line.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
      if (!['deployments', 'events'].includes(labels['resource'] ?? '')) continue;
      const key = `${labels['verb']} ${labels['resource']}${labels['subresource'] ? `/${labels['subresource']}` : ''}`;
      counts.set(key, (counts.get(key) ?? 0) + Number(line.split(' ').at(-1)));
    }
    return counts;
  };
  const before = read();
  await new Promise((r) => setTimeout(r, WINDOW_S * 1000));
  const after = read();
  await scaler.stop();
  const keys = [...new Set([...before.keys(), ...after.keys()])].sort();
  console.log(`${TARGETS} targets, ${WINDOW_S} s (${WINDOW_S / 2} ticks of 2 s) in steady state, apiserver_request_total deltas:`);
  console.log('| verb resource | requests in the window | per tick |');
  console.log('|---|---:|---:|');
  for (const k of keys) {
    const d = (after.get(k) ?? 0) - (before.get(k) ?? 0);
    console.log(`| ${k} | ${d} | ${(d / (WINDOW_S / 2)).toFixed(2)} |`);
  }
} finally {
  await cluster.stop();
}
