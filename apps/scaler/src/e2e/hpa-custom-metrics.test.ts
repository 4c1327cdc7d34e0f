import { AppsV1Api, CoreV1Api } from '@kubernetes/client-node';
import { SELECTION_LABEL, systemClock, type Decision } from '@ebb/core';
import { createHpaPlugin } from '@ebb/plugin-hpa';
import {
  startCustomMetricsAdapter,
  testDeploymentManifest,
  testKubeconfigPath,
  useTestNamespace,
  waitFor,
  waitForReadyPods,
  type CustomMetricsAdapter,
} from '@ebb/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../runtime/config-file.ts';
import { startScaler, type RunningScaler } from '../runtime/scaler.ts';
import { eventsOf, memoryLogger, specReplicas, waitForReplicas } from '../test-support/cluster-helpers.ts';

// The HPA plugin on Pods, Object and External metrics end to end: the test adapter of
// sigs.k8s.io/custom-metrics-apiserver (built from its Go module) serves custom.metrics.k8s.io and
// external.metrics.k8s.io through the apiserver's aggregation layer, the plugin's collector reads them as the HPA
// controller does, and the scaler acts on the Deployments.
const ns = useTestNamespace('hpa-custom');
const logger = memoryLogger();
let adapter: CustomMetricsAdapter;
let scaler: RunningScaler;

beforeAll(async () => {
  const kc = ns.kubeConfig;
  adapter = await startCustomMetricsAdapter({ kubeConfig: kc, kubeconfigPath: testKubeconfigPath() });
  scaler = await startScaler({
    config: { ...DEFAULT_CONFIG, namespaces: [ns.name], tickIntervalMs: 500, http: { host: '127.0.0.1', port: 0 }, plugins: ['hpa'] },
    builtins: { hpa: () => createHpaPlugin({ podMetrics: { kubeConfig: kc, intervalMs: 1_000, logger } }) },
    kc,
    clock: systemClock,
    logger,
  });
});

afterAll(async () => {
  await scaler?.stop();
  await adapter?.stop();
});

/** A Deployment selected by the scaler with the HPA policy and `metrics` as its `ebb.dev/hpa.metrics`. */
async function deploy(name: string, replicas: number, metrics: string, annotations: Record<string, string> = {}): Promise<void> {
  const body = testDeploymentManifest({
    namespace: ns.name,
    name,
    replicas,
    labels: { [SELECTION_LABEL]: 'true' },
    annotations: { 'ebb.dev/policies': 'hpa', 'ebb.dev/hpa.metrics': metrics, ...annotations },
  });
  await ns.kubeConfig.makeApiClient(AppsV1Api).createNamespacedDeployment({ namespace: ns.name, body });
}

/** The HPA plugin's recommendation in the scaler's current decision for `name`. */
function hpaReason(name: string): string | undefined {
  const decision = scaler.explain(`${ns.name}/${name}`) as Decision | undefined;
  return decision?.recommendations?.find((r) => r.pluginId === 'hpa')?.recommendation.reason;
}

describe('the HPA plugin on custom and external metrics, through the custom-metrics-apiserver test adapter', () => {
  it('scales on a Pods metric: the average of the pods’ values against the per-pod target', async () => {
    const kc = ns.kubeConfig;
    await deploy('pods-web', 2, '[{type: Pods, pods: {metric: {name: rps}, target: {type: AverageValue, averageValue: "10"}}}]', { 'ebb.dev/max-replicas': '4' });
    const pods = await waitForReadyPods(kc, { namespace: ns.name, labelSelector: 'app=pods-web', count: 2 });
    // 10 requests/s per pod: at the target, the count stays.
    for (const p of pods) await adapter.setMetric({ namespace: ns.name, resource: 'pods', name: p.metadata?.name ?? '', metric: 'rps', value: '10' });
    await waitFor(() => hpaReason('pods-web') === 'pods metric rps 10 near target 10 per pod (2 ready pods): 2 replicas', {
      timeoutMs: 30_000,
      description: 'a decision at the target',
    });
    expect(await specReplicas(kc, ns.name, 'pods-web')).toBe(2);
    // 30 per pod: ratio 3 -> ceil(3 x 2) = 6, limited to max-replicas 4.
    for (const p of pods) await adapter.setMetric({ namespace: ns.name, resource: 'pods', name: p.metadata?.name ?? '', metric: 'rps', value: '30' });
    await waitForReplicas(kc, ns.name, 'pods-web', 4, 30_000);
    const up = await waitFor(async () => (await eventsOf(kc, ns.name, 'pods-web', 'SuccessfulRescale')).find((e) => e.message?.startsWith('New size: 4')));
    expect(up.message).toContain('reason: hpa: pods metric rps 30 above target 10 per pod');
  }, 120_000);

  it('scales on an Object metric: the described object’s value against the target, times the ready pods', async () => {
    const kc = ns.kubeConfig;
    await kc.makeApiClient(CoreV1Api).createNamespacedService({ namespace: ns.name, body: { metadata: { name: 'front' }, spec: { ports: [{ port: 80 }] } } });
    await adapter.setMetric({ namespace: ns.name, resource: 'services', name: 'front', metric: 'requests', value: '25' });
    const metrics = `
- type: Object
  object:
    describedObject: {apiVersion: v1, kind: Service, name: front}
    metric: {name: requests}
    target: {type: Value, value: "10"}`;
    await deploy('object-web', 1, metrics, { 'ebb.dev/max-replicas': '3' });
    // 25 against 10 with 1 ready pod: ceil(2.5 x 1) = 3.
    await waitForReplicas(kc, ns.name, 'object-web', 3, 30_000);
    const up = await waitFor(async () => (await eventsOf(kc, ns.name, 'object-web', 'SuccessfulRescale')).find((e) => e.message?.startsWith('New size: 3')));
    expect(up.message).toContain('reason: hpa: Service metric requests 25 above target 10 (1 ready pods): 3 replicas');
  }, 120_000);

  it('scales from zero on an External metric (KEP-2021): ceil(value / target)', async () => {
    const kc = ns.kubeConfig;
    // The adapter's fixed series other-external-metric = 44; against a target of 20: ceil(2.2) = 3.
    const metrics = '[{type: External, external: {metric: {name: other-external-metric}, target: {type: Value, value: "20"}}}]';
    // initial-replicas 0: core does not start a new target at one pod; the hpa decides from zero.
    await deploy('queue-worker', 0, metrics, { 'ebb.dev/min-replicas': '0', 'ebb.dev/initial-replicas': '0', 'ebb.dev/max-replicas': '3' });
    await waitForReplicas(kc, ns.name, 'queue-worker', 3, 30_000);
    // The Event is recorded right after the scale write: wait for it, then check it was the only one (0 -> 3 at once).
    const events = await waitFor(async () => {
      const found = await eventsOf(kc, ns.name, 'queue-worker', 'SuccessfulRescale');
      return found.length > 0 ? found : undefined;
    }, { timeoutMs: 15_000, description: 'the SuccessfulRescale Event of queue-worker' });
    expect(events.map((e) => e.message)).toEqual(['New size: 3; reason: hpa: external metric other-external-metric 44 above target 20 (0 ready pods): 3 replicas']);
  }, 120_000);
});
