import { AppsV1Api, CoreV1Api, PatchStrategy, setHeaderOptions, type KubeConfig } from '@kubernetes/client-node';
import { targetKey, type CollectContext, type MetricCollector, type MetricSink, type Snapshot, type TargetInfo } from '@ebb/core';
import {
  startMetricsNode,
  startMetricsServer,
  testDeploymentManifest,
  testKubeconfigPath,
  USAGE_ANNOTATIONS,
  useTestNamespace,
  waitFor,
  waitForReadyPods,
  type MetricsNode,
  type MetricsServer,
} from '@ebb/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recommendHpa } from '../recommend.ts';
import { POD_METRICS_SNAPSHOT, type PodMetricsSnapshot } from '../pod-metrics-snapshot.ts';
import { decisionInput } from '../test-support/decision.ts';
import { createPodMetricsCollector } from './pod-metrics-collector.ts';

const ns = useTestNamespace('hpa-collector');
let node: MetricsNode;
let server: MetricsServer;
let collector: MetricCollector;

/** A sink that keeps what a round published, per target. */
function recordingSink(): MetricSink & { snapshots: Map<string, Snapshot<PodMetricsSnapshot>>; failures: Map<string, unknown> } {
  const snapshots = new Map<string, Snapshot<PodMetricsSnapshot>>();
  const failures = new Map<string, unknown>();
  return {
    snapshots,
    failures,
    record: () => undefined,
    snapshot: (target, name, value, timeMs) => void (name === POD_METRICS_SNAPSHOT && snapshots.set(target, { timeMs, value: value as PodMetricsSnapshot })),
    fail: (target, _metric, error) => void failures.set(target, error),
  };
}

const target = (name: string): TargetInfo => {
  const ref = { namespace: ns.name, name };
  return { ref, key: targetKey(ref), selector: { app: name }, policies: ['hpa'], annotations: {} };
};

/** Runs one collection round for `targets`. */
async function round(...targets: TargetInfo[]): Promise<ReturnType<typeof recordingSink>> {
  const sink = recordingSink();
  const ctx: CollectContext = { nowMs: Date.now(), targets, sink, signal: new AbortController().signal };
  await collector.collect(ctx);
  return sink;
}

/** A Deployment of pods requesting 100m CPU and 64Mi, using `cpu` each, on the metrics node unless `elsewhere`. */
async function deploy(kc: KubeConfig, name: string, replicas: number, cpu: string, elsewhere = false): Promise<void> {
  const d = testDeploymentManifest({ namespace: ns.name, name, replicas, podAnnotations: { [USAGE_ANNOTATIONS.cpu]: cpu, [USAGE_ANNOTATIONS.memory]: '32Mi' } });
  const spec = d.spec?.template.spec;
  if (!spec) throw new Error('testDeploymentManifest gave no pod spec');
  spec.containers = spec.containers.map((c) => ({ ...c, resources: { requests: { cpu: '100m', memory: '64Mi' } } }));
  if (!elsewhere) Object.assign(spec, node.placement);
  await kc.makeApiClient(AppsV1Api).createNamespacedDeployment({ namespace: ns.name, body: d });
  await waitForReadyPods(kc, { namespace: ns.name, labelSelector: `app=${name}`, count: replicas });
}

/** Sets the simulated CPU usage of every pod of `app`. */
async function setUsage(kc: KubeConfig, app: string, cpu: string): Promise<void> {
  const core = kc.makeApiClient(CoreV1Api);
  const pods = await core.listNamespacedPod({ namespace: ns.name, labelSelector: `app=${app}` });
  for (const name of pods.items.map((p) => p.metadata?.name ?? '')) {
    await core.patchNamespacedPod(
      { name, namespace: ns.name, body: { metadata: { annotations: { [USAGE_ANNOTATIONS.cpu]: cpu } } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
  }
}

/** Collects until every pod of `app` has a sample with CPU within 3 % of `cpuMilli`; returns that snapshot. */
async function waitForUsage(app: string, pods: number, cpuMilli: number): Promise<PodMetricsSnapshot> {
  return await waitFor(
    async () => {
      const snapshot = (await round(target(app))).snapshots.get(target(app).key)?.value;
      const ok = snapshot?.pods.length === pods && snapshot.pods.every((p) => p.usage && Math.abs(p.usage.cpuMilli - cpuMilli) <= cpuMilli * 0.03);
      return ok ? snapshot : undefined;
    },
    { timeoutMs: 90_000, intervalMs: 1_000, description: `${pods} pods of ${app} at ${cpuMilli}m CPU in metrics.k8s.io` },
  );
}

beforeAll(async () => {
  const kubeconfigPath = testKubeconfigPath();
  node = await startMetricsNode({ kubeConfig: ns.kubeConfig, kubeconfigPath });
  server = await startMetricsServer({ kubeConfig: ns.kubeConfig, kubeconfigPath, nodeSelector: node.labelSelector });
  collector = createPodMetricsCollector({ kubeConfig: ns.kubeConfig, intervalMs: 2_000 });
  await deploy(ns.kubeConfig, 'web', 2, '50m');
  await deploy(ns.kubeConfig, 'batch', 1, '400m');
  await deploy(ns.kubeConfig, 'elsewhere', 1, '10m', true);
});

afterAll(async () => {
  await collector?.close?.();
  await server?.stop();
  await node?.stop();
});

describe('the metrics.k8s.io collector against metrics-server', () => {
  it('joins PodMetrics with the watched pods: requests, phase, readiness, start time and usage, per target', async () => {
    const snapshot = await waitForUsage('web', 2, 50);
    for (const pod of snapshot.pods) {
      expect(pod).toMatchObject({ phase: 'Running', ready: true, deleted: false, requests: { cpuMilli: 100, memoryBytes: 64 * 2 ** 20 } });
      expect(pod.name).toMatch(/^web-/);
      expect(pod.startTimeMs).toBeGreaterThan(Date.now() - 10 * 60_000);
      expect(pod.readyTransitionMs).toBeGreaterThanOrEqual(pod.startTimeMs ?? Infinity);
      expect(pod.usage?.memoryBytes).toBe(32 * 2 ** 20);
      expect(pod.usage?.windowMs).toBeGreaterThan(5_000);
    }
  });

  it('gives each target of a namespace only its own pods, from one round', async () => {
    await waitForUsage('batch', 1, 400);
    const sink = await round(target('web'), target('batch'), target('elsewhere'));
    expect(sink.failures.size).toBe(0);
    expect(sink.snapshots.get(target('web').key)?.value.pods.map((p) => p.name).every((n) => n.startsWith('web-'))).toBe(true);
    expect(sink.snapshots.get(target('batch').key)?.value.pods.map((p) => p.usage?.cpuMilli)).toEqual([expect.closeTo(400, -1)]);
    // Pods metrics-server does not scrape are listed without a sample (the HPA's "missing metrics").
    const elsewhere = sink.snapshots.get(target('elsewhere').key)?.value.pods;
    expect(elsewhere).toHaveLength(1);
    expect(elsewhere?.[0]?.usage).toBeUndefined();
  });

  it('follows a change of simulated usage, and the HPA decision moves with it', async () => {
    const decide = (snapshot: PodMetricsSnapshot) => {
      const input = decisionInput({ config: { cpuUtilization: 50 }, pods: snapshot.pods, scaling: { maxReplicas: 20 } });
      return recommendHpa({ ...input, nowMs: Date.now(), metrics: { window: () => undefined, snapshot: <T>() => ({ timeMs: Date.now(), value: snapshot as T }) } }).recommendation;
    };
    expect(decide(await waitForUsage('web', 2, 50))).toMatchObject({ kind: 'replicas', replicas: 2 });
    await setUsage(ns.kubeConfig, 'web', '150m');
    // 150 % of requests against a 50 % target: ceil(3 x 2) = 6, limited to max(2 x 2, 4) = 4 without a behavior.
    expect(decide(await waitForUsage('web', 2, 150))).toMatchObject({ kind: 'replicas', replicas: 4 });
  });

  it('sees new pods through the watch', async () => {
    await ns.kubeConfig
      .makeApiClient(AppsV1Api)
      .patchNamespacedDeploymentScale({ name: 'web', namespace: ns.name, body: { spec: { replicas: 3 } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    const snapshot = await waitFor(async () => {
      const pods = (await round(target('web'))).snapshots.get(target('web').key)?.value.pods;
      // The new pod shows up in the watch before KWOK marks it Ready: wait for both.
      return pods?.length === 3 && pods.every((p) => p.ready) ? pods : undefined;
    }, { timeoutMs: 30_000, description: '3 ready web pods in the snapshot' });
    expect(snapshot.filter((p) => p.ready)).toHaveLength(3);
  });

  it('publishes no snapshot, and reports a failure, when metrics.k8s.io is gone', async () => {
    await server.stop();
    const sink = await round(target('web'), target('batch'));
    expect(sink.snapshots.size).toBe(0);
    expect([...sink.failures.keys()].sort()).toEqual([target('batch').key, target('web').key]);
  });
});
