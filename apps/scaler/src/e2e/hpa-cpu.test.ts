import { AppsV1Api, CoreV1Api, PatchStrategy, setHeaderOptions, type KubeConfig } from '@kubernetes/client-node';
import { SELECTION_LABEL, systemClock, type Decision } from '@ebb/core';
import { createHpaPlugin } from '@ebb/plugin-hpa';
import {
  startMetricsNode,
  startMetricsServer,
  testDeploymentManifest,
  testKubeconfigPath,
  USAGE_ANNOTATIONS,
  useTestNamespace,
  waitFor,
  type MetricsNode,
  type MetricsServer,
} from '@ebb/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../runtime/config-file.ts';
import { startScaler, type RunningScaler } from '../runtime/scaler.ts';
import { eventsOf, memoryLogger, specReplicas, waitForReplicas } from '../test-support/cluster-helpers.ts';

// The HPA plugin end to end: KWOK simulates the pods' CPU usage, metrics-server (built from its Go module)
// scrapes it and serves metrics.k8s.io through the apiserver's aggregation layer, the plugin's collector reads
// PodMetrics and the pod watch, and the scaler acts on the Deployment.
const ns = useTestNamespace('hpa-cpu');
const logger = memoryLogger();
/** The short scale-down stabilization window of the test target, s. */
const WINDOW_S = 20;
let node: MetricsNode;
let server: MetricsServer;
let scaler: RunningScaler;

beforeAll(async () => {
  const kc = ns.kubeConfig;
  const kubeconfigPath = testKubeconfigPath();
  node = await startMetricsNode({ kubeConfig: kc, kubeconfigPath });
  server = await startMetricsServer({ kubeConfig: kc, kubeconfigPath, nodeSelector: node.labelSelector });
  scaler = await startScaler({
    config: { ...DEFAULT_CONFIG, namespaces: [ns.name], tickIntervalMs: 500, http: { host: '127.0.0.1', port: 0 }, plugins: ['hpa'] },
    // As a deployment wires it: the plugin brings its metrics.k8s.io collector (a CollectorProvider).
    builtins: { hpa: () => createHpaPlugin({ podMetrics: { kubeConfig: kc, intervalMs: 2_000, logger } }) },
    kc,
    clock: systemClock,
    logger,
  });
});

afterAll(async () => {
  await scaler?.stop();
  await server?.stop();
  await node?.stop();
});

/** Sets the simulated CPU usage of every pod of `app` (new pods start with the template's). */
async function setCpuUsage(kc: KubeConfig, app: string, cpu: string): Promise<number> {
  const core = kc.makeApiClient(CoreV1Api);
  const pods = (await core.listNamespacedPod({ namespace: ns.name, labelSelector: `app=${app}` })).items.filter((p) => !p.metadata?.deletionTimestamp);
  for (const name of pods.map((p) => p.metadata?.name ?? '')) {
    await core.patchNamespacedPod(
      { name, namespace: ns.name, body: { metadata: { annotations: { [USAGE_ANNOTATIONS.cpu]: cpu } } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
  }
  return pods.length;
}

/** The HPA plugin's recommendation in the scaler's current decision for the target. */
function hpaRecommendation(key: string): { replicas?: number; reason: string } | undefined {
  const decision = scaler.explain(key) as Decision | undefined;
  const rec = decision?.recommendations?.find((r) => r.pluginId === 'hpa')?.recommendation;
  return rec ? { ...(rec.kind === 'replicas' ? { replicas: rec.replicas } : {}), reason: rec.reason } : undefined;
}

describe('the HPA plugin on CPU, through metrics-server', () => {
  it('scales a Deployment up when its pods use more CPU, and down after the stabilization window when they use less', async () => {
    const kc = ns.kubeConfig;
    const key = `${ns.name}/web`;
    const d = testDeploymentManifest({
      namespace: ns.name,
      name: 'web',
      replicas: 2,
      labels: { [SELECTION_LABEL]: 'true' },
      annotations: {
        'ebb.dev/policies': 'hpa',
        'ebb.dev/hpa.cpu-utilization': '50',
        'ebb.dev/min-replicas': '1',
        'ebb.dev/max-replicas': '6',
        'ebb.dev/hpa.behavior': `scaleDown:\n  stabilizationWindowSeconds: ${WINDOW_S}\n`,
      },
      // 40m of a 100m request: 40 % against a 50 % target keeps ceil(0.8 x 2) = 2.
      podAnnotations: { [USAGE_ANNOTATIONS.cpu]: '40m' },
    });
    const spec = d.spec?.template.spec;
    if (!spec) throw new Error('testDeploymentManifest gave no pod spec');
    spec.containers = spec.containers.map((c) => ({ ...c, resources: { requests: { cpu: '100m', memory: '64Mi' } } }));
    Object.assign(spec, node.placement);
    await kc.makeApiClient(AppsV1Api).createNamespacedDeployment({ namespace: ns.name, body: d });

    // Steady at 2 once metrics arrive.
    await waitFor(() => hpaRecommendation(key)?.replicas === 2, { timeoutMs: 90_000, intervalMs: 250, description: 'an HPA recommendation of 2 from metrics.k8s.io' });
    expect(await specReplicas(kc, ns.name, 'web')).toBe(2);

    // Raise: 200 % of requests -> ceil(4 x 2) = 8 (9 when metrics-server reads 201 %), limited to 6 by max-replicas
    // (the default scale-up policy would allow 4 pods or 100 % per 15 s: 2 -> 6).
    expect(await setCpuUsage(kc, 'web', '200m')).toBe(2);
    await waitForReplicas(kc, ns.name, 'web', 6, 60_000);
    const up = await waitFor(async () => (await eventsOf(kc, ns.name, 'web', 'SuccessfulRescale')).find((e) => e.message?.startsWith('New size: 6')));
    expect(up.message).toMatch(/reason: hpa: cpu utilization \d+% above target 50%/);

    // Lower: 10 % -> ceil(0.2 x 6) = 2, held at 6 by the 20 s window; then 1.
    await waitFor(async () => (await kc.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: ns.name, labelSelector: 'app=web' })).items.length === 6, {
      description: '6 web pods',
    });
    expect(await setCpuUsage(kc, 'web', '10m')).toBe(6);
    await waitFor(() => hpaRecommendation(key)?.reason.includes('stabilized to 6'), { timeoutMs: 60_000, intervalMs: 100, description: 'a lower proposal held by the window' });
    const heldFrom = Date.now();
    await waitFor(async () => (await specReplicas(kc, ns.name, 'web')) < 6, { timeoutMs: 60_000, intervalMs: 100, description: 'the first scale-down' });
    // The scale-down waited for the window: the first lower proposal was seen at most a tick late.
    expect(Date.now() - heldFrom).toBeGreaterThanOrEqual((WINDOW_S - 5) * 1000);
    await waitForReplicas(kc, ns.name, 'web', 1, 90_000);
    const down = await eventsOf(kc, ns.name, 'web', 'SuccessfulRescale');
    expect(down.some((e) => /^New size: [1-5]; reason: hpa: all metrics below target/.test(e.message ?? ''))).toBe(true);
  }, 300_000);
});
