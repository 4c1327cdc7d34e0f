import { AppsV1Api, CoreV1Api } from '@kubernetes/client-node';
import { targetKey, type CollectContext, type MetricCollector, type MetricSink, type TargetInfo } from '@ebb/core';
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
import { customMetricId } from '../custom-metric.ts';
import { CUSTOM_METRICS_SNAPSHOT, type CustomMetricsSnapshot } from '../custom-metrics-snapshot.ts';
import { createHpaConfigSchema } from '../hpa-schema.ts';
import { recommendHpa } from '../recommend.ts';
import { decisionInput } from '../test-support/decision.ts';
import { createCustomMetricsCollector } from './custom-metrics-collector.ts';

// The collector against a real aggregated metrics API: the test adapter of sigs.k8s.io/custom-metrics-apiserver
// (built by tools/cluster/build.sh), registered as custom.metrics.k8s.io and external.metrics.k8s.io.
const ns = useTestNamespace('hpa-custom');
let adapter: CustomMetricsAdapter;
let collector: MetricCollector;

const METRICS = `
- type: Pods
  pods:
    metric: { name: rps }
    target: { type: AverageValue, averageValue: "10" }
- type: Object
  object:
    describedObject: { apiVersion: v1, kind: Service, name: web }
    metric: { name: requests }
    target: { type: Value, value: "30" }
- type: External
  external:
    metric: { name: my-external-metric, selector: { matchLabels: { foo: bar } } }
    target: { type: AverageValue, averageValue: "20" }
- type: External
  external:
    metric: { name: my-external-metric }
    target: { type: Value, value: "100" }
- type: External
  external:
    metric: { name: no-such-metric }
    target: { type: Value, value: "1" }
`;

const schema = createHpaConfigSchema();
function parse(metrics: string) {
  const parsed = schema.parse({ 'ebb.dev/hpa.metrics': metrics }, 'ebb.dev/hpa.');
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.value;
}

const target = (name: string, metrics = METRICS): TargetInfo => {
  const ref = { namespace: ns.name, name };
  return { ref, key: targetKey(ref), selector: { app: name }, policies: ['hpa'], annotations: { 'ebb.dev/hpa.metrics': metrics } };
};

/** Runs one collection round for `t` and returns what it published. */
async function round(t: TargetInfo): Promise<{ snapshot?: CustomMetricsSnapshot; failure?: unknown }> {
  const out: { snapshot?: CustomMetricsSnapshot; failure?: unknown } = {};
  const sink: MetricSink = {
    record: () => undefined,
    snapshot: (_t, name, value) => void (name === CUSTOM_METRICS_SNAPSHOT && (out.snapshot = value as CustomMetricsSnapshot)),
    fail: (_t, _m, error) => void (out.failure = error),
  };
  const ctx: CollectContext = { nowMs: Date.now(), targets: [t], sink, signal: new AbortController().signal };
  await collector.collect(ctx);
  return out;
}

beforeAll(async () => {
  adapter = await startCustomMetricsAdapter({ kubeConfig: ns.kubeConfig, kubeconfigPath: testKubeconfigPath() });
  collector = createCustomMetricsCollector({ kubeConfig: ns.kubeConfig, intervalMs: 2_000 });
});

afterAll(async () => {
  await collector?.close?.();
  await adapter?.stop();
});

describe('the custom and external metrics collector, against the custom-metrics-apiserver test adapter', () => {
  it('reads Pods, Object and External metrics as the controller does, and the HPA decides on them', async () => {
    const kc = ns.kubeConfig;
    await kc.makeApiClient(AppsV1Api).createNamespacedDeployment({ namespace: ns.name, body: testDeploymentManifest({ namespace: ns.name, name: 'web', replicas: 3 }) });
    await kc.makeApiClient(CoreV1Api).createNamespacedService({ namespace: ns.name, body: { metadata: { name: 'web' }, spec: { ports: [{ port: 80 }] } } });
    const pods = await waitForReadyPods(kc, { namespace: ns.name, labelSelector: 'app=web', count: 3 });
    const names = pods.map((p) => p.metadata?.name ?? '').sort();
    const perPod = ['15', '20', '25'];
    for (const [i, name] of names.entries()) await adapter.setMetric({ namespace: ns.name, resource: 'pods', name, metric: 'rps', value: perPod[i] ?? '0' });
    await adapter.setMetric({ namespace: ns.name, resource: 'services', name: 'web', metric: 'requests', value: '1500m' });

    const config = parse(METRICS);
    const [pods_, object, externalBar, externalAll, missing] = config.metrics?.custom ?? [];
    if (!pods_ || !object || !externalBar || !externalAll || !missing) throw new Error('five custom metrics expected');
    const { snapshot } = await round(target('web'));
    if (!snapshot) throw new Error('no snapshot');
    expect(snapshot.pods.map((p) => p.name).sort()).toEqual(names);
    expect(snapshot.readings[customMetricId(pods_)]).toEqual({ ok: true, kind: 'pods', valuesMilli: Object.fromEntries(names.map((n, i) => [n, Number(perPod[i]) * 1000])) });
    expect(snapshot.readings[customMetricId(object)]).toEqual({ ok: true, kind: 'total', valueMilli: 1500 });
    // The adapter's fixed series: foo=bar 42, foo=baz 43; without a selector both are summed.
    expect(snapshot.readings[customMetricId(externalBar)]).toEqual({ ok: true, kind: 'total', valueMilli: 42_000 });
    expect(snapshot.readings[customMetricId(externalAll)]).toEqual({ ok: true, kind: 'total', valueMilli: 85_000 });
    expect(snapshot.readings[customMetricId(missing)]).toMatchObject({ ok: false, error: expect.stringContaining('no values of external metric no-such-metric') });

    // Pods: average 20 over target 10 -> 6; Object 1.5 / 30 -> down; External 42 / 20 per pod -> 3; 85 / 100 -> 3.
    // One metric is invalid and the highest proposal (6) is above the current 3, so the HPA scales up to 6.
    const { recommendation } = recommendHpa(decisionInput({ config, custom: snapshot, scaling: { maxReplicas: 20 } }));
    expect(recommendation).toMatchObject({ kind: 'replicas', replicas: 6, reason: expect.stringMatching(/^pods metric rps 20 above target 10 per pod/) });

    // A new value is read at the next round.
    for (const name of names) await adapter.setMetric({ namespace: ns.name, resource: 'pods', name, metric: 'rps', value: '40' });
    await waitFor(async () => {
      const next = (await round(target('web'))).snapshot?.readings[customMetricId(pods_)];
      return next?.ok && next.kind === 'pods' && Object.values(next.valuesMilli).every((v) => v === 40_000);
    }, { timeoutMs: 20_000, description: 'the new per-pod values' });
  });

  it('reports an Object metric of a kind the API server does not serve as an invalid reading', async () => {
    const metrics = `[{type: Object, object: {describedObject: {apiVersion: example.com/v1, kind: Queue, name: q}, metric: {name: depth}, target: {type: Value, value: "1"}}}]`;
    const [metric] = parse(metrics).metrics?.custom ?? [];
    if (!metric) throw new Error('one metric expected');
    const { snapshot } = await round(target('web', metrics));
    expect(snapshot?.readings[customMetricId(metric)]).toMatchObject({ ok: false, error: expect.stringContaining('example.com/v1') });
  });

  it('fails a target whose Deployment has no matchLabels, instead of publishing an empty pod list', async () => {
    const { snapshot, failure } = await round({ ...target('web'), selector: {} });
    expect(snapshot).toBeUndefined();
    expect(String(failure)).toContain('no matchLabels');
  });
});
