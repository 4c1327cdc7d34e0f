import { CoreV1Api, DiscoveryV1Api } from '@kubernetes/client-node';
import { SELECTION_LABEL } from '@ebb/core';
import { startGateway, type GatewayHandle } from '@ebb/plugin-eventgw';
import { createTestDeployment, findFreePort, podIp, startKubeProxy, testKubeconfigPath, useTestNamespace, waitFor, waitForReadyPods, type KubeProxy } from '@ebb/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventsOf } from '../test-support/cluster-helpers.ts';
import { HttpPods, ReplicaRecorder } from '../test-support/http-pods.ts';
import { spawnScaler, type ScalerProcess } from '../test-support/scaler-process.ts';
import { callService, loadService, modeOf, ServiceEndpointsWatch, type ServiceLoad } from './service-traffic.ts';

/**
 * Activator mode with a real data plane: kube-proxy (nftables, in this private network namespace) routes the
 * Service's ClusterIP by the EndpointSlices Ebb writes; clients call the ClusterIP with a new connection per request.
 * The gateway serves on its pod's IP; the target's pods answer on theirs (100 ms per request) and expose their
 * in-flight count, which the KPA scrapes (so the scaler sees the demand in Serve mode too). The scaler is a process
 * of its own, killed with SIGKILL at every step and started again; a watch of the EndpointSlices fails the test on
 * any moment without endpoints.
 */

const ns = useTestNamespace('activator');
const SERVICE = 'coffee-ebb';
const GATEWAY_PORT = 8080;
const APP_PORT = 8012;
let proxy: KubeProxy;
let gateway: GatewayHandle;
let pods: HttpPods;
let replicas: ReplicaRecorder;
let slices: ServiceEndpointsWatch;
let scaler: ScalerProcess | undefined;
let clusterIp = '';
let scalerPort = 0;
let gatewayIp = '';
const kills: string[] = [];

const scalerConfig = () => ({
  namespaces: [ns.name],
  tickInterval: '1s',
  logLevel: 'info',
  plugins: ['kpa'],
  pluginOptions: { kpa: { pods: { port: 9090, inFlightMetric: 'http_requests_in_flight', requestsMetric: 'http_requests_total', requestsMetricType: 'counter' } } },
  activator: { gatewayPods: { namespace: ns.name, labelSelector: 'app=ebb-gateway', port: GATEWAY_PORT } },
});

/** SIGKILL the scaler (no cleanup, no Lease release) and start a new one. */
async function killAndRestartScaler(step: string): Promise<void> {
  kills.push(step);
  await scaler?.kill('SIGKILL');
  // The same port: the gateway pokes the scaler there.
  scaler = await spawnScaler({ kubeconfig: testKubeconfigPath(), config: scalerConfig(), name: `activator-${kills.length}`, port: scalerPort });
}

/** Requests the gateway answered for the target (from its metrics). */
async function gatewayRequests(): Promise<number> {
  const text = await fetch(`http://127.0.0.1:${gateway.adminPort}/metrics`).then((r) => r.text());
  return text
    .split('\n')
    .filter((l) => l.startsWith('ebb_gateway_requests_total{') && l.includes(`namespace="${ns.name}"`) && l.includes('name="coffee"'))
    .reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0);
}

beforeAll(async () => {
  const kc = ns.kubeConfig;
  proxy = await startKubeProxy({ kubeconfigPath: testKubeconfigPath(), nodeName: 'kwok-node-0' });
  await createTestDeployment(kc, { namespace: ns.name, name: 'ebb-gateway', replicas: 1, labels: { app: 'ebb-gateway' }, containerPort: GATEWAY_PORT });
  const [gatewayPod] = await waitForReadyPods(kc, { namespace: ns.name, labelSelector: 'app=ebb-gateway', count: 1 });
  gatewayIp = podIp(gatewayPod!);
  scalerPort = await findFreePort();
  scaler = await spawnScaler({ kubeconfig: testKubeconfigPath(), config: scalerConfig(), name: 'activator-0', port: scalerPort });
  gateway = await startGateway({
    kubeConfig: kc,
    namespaces: [ns.name],
    host: gatewayIp,
    port: GATEWAY_PORT,
    adminHost: '127.0.0.1',
    adminPort: 0,
    gatewayId: 'gw-0',
    processMetrics: false,
    // The scaler of the moment: a request held at zero pokes it.
    scalerUrl: `http://127.0.0.1:${scalerPort}`,
  });
  pods = new HttpPods(kc, ns.name, 'coffee', { appPort: APP_PORT, metricsPort: 9090, serviceMs: 100 });
  await pods.start();
  replicas = new ReplicaRecorder(kc, ns.name, 'coffee');
  await replicas.start();
  slices = new ServiceEndpointsWatch(kc, ns.name, SERVICE);
  await slices.start();
}, 240_000);

afterAll(async () => {
  if (process.env['EBB_DEBUG_ACTIVATOR']) console.log(scaler?.logs.join(''));
  // Every piece is stopped even when one fails to: kube-proxy in particular, which a worker thread's end would not stop.
  const stops = [() => scaler?.kill('SIGTERM'), () => gateway?.stop({ drainTimeoutMs: 0 }), () => pods?.stop(), () => replicas?.stop(), () => slices?.stop(), () => proxy?.stop()];
  const failures = (await Promise.allSettled(stops.map(async (stop) => stop()))).filter((r) => r.status === 'rejected');
  expect(failures).toEqual([]);
});

describe('activator mode through kube-proxy: the Service switches between the gateway and the pods, never empty', () => {
  it('holds at zero, serves warm traffic without the gateway, proxies a burst, goes back to zero — surviving SIGKILLs of the scaler', async () => {
    const kc = ns.kubeConfig;
    await createTestDeployment(kc, {
      namespace: ns.name,
      name: 'coffee',
      replicas: 0,
      containerPort: APP_PORT,
      labels: { [SELECTION_LABEL]: 'true' },
      annotations: {
        'ebb.dev/policies': 'kpa',
        'ebb.dev/kpa.metric-source': 'pods',
        'ebb.dev/kpa.target': '10',
        'ebb.dev/kpa.target-utilization-percentage': '100',
        'ebb.dev/kpa.window': '6s',
        'ebb.dev/kpa.panic-window-percentage': '50',
        'ebb.dev/max-replicas': '10',
        'ebb.dev/initial-replicas': '0',
        'ebb.dev/scale-to-zero-grace-period': '6s',
        'ebb.dev/activator.enabled': 'true',
        'autoscaling.knative.dev/target-burst-capacity': '5',
        'ebb.dev/eventgw.container-concurrency': '0',
      },
    });

    // 1. At zero: the scaler creates the Service, in Proxy mode (the gateway's pod).
    const service = await waitFor(async () => (await kc.makeApiClient(CoreV1Api).readNamespacedService({ namespace: ns.name, name: SERVICE }).catch(() => undefined)), {
      timeoutMs: 60_000,
      description: `Service ${SERVICE} created by the scaler`,
    });
    clusterIp = service.spec?.clusterIP ?? '';
    await waitFor(() => slices.now() !== undefined && modeOf(slices.now()!) === 'proxy', { timeoutMs: 30_000, description: 'the Service in Proxy mode at zero' });
    await killAndRestartScaler('proxy at zero');

    // 2. Scale from zero through the Service: the request is held by the gateway, then served by the new pod.
    const cold: ServiceLoad = { ok: 0, failed: 0, failures: [], byPod: new Map() };
    await callService(clusterIp, 80, cold, 60_000);
    expect(cold, JSON.stringify(cold.failures)).toMatchObject({ ok: 1, failed: 0 });
    expect(await gatewayRequests(), await fetch(`http://127.0.0.1:${gateway.adminPort}/metrics`).then((r) => r.text()).then((t) => t.split('\n').filter((l) => l.includes('coffee')).join('\n'))).toBe(1);
    // One Ready pod with spare capacity (10 - 5 - ~0 >= 0): Serve.
    await waitFor(() => modeOf(slices.now()!) === 'serve', { timeoutMs: 30_000, description: 'the Service in Serve mode once the pod is Ready' });
    await killAndRestartScaler('serve after scale from zero');

    // 3. Steady warm traffic in Serve mode: the gateway sees none of it.
    const before = await gatewayRequests();
    const warm = await loadService(clusterIp, 80, { clients: 2, durationMs: 5_000 });
    expect(warm.failed, JSON.stringify(warm.failures)).toBe(0);
    expect(warm.ok).toBeGreaterThan(20);
    expect(await gatewayRequests()).toBe(before);

    // 3b. A scaler killed between the two writes of a switch (Serve -> Proxy: the proxy slice filled, the serve
    // slice not yet emptied): the next one finishes from what the slices show, here back to Serve.
    await scaler?.kill('SIGKILL');
    kills.push('mid-switch (both slices filled)');
    const discovery = kc.makeApiClient(DiscoveryV1Api);
    const proxySlice = await discovery.readNamespacedEndpointSlice({ namespace: ns.name, name: `${SERVICE}-proxy` });
    await discovery.replaceNamespacedEndpointSlice({
      namespace: ns.name,
      name: `${SERVICE}-proxy`,
      body: { ...proxySlice, ports: [{ name: 'http', port: GATEWAY_PORT, protocol: 'TCP' }], endpoints: [{ addresses: [gatewayIp], conditions: { ready: true, serving: true, terminating: false } }] },
    });
    await waitFor(() => modeOf(slices.now()!) === 'both', { timeoutMs: 10_000, description: 'both slices filled' });
    scaler = await spawnScaler({ kubeconfig: testKubeconfigPath(), config: scalerConfig(), name: 'activator-mid-switch', port: scalerPort });
    await waitFor(() => modeOf(slices.now()!) === 'serve', { timeoutMs: 30_000, description: 'the switch finished by the new scaler' });

    // 4. A load step the Ready pods cannot absorb (30 in flight > 1 x 10 - 5): back to Proxy, no errors; the scaler
    // is killed mid-step too.
    const stepStart = slices.states.length;
    const burst = loadService(clusterIp, 80, { clients: 30, durationMs: 12_000 });
    await waitFor(() => slices.states.slice(stepStart).some((s) => modeOf(s) === 'proxy'), { timeoutMs: 20_000, description: 'Proxy mode during the burst' });
    await killAndRestartScaler('proxy during a burst');
    const burstResult = await burst;
    expect(burstResult.failed, JSON.stringify(burstResult.failures)).toBe(0);
    expect(await gatewayRequests()).toBeGreaterThan(before);

    // 5. The load stops: the Service goes to Proxy before the last pod goes, then the target goes to zero.
    await waitFor(() => replicas.spec() === 0, { timeoutMs: 120_000, description: 'coffee scaled to zero' });
    const zeroAt = replicas.samples.find((s, i) => s.spec === 0 && i > 0)?.atMs ?? Infinity;
    const lastStateBeforeZero = slices.states.filter((s) => s.atMs <= zeroAt).at(-1);
    expect(lastStateBeforeZero && modeOf(lastStateBeforeZero)).toBe('proxy');
    await killAndRestartScaler('proxy at zero again');

    // And from zero once more, with a fresh scaler.
    const again: ServiceLoad = { ok: 0, failed: 0, failures: [], byPod: new Map() };
    await callService(clusterIp, 80, again, 60_000);
    expect(again.failed, JSON.stringify(again.failures)).toBe(0);

    console.log(`[activator] modes: ${slices.modes().join(' -> ')}; kills: ${kills.join(', ')}; warm ${warm.ok} ok; burst ${burstResult.ok} ok`);
    expect(slices.gaps()).toEqual([]);
    expect(slices.modes()).toEqual(expect.arrayContaining(['proxy', 'serve']));
  }, 420_000);

  it("leaves a Service it did not make alone, with a Warning Event naming the fix", async () => {
    const kc = ns.kubeConfig;
    const core = kc.makeApiClient(CoreV1Api);
    await core.createNamespacedService({ namespace: ns.name, body: { metadata: { name: 'tea-ebb', labels: { team: 'tea' } }, spec: { selector: { app: 'tea' }, ports: [{ port: 80 }] } } });
    await createTestDeployment(kc, {
      namespace: ns.name,
      name: 'tea',
      replicas: 1,
      containerPort: APP_PORT,
      labels: { [SELECTION_LABEL]: 'true' },
      annotations: { 'ebb.dev/policies': 'kpa', 'ebb.dev/kpa.metric-source': 'pods', 'ebb.dev/activator.enabled': 'true', 'ebb.dev/eventgw.container-concurrency': '0' },
    });
    const warning = await waitFor(async () => (await eventsOf(kc, ns.name, 'tea', 'ActivatorServiceTaken'))[0], { timeoutMs: 30_000, description: 'the ActivatorServiceTaken Event' });
    expect(warning.type).toBe('Warning');
    expect(warning.message).toContain('ebb.dev/activator.service');
    const service = await core.readNamespacedService({ namespace: ns.name, name: 'tea-ebb' });
    expect(service.metadata?.labels).toEqual({ team: 'tea' });
    expect(service.spec?.selector).toEqual({ app: 'tea' });
    const slices = await kc.makeApiClient(DiscoveryV1Api).listNamespacedEndpointSlice({ namespace: ns.name, labelSelector: 'endpointslice.kubernetes.io/managed-by=activator.ebb.dev,ebb.dev/activator-for=tea' });
    expect(slices.items).toEqual([]);
  }, 120_000);
});
