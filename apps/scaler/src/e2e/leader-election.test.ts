import { fileURLToPath } from 'node:url';
import { testKubeconfigPath, useTestNamespace, waitFor } from '@ebb/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { annotate, createTarget, eventsOf, waitForReplicas } from '../test-support/cluster-helpers.ts';
import { spawnScaler, type ScalerProcess } from '../test-support/scaler-process.ts';
import { fnv1a } from '@ebb/core';
import { jumpHash } from '../runtime/ownership.ts';

const ns = useTestNamespace('leader');
const PLUGIN_MODULE = fileURLToPath(new URL('../test-support/fixed-plugin-module.ts', import.meta.url));
const running: ScalerProcess[] = [];
// Every test's processes go when it ends: they all watch this namespace, and a leader left over from one test (of
// its own lease) would act on the next test's targets too.
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.kill('SIGKILL')));
});

describe('two ebb run processes with leader election', () => {
  it('only the leader acts; when it is killed the other takes over within the lease duration', async () => {
    const kc = ns.kubeConfig;
    const config = {
      namespaces: [ns.name],
      tickInterval: '500ms',
      // Loaded by specifier through dynamic import, as an npm package name would be.
      plugins: [PLUGIN_MODULE],
      leaderElection: { enabled: true, namespace: ns.name, name: 'ebb-scaler', leaseDuration: '4s', renewDeadline: '3s', retryPeriod: '500ms' },
    };
    const a = await spawnScaler({ kubeconfig: testKubeconfigPath(), config, name: 'a' });
    running.push(a);
    await waitFor(async () => (await a.metric(/^ebb_leader\{lease="ebb-scaler"\}/)) === 1, { timeoutMs: 15_000, description: 'a leads' });
    const b = await spawnScaler({ kubeconfig: testKubeconfigPath(), config, name: 'b' });
    running.push(b);

    await createTarget(kc, ns.name, 'web', { 'ebb.dev/policies': 'fixed', 'ebb.dev/fixed.replicas': '2' });
    await waitForReplicas(kc, ns.name, 'web', 2);
    await annotate(kc, ns.name, 'web', { 'ebb.dev/fixed.replicas': '3' });
    await waitForReplicas(kc, ns.name, 'web', 3);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await a.metric(/^ebb_scale_actions_total\{.*name="web",direction="up",result="ok"\}/)).toBe(2);
    expect(await b.metric(/^ebb_scale_actions_total\{.*name="web"/)).toBeUndefined();
    expect(await b.metric(/^ebb_leader\{lease="ebb-scaler"\}/)).not.toBe(1);
    expect(await eventsOf(kc, ns.name, 'web', 'SuccessfulRescale')).toHaveLength(2);

    const killedAt = Date.now();
    await a.kill('SIGKILL');
    await waitFor(async () => (await b.metric(/^ebb_leader\{lease="ebb-scaler"\}/)) === 1, { timeoutMs: 15_000, description: 'b takes over' });
    const takeoverMs = Date.now() - killedAt;
    // The lease lasts 4 s; b retries every 0.5 s and judges expiry from when it last saw the record change.
    expect(takeoverMs).toBeLessThan(4_000 + 2_500);
    await annotate(kc, ns.name, 'web', { 'ebb.dev/fixed.replicas': '5' });
    await waitForReplicas(kc, ns.name, 'web', 5);
    await waitFor(async () => (await b.metric(/^ebb_scale_actions_total\{.*name="web",direction="up",result="ok"\}/)) === 1, { description: 'b counted its scale' });
  });

  it('a leader stopped gracefully releases the lease so the other takes over at once', async () => {
    const config = {
      namespaces: [ns.name],
      plugins: [PLUGIN_MODULE],
      leaderElection: { enabled: true, namespace: ns.name, name: 'ebb-release', leaseDuration: '30s', renewDeadline: '20s', retryPeriod: '500ms' },
    };
    const a = await spawnScaler({ kubeconfig: testKubeconfigPath(), config, name: 'ra' });
    running.push(a);
    await waitFor(async () => (await a.metric(/^ebb_leader\{lease="ebb-release"\}/)) === 1, { timeoutMs: 15_000, description: 'ra leads' });
    const b = await spawnScaler({ kubeconfig: testKubeconfigPath(), config, name: 'rb' });
    running.push(b);
    await a.kill('SIGTERM');
    expect(a.child.exitCode).toBe(0);
    // Far sooner than the 30 s lease: the released lease is taken at b's next retry (500 ms); the limit leaves
    // room for a loaded machine and still proves that b did not wait for the lease to expire.
    await waitFor(async () => (await b.metric(/^ebb_leader\{lease="ebb-release"\}/)) === 1, { timeoutMs: 15_000, description: 'rb takes the released lease' });
  });

  it('with shards, replicas share the targets: each acts only on the shards it leads', async () => {
    const kc = ns.kubeConfig;
    const config = {
      namespaces: [ns.name],
      tickInterval: '500ms',
      plugins: [PLUGIN_MODULE],
      shards: 2,
      maxShardsPerReplica: 1,
      // Long enough that a loaded machine does not make leases flap between the replicas during the test.
      leaderElection: { enabled: true, namespace: ns.name, name: 'ebb-shard', leaseDuration: '15s', renewDeadline: '10s', retryPeriod: '500ms' },
    };
    const a = await spawnScaler({ kubeconfig: testKubeconfigPath(), config, name: 'sa' });
    const b = await spawnScaler({ kubeconfig: testKubeconfigPath(), config, name: 'sb' });
    running.push(a, b);
    const leads = async (p: ScalerProcess) => [(await p.metric(/^ebb_leader\{lease="ebb-shard-0"\}/)) === 1, (await p.metric(/^ebb_leader\{lease="ebb-shard-1"\}/)) === 1];
    await waitFor(async () => {
      const [a0, a1] = await leads(a);
      const [b0, b1] = await leads(b);
      return a0 !== a1 && b0 !== b1 && a0 !== b0;
    }, { timeoutMs: 40_000, description: 'each replica leads one shard' });
    // One target in each shard.
    const names = Array.from({ length: 40 }, (_, i) => `s${i}`);
    const shard0 = names.find((n) => jumpHash(fnv1a(`${ns.name}/${n}`), 2) === 0)!;
    const shard1 = names.find((n) => jumpHash(fnv1a(`${ns.name}/${n}`), 2) === 1)!;
    for (const name of [shard0, shard1]) await createTarget(kc, ns.name, name, { 'ebb.dev/policies': 'fixed', 'ebb.dev/fixed.replicas': '2' });
    await waitForReplicas(kc, ns.name, shard0, 2);
    await waitForReplicas(kc, ns.name, shard1, 2);
    // Each target was scaled by exactly one process, and not by the same one: the shards are shared.
    const scaledBy = async (name: string) => {
      const counts = await Promise.all([a, b].map(async (p) => (await p.metric(new RegExp(`^ebb_scale_actions_total\\{.*name="${name}",direction="up",result="ok"\\}`))) ?? 0));
      return counts.reduce((x, y) => x + y, 0) === 1 ? (counts[0] === 1 ? 'a' : 'b') : undefined;
    };
    // The counter moves right after the write the apiserver already shows: wait for it.
    const by0 = await waitFor(() => scaledBy(shard0), { description: `${shard0} scaled by one process` });
    const by1 = await waitFor(() => scaledBy(shard1), { description: `${shard1} scaled by one process` });
    expect(by0).not.toBe(by1);
  });
});
