import { CoreV1Api, makeInformer, type V1Pod } from '@kubernetes/client-node';
import { createTestDeployment, findFreePort, isPodReady, keepInformerRunning, useTestNamespace } from '@ebb/testing';
import { targetKey, type TargetInfo } from '@ebb/core';
import { afterEach, describe, expect, it } from 'vitest';
import { Gate } from '../test-support/backends.ts';
import { eventually, send, targetStats } from '../test-support/http-client.ts';
import { startMiniScaler } from '../test-support/mini-scaler.ts';
import { servePods } from '../test-support/pod-backends.ts';
import { COLD_START_HEADER } from './gateway-handler.ts';
import { startGateway } from './start-gateway.ts';

const ns = useTestNamespace('eventgw-gateway');
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A Deployment at zero opted in to the gateway, and its TargetInfo for the mini scaler. */
async function target(name: string, port: number, annotations: Record<string, string>, readinessDelay?: string): Promise<TargetInfo> {
  const all = { 'ebb.dev/eventgw.host': `${name}.example.com`, ...annotations };
  await createTestDeployment(ns.kubeConfig, { namespace: ns.name, name, replicas: 0, containerPort: port, annotations: all, ...(readinessDelay ? { readinessDelay } : {}) });
  const ref = { namespace: ns.name, name };
  return { ref, key: targetKey(ref), selector: { app: name }, policies: ['eventgw'], annotations: all };
}

async function gatewayWithScaler(targets: TargetInfo[], options: { held?: boolean } = {}) {
  const port = await findFreePort();
  const adminPort = await findFreePort();
  const scaler = await startMiniScaler(ns.kubeConfig, `http://127.0.0.1:${adminPort}`, targets, options);
  const gateway = await startGateway({ kubeConfig: ns.kubeConfig, namespaces: [ns.name], host: '127.0.0.1', port, adminHost: '127.0.0.1', adminPort, scalerUrl: scaler.url, processMetrics: false });
  cleanups.push(() => scaler.stop(), () => gateway.stop({ drainTimeoutMs: 0 }));
  return { gateway, scaler };
}

describe('the gateway on a real cluster', () => {
  it('holds a request at zero, pokes at once, and forwards it when the pod turns Ready', async () => {
    const port = await findFreePort();
    const info = await target('coffee', port, { 'ebb.dev/eventgw.container-concurrency': '1' }, '2s');
    const pods = await servePods(ns.kubeConfig, ns.name, 'app=coffee', port, (pod, req, res) => {
      req.resume();
      res.end(pod);
    });
    cleanups.push(() => pods.stop());
    const readyAt = new Map<string, number>();
    const core = ns.kubeConfig.makeApiClient(CoreV1Api);
    const informer = makeInformer<V1Pod>(ns.kubeConfig, `/api/v1/namespaces/${ns.name}/pods`, () => core.listNamespacedPod({ namespace: ns.name }));
    informer.on('update', (p) => void (isPodReady(p) && !readyAt.has(p.metadata?.name ?? '') && readyAt.set(p.metadata?.name ?? '', performance.now())));
    const watching = await keepInformerRunning(informer);
    cleanups.push(() => watching.stop());
    const { gateway, scaler } = await gatewayWithScaler([info]);

    const answer = send(gateway.port, { host: 'coffee.example.com', timeoutMs: 60_000 });
    await eventually(() => scaler.pokes.includes(info.key), 'the poke');
    expect(await targetStats(gateway.adminPort, info.key)).toMatchObject({ queued: 1, readyEndpoints: 0, coldStarts: 1 });
    const r = await answer;
    const answeredAt = performance.now();
    expect(r.status).toBe(200);
    expect(r.body).toMatch(/^coffee-/);
    const heldMs = Number(r.headers[COLD_START_HEADER]);
    expect(heldMs).toBeGreaterThanOrEqual(2000);
    expect(scaler.scaled[0]).toBe(`${info.key}=1`);
    const ready = readyAt.get(r.body);
    if (ready !== undefined) console.info(`cold start: held ${heldMs} ms; pod Ready (test watch) -> answer: ${(answeredAt - ready).toFixed(1)} ms`);
  });

  it('scales 20 concurrent long requests at zero to 20 pods, one request per pod, none lost or served twice', async () => {
    const port = await findFreePort();
    const info = await target('jobs', port, { 'ebb.dev/eventgw.container-concurrency': '1', 'ebb.dev/eventgw.queue-timeout': '90s' });
    const gate = new Gate();
    const pods = await servePods(ns.kubeConfig, ns.name, 'app=jobs', port, (pod, req, res) => {
      req.resume();
      gate.hold(String(req.headers['x-test-id']), () => res.end(`${pod} ${String(req.headers['x-test-id'])}`));
      if (gate.seen === 20) gate.releaseAll();
    });
    cleanups.push(() => pods.stop());
    // The scaler acts only once all 20 are held, so that every one of them arrives at zero however slowly this
    // process gets them out on a loaded machine.
    const { gateway, scaler } = await gatewayWithScaler([info], { held: true });

    const ids = Array.from({ length: 20 }, (_, i) => `job-${i}`);
    const sent = Promise.all(ids.map((id) => send(gateway.port, { host: 'jobs.example.com', headers: { 'x-test-id': id }, timeoutMs: 100_000 })));
    await eventually(async () => (await targetStats(gateway.adminPort, info.key))?.queued === 20, '20 requests held at zero', 60_000);
    scaler.release();
    const answers = await sent;
    expect(answers.map((a) => a.status)).toEqual(ids.map(() => 200));
    const servedBy = answers.map((a) => a.body.split(' ')[0]);
    expect(new Set(servedBy).size).toBe(20);
    expect(answers.map((a) => a.body.split(' ')[1]).sort()).toEqual([...ids].sort());
    expect(pods.all.map((b) => b.received.length).reduce((a, b) => a + b, 0)).toBe(20);
    expect(Math.max(...pods.all.map((b) => b.maxInFlight))).toBe(1);
    expect(scaler.scaled).toContain(`${info.key}=20`);
    expect(await targetStats(gateway.adminPort, info.key)).toMatchObject({ requestCount: 20, coldStarts: 20, inFlight: 0, queued: 0 });
  });
});
