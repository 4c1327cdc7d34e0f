import { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { SELECTION_LABEL, targetKey } from '@ebb/core';
import { GATEWAY_API_GROUP, ROLLOUT_CONDITION, startGateway, type GatewayHandle } from '@ebb/plugin-eventgw';
import { createTestDeployment, findFreePort, installGatewayApiCrds, useTestNamespace, waitFor } from '@ebb/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningScaler } from '../runtime/scaler.ts';
import { HttpPods } from '../test-support/http-pods.ts';
import { createEbbGateway, createService, readRoute, rolloutState, sampleCluster, setWeights, splitRules, startRolloutScaler, steadyLoad, type LoadTally, type Sample } from '../test-support/rollout-cluster.ts';

const ns = useTestNamespace('route-rollout');
const HOST = 'coffee.example.com';
const [V1, V2, V3] = ['coffee-v1', 'coffee-v2', 'coffee-v3'];
const SURGE = 2;
let scaler: RunningScaler | undefined;
let gateway: GatewayHandle | undefined;
let className = '';
let scalerPort = 0;
const pods: HttpPods[] = [];
let adminUrl = '';

/** Each version scales on the requests the gateway routes to it: 2 in flight per pod, to zero 6 s after its last. */
const policy = { 'ebb.dev/policies': 'eventgw', 'ebb.dev/eventgw.container-concurrency': '2', 'ebb.dev/eventgw.window': '6s', 'ebb.dev/eventgw.idle-period': '6s', 'ebb.dev/scale-to-zero-grace-period': '6s' };
const rollout = { 'ebb.dev/rollout-duration': '20s', 'ebb.dev/rollout-max-surge': String(SURGE), 'ebb.dev/rollout-progress-deadline': '10s' };

const restartScaler = async () => {
  await scaler?.stop();
  scaler = await startRolloutScaler(ns.kubeConfig, ns.name, adminUrl, scalerPort);
};
const routeEvents = async (reason: string) =>
  (await ns.kubeConfig.makeApiClient(CoreV1Api).listNamespacedEvent({ namespace: ns.name, fieldSelector: 'involvedObject.kind=HTTPRoute,involvedObject.name=coffee' })).items.filter((e) => e.reason === reason);
const share = (s: Sample, v: string) => s.state?.current[targetKey({ namespace: ns.name, name: v })] ?? 0;
const shareNow = async (v: string) => (await rolloutState(ns.kubeConfig, ns.name))?.current[targetKey({ namespace: ns.name, name: v })];

beforeAll(async () => {
  const kc = ns.kubeConfig;
  await installGatewayApiCrds(kc);
  className = `ebb-${ns.name}`;
  await createEbbGateway(kc, ns.name, className);
  const [appPort, metricsPort, adminPort, dataPort] = [await findFreePort(), await findFreePort(), await findFreePort(), await findFreePort()];
  scalerPort = await findFreePort();
  for (const [name, replicas, readinessDelay] of [[V1, 2, '1s'], [V2, 0, '2s'], [V3, 0, '1h']] as const) {
    await createTestDeployment(kc, { namespace: ns.name, name, replicas, readinessDelay, containerPort: appPort, labels: { [SELECTION_LABEL]: 'true' }, annotations: policy });
    await createService(kc, ns.name, name, appPort);
    const p = new HttpPods(kc, ns.name, name, { appPort, metricsPort, serviceMs: 100 });
    await p.start();
    pods.push(p);
  }
  const body = { apiVersion: `${GATEWAY_API_GROUP}/v1`, kind: 'HTTPRoute', metadata: { name: 'coffee', annotations: rollout }, spec: { parentRefs: [{ name: 'web' }], hostnames: [HOST], rules: splitRules({ [V1]: 100, [V2]: 0 }) } };
  await kc.makeApiClient(CustomObjectsApi).createNamespacedCustomObject({ group: GATEWAY_API_GROUP, version: 'v1', namespace: ns.name, plural: 'httproutes', body });
  adminUrl = `http://127.0.0.1:${adminPort}`;
  await restartScaler();
  gateway = await startGateway({ kubeConfig: kc, namespaces: [ns.name], host: '127.0.0.1', port: dataPort, adminHost: '127.0.0.1', adminPort, scalerUrl: `http://127.0.0.1:${scalerPort}`, processMetrics: false });
  await waitFor(async () => (await shareNow(V1)) === 100, { timeoutMs: 20_000, description: 'the effective split recorded on the route' });
}, 120_000);

afterAll(async () => {
  await scaler?.stop();
  await gateway?.stop({ drainTimeoutMs: 0 });
  await Promise.all(pods.map((p) => p.stop()));
  if (className) await ns.kubeConfig.makeApiClient(CustomObjectsApi).deleteClusterCustomObject({ group: GATEWAY_API_GROUP, version: 'v1', plural: 'gatewayclasses', name: className });
});

/** Runs `body` under 4 closed-loop clients through the gateway with the cluster sampled; returns both records. */
async function underLoad(versions: readonly string[], body: (tally: LoadTally) => Promise<void>) {
  const load = steadyLoad(gateway?.port ?? 0, HOST, 4);
  const sampler = sampleCluster(ns.kubeConfig, ns.name, versions);
  try {
    await waitFor(() => load.tally.byVersion.size > 0, { timeoutMs: 20_000, description: 'answers through the gateway' });
    await body(load.tally);
  } finally {
    await Promise.all([load.stop(), sampler.stop()]);
  }
  return { tally: load.tally, samples: sampler.samples };
}

describe('a gradual rollout that asks the autoscaler first, on a real cluster through the gateway', () => {
  it('moves v1 -> v2 in steps under steady load: no failed request, no share without Ready pods, within the surge budget', async () => {
    let floorExplained = '';
    const { tally, samples } = await underLoad([V1, V2], async () => {
      await setWeights(ns.kubeConfig, ns.name, { [V1]: 0, [V2]: 100 });
      await waitFor(
        async () => {
          const d = scaler?.explain(`${ns.name}/${V2}`);
          if (d && 'floor' in d && d.floor) floorExplained = `${d.floor.replicas}: ${d.floor.reason}`;
          const s = await rolloutState(ns.kubeConfig, ns.name);
          return s?.to === undefined && s?.current[`${ns.name}/${V2}`] === 100;
        },
        { timeoutMs: 90_000, intervalMs: 200, description: 'the rollout to v2 complete' },
      );
      await waitFor(async () => pods[0]?.readyIps().length === 0, { timeoutMs: 40_000, description: 'v1 at zero after its grace period' });
    });
    expect(tally.failures).toEqual([]);
    // The receiver never waited for a pod: every request it got found a Ready pod.
    expect(tally.coldStarts.get(V2)).toBeUndefined();
    expect(tally.byVersion.get(V2)).toBeGreaterThan(0);
    const during = samples.filter((s) => s.state?.to !== undefined);
    expect(during.some((s) => share(s, V2) > 0 && share(s, V2) < 100)).toBe(true);
    for (const s of during) {
      if (share(s, V2) > 0) expect(s.ready[V2], JSON.stringify(s)).toBeGreaterThan(0);
      expect((s.spec[V1] ?? 0) + (s.spec[V2] ?? 0), JSON.stringify(s)).toBeLessThanOrEqual((s.state?.prePods ?? 0) + SURGE);
    }
    expect(floorExplained).toMatch(/rollout of route .*\/coffee/);
    const metrics = await (await fetch(`http://127.0.0.1:${scalerPort}/metrics`)).text();
    expect(metrics).toContain(`ebb_rollout_weight{route="${ns.name}/coffee",backend="${ns.name}/${V2}"} 100`);
    expect(metrics).toContain(`ebb_rollout_step{route="${ns.name}/coffee"} -1`);
    expect((await routeEvents('RolloutStarted')).length).toBe(1);
    expect((await routeEvents('RolloutComplete')).length).toBe(1);
  }, 150_000);

  it('a rollback mid-way moves the traffic back at once', async () => {
    const { tally, samples } = await underLoad([V1, V2], async (seen) => {
      await setWeights(ns.kubeConfig, ns.name, { [V1]: 100, [V2]: 0 });
      await waitFor(async () => ((await shareNow(V1)) ?? 0) >= 10, { timeoutMs: 60_000, intervalMs: 200, description: 'v1 back to 10 %' });
      await setWeights(ns.kubeConfig, ns.name, { [V1]: 0, [V2]: 100 });
      await waitFor(async () => (await shareNow(V2)) === 100, { timeoutMs: 10_000, intervalMs: 100, description: 'all traffic on v2 again' });
      // The gateway follows as soon as its watch sees the route: the newest answers all come from v2.
      await waitFor(() => seen.last.length >= 40 && seen.last.slice(-40).every((v) => v === V2), { timeoutMs: 20_000, description: 'the last 40 answers from v2' });
    });
    expect(tally.failures).toEqual([]);
    // In one write, not in steps: after the last sample of the rollout, v1 has 0 % in every sample.
    const lastDuring = samples.findLastIndex((s) => s.state?.to !== undefined);
    expect(share(samples[lastDuring] as Sample, V1)).toBeGreaterThan(0);
    expect(samples.slice(lastDuring + 1).map((s) => share(s, V1))).toEqual(samples.slice(lastDuring + 1).map(() => 0));
    expect((await routeEvents('RolloutRolledBack')).length).toBe(1);
  }, 120_000);

  it('a scaler restart mid-rollout continues from the split on the route', async () => {
    const { tally, samples } = await underLoad([V1, V2], async () => {
      await setWeights(ns.kubeConfig, ns.name, { [V1]: 100, [V2]: 0 });
      await waitFor(async () => ((await shareNow(V1)) ?? 0) >= 20, { timeoutMs: 60_000, intervalMs: 200, description: 'v1 at 20 %' });
      await scaler?.stop();
      const held = await rolloutState(ns.kubeConfig, ns.name);
      await new Promise((r) => setTimeout(r, 2000));
      // Nobody drives the rollout meanwhile; the gateways keep routing the effective split.
      expect((await rolloutState(ns.kubeConfig, ns.name))?.current).toEqual(held?.current);
      await restartScaler();
      await waitFor(async () => (await shareNow(V1)) === 100, { timeoutMs: 90_000, intervalMs: 200, description: 'the rollout to v1 complete' });
    });
    expect(tally.failures).toEqual([]);
    // The split only ever moved toward v1: the new scaler took it up where the route had it.
    const shares = samples.filter((s) => s.state).map((s) => share(s, V1));
    expect(shares.every((v, i) => i === 0 || v >= (shares[i - 1] ?? 0))).toBe(true);
    expect(new Set(shares).size).toBeGreaterThan(3);
  }, 150_000);

  it('a version whose pods never turn Ready stops the rollout where it is, with an Event and a route condition, without an outage', async () => {
    const { tally } = await underLoad([V1, V3], async () => {
      await setWeights(ns.kubeConfig, ns.name, { [V1]: 0, [V3]: 100 });
      await waitFor(async () => (await rolloutState(ns.kubeConfig, ns.name))?.stalled === true, { timeoutMs: 60_000, intervalMs: 250, description: 'the rollout to v3 stalled' });
      expect(await (await fetch(`http://127.0.0.1:${scalerPort}/metrics`)).text()).toContain(`ebb_rollout_stalled{route="${ns.name}/coffee"} 1`);
      const condition = await waitFor(async () => (await readRoute(ns.kubeConfig, ns.name)).status?.parents?.[0]?.conditions.find((c) => c.type === ROLLOUT_CONDITION && c.status === 'False'), { timeoutMs: 20_000 });
      expect(condition).toMatchObject({ reason: 'Stalled' });
      expect(condition.message).toMatch(/coffee-v3/);
    });
    expect(tally.failures).toEqual([]);
    expect(tally.byVersion.get(V3)).toBeUndefined();
    expect(await shareNow(V1)).toBe(100);
    expect((await routeEvents('RolloutStalled')).length).toBe(1);
  }, 120_000);
});
