import { fileURLToPath } from 'node:url';
import { fnv1a } from '@ebb/core';
import { useTestNamespace, waitFor } from '@ebb/testing';
import { afterAll, describe, expect, it, onTestFailed } from 'vitest';
import { jumpHash } from '../runtime/ownership.ts';
import { annotate, createTarget, waitForReplicas } from '../test-support/cluster-helpers.ts';
import { startDelayingApiserverProxy, type DelayingApiserverProxy } from '../test-support/delaying-apiserver-proxy.ts';
import { spawnScaler, type ScalerProcess } from '../test-support/scaler-process.ts';

const ns = useTestNamespace('handover');
const PLUGIN_MODULE = fileURLToPath(new URL('../test-support/fixed-plugin-module.ts', import.meta.url));
const LEASE_REQUESTS = /^\/apis\/coordination\.k8s\.io\/v1\/namespaces\/[^/]+\/leases/;
const running: ScalerProcess[] = [];
const proxies: DelayingApiserverProxy[] = [];
afterAll(async () => {
  await Promise.all(running.map((p) => p.kill('SIGKILL')));
  await Promise.all(proxies.map((p) => p.close()));
});

describe('shard leases handed over while the apiserver is slow for the leader', () => {
  it('a leader whose renewals stall stops acting before its successor starts: every change is written exactly once', async () => {
    const kc = ns.kubeConfig;
    // Each replica reaches the apiserver through a proxy of its own that can hold back its Lease requests.
    const [pa, pb] = await Promise.all(['ha', 'hb'].map((n) => startDelayingApiserverProxy(kc, n)));
    proxies.push(pa!, pb!);
    const config = {
      namespaces: [ns.name],
      tickInterval: '500ms',
      plugins: [PLUGIN_MODULE],
      shards: 2,
      leaderElection: { enabled: true, namespace: ns.name, name: 'ebb-handover', leaseDuration: '6s', renewDeadline: '4s', retryPeriod: '500ms' },
    };
    const leadsAll = async (p: ScalerProcess) => (await p.metricSum(/^ebb_leader\{lease="ebb-handover-\d"\}/)) === 2;
    const leadsNone = async (p: ScalerProcess) => (await p.metricSum(/^ebb_leader\{lease="ebb-handover-\d"\}/)) === 0;
    // On failure, what each replica logged about its leases and writes.
    onTestFailed(() => {
      for (const p of running) console.log(p.logs.join('').split('\n').filter((l) => /leader|lease|scaled|scale failed/.test(l)).slice(-40).join('\n'));
    });
    const a = await spawnScaler({ kubeconfig: pa!.kubeconfigPath, config, name: 'ha' });
    running.push(a);
    await waitFor(() => leadsAll(a), { timeoutMs: 60_000, description: 'ha leads both shards' });
    const b = await spawnScaler({ kubeconfig: pb!.kubeconfigPath, config, name: 'hb' });
    running.push(b);

    // One target in each shard.
    const names = Array.from({ length: 40 }, (_, i) => `h${i}`);
    const targets = [0, 1].map((shard) => names.find((n) => jumpHash(fnv1a(`${ns.name}/${n}`), 2) === shard)!);
    for (const name of targets) await createTarget(kc, ns.name, name, { 'ebb.dev/policies': 'fixed', 'ebb.dev/fixed.replicas': '2' });
    for (const name of targets) await waitForReplicas(kc, ns.name, name, 2);
    const writes = (p: ScalerProcess, name: string) => p.metricSum(new RegExp(`^ebb_scale_actions_total\\{.*name="${name}",direction="(up|down)",result="ok"\\}`));
    const total = async (name: string) => (await writes(a, name)) + (await writes(b, name));
    for (const name of targets) await waitFor(async () => (await total(name)) === 1, { description: `${name}: first scale counted` });

    let [leader, follower, leaderProxy] = [a, b, pa!];
    let expected = 1;
    for (const replicas of [3, 4, 5]) {
      // The leader's Lease requests now reach the apiserver a minute late: it cannot renew (held requests that
      // arrive later carry an old resourceVersion and meet a conflict).
      leaderProxy.delay(LEASE_REQUESTS, 60_000);
      await waitFor(() => leadsAll(follower), { timeoutMs: 60_000, description: 'the follower takes both shards' });
      // While the follower leads, the stalled leader must no longer act, although its own watch shows every change.
      expect(await leadsNone(leader)).toBe(true);
      const before = await Promise.all(targets.map((name) => writes(leader, name)));
      for (const name of targets) await annotate(kc, ns.name, name, { 'ebb.dev/fixed.replicas': String(replicas) });
      for (const name of targets) await waitForReplicas(kc, ns.name, name, replicas);
      expected++;
      for (const name of targets) await waitFor(async () => (await total(name)) >= expected, { description: `${name}: scale to ${replicas} counted` });
      expect(await Promise.all(targets.map((name) => writes(leader, name)))).toEqual(before);
      leaderProxy.delay(LEASE_REQUESTS, 0);
      [leader, follower, leaderProxy] = [follower, leader, leaderProxy === pa ? pb! : pa!];
    }
    // A duplicate write by a replica that still believed it led would follow the first within a tick: give it two.
    await new Promise((r) => setTimeout(r, 1_000));
    for (const name of targets) expect(await total(name)).toBe(expected);
    expect(pa!.held() + pb!.held()).toBeGreaterThan(0);
  }, 300_000);
});
