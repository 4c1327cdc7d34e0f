import { AppsV1Api, CoreV1Api, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { createTestDeployment, findFreePort, useTestNamespace } from '@ebb/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { Gate } from '../test-support/backends.ts';
import { eventually, send, targetStats } from '../test-support/http-client.ts';
import { startGatewayProcess, type GatewayProcess } from '../test-support/gateway-process.ts';
import { servePods } from '../test-support/pod-backends.ts';
import { POD_DELETION_COST_ANNOTATION } from './pod-load-marks.ts';

const ns = useTestNamespace('eventgw-scale-down');
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('a scale-down behind the gateway', () => {
  it('deletes the idle pods and lets every busy pod finish its job', async () => {
    const name = 'jobs';
    const port = await findFreePort();
    await createTestDeployment(ns.kubeConfig, {
      namespace: ns.name,
      name,
      replicas: 8,
      containerPort: port,
      annotations: { 'ebb.dev/eventgw.host': 'jobs.example.com', 'ebb.dev/eventgw.container-concurrency': '1', 'ebb.dev/eventgw.queue-timeout': '90s' },
    });
    // A job runs until the test releases it (after the scale-down), on a pod whose server is cut when the pod is
    // deleted: a busy pod deleted would show as a failed job.
    const gate = new Gate();
    const pods = await servePods(ns.kubeConfig, ns.name, `app=${name}`, port, (pod, req, res) => {
      const id = String(req.headers['x-test-id']);
      req.resume();
      gate.hold(id, () => res.end(`${pod} ${id}`));
    });
    cleanups.push(() => pods.stop());
    const gateways: GatewayProcess[] = [];
    for (let i = 0; i < 2; i++) {
      const g = await startGatewayProcess(ns.kubeConfig, { gatewayId: `${name}-gw-${i}`, namespace: ns.name, group: name });
      gateways.push(g);
      cleanups.push(() => g.stop());
    }
    const key = `${ns.name}/${name}`;
    for (const g of gateways) await eventually(async () => (await targetStats(g.adminPort, key))?.readyEndpoints === 8, `${g.gatewayId} to see 8 ready pods`, 60_000);
    await eventually(() => pods.byPod.size === 8, '8 pod servers', 30_000);

    const ids = ['job-0', 'job-1', 'job-2', 'job-3', 'job-4'];
    const jobs = Promise.all(
      ids.map((id, i) => send((gateways[i % 2] ?? gateways[0])?.port ?? 0, { host: 'jobs.example.com', method: 'POST', body: id, headers: { 'x-test-id': id }, timeoutMs: 120_000 })),
    );
    await gate.waitFor(5);
    const busy = [...pods.byPod].filter(([, b]) => b.inFlight > 0).map(([pod]) => pod).sort();
    const idle = [...pods.byPod.keys()].filter((p) => !busy.includes(p)).sort();
    expect(busy).toHaveLength(5);

    // The gateways mark the busy pods; a scaler could only decide to scale down after seeing their figures.
    const core = ns.kubeConfig.makeApiClient(CoreV1Api);
    const cost = async (pod: string): Promise<number> => Number((await core.readNamespacedPod({ name: pod, namespace: ns.name })).metadata?.annotations?.[POD_DELETION_COST_ANNOTATION] ?? 0);
    for (const pod of busy) await eventually(async () => (await cost(pod)) > 0, `the deletion cost of busy pod ${pod}`, 30_000);
    for (const pod of idle) expect(await cost(pod)).toBe(0);

    await ns.kubeConfig
      .makeApiClient(AppsV1Api)
      .patchNamespacedDeploymentScale({ name, namespace: ns.name, body: { spec: { replicas: 5 } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    const remaining = await eventually(
      async () => {
        const list = await core.listNamespacedPod({ namespace: ns.name, labelSelector: `app=${name}` });
        const names = list.items.map((p) => p.metadata?.name ?? '').sort();
        return names.length === 5 ? names : undefined;
      },
      'the Deployment to be down to 5 pods',
      60_000,
    );
    expect(remaining).toEqual(busy);
    gate.releaseAll();
    const answers = await jobs;
    expect(answers.map((a) => a.status)).toEqual(ids.map(() => 200));
    expect(answers.map((a) => a.body.split(' ')[1])).toEqual(ids);
    expect(answers.map((a) => a.body.split(' ')[0]).sort()).toEqual(busy);
  }, 180_000);
});
