/**
 * Activator mode's data path, measured through a real kube-proxy: the warm path in Serve mode (client -> ClusterIP
 * -> pod) against Proxy mode (client -> ClusterIP -> gateway -> pod), and the cold path through the Service against
 * today's direct-to-gateway path (client -> gateway by Host). One process holds the clients, the pods' servers and
 * the gateway, so the CPU per request that Proxy mode adds is the gateway's. Rounds alternate between the modes,
 * so that the machine's noise falls on both alike.
 *
 * Run (it starts its own cluster and kube-proxy inside a private network namespace):
 *   bash scripts/in-pod-netns.sh node --conditions=@ebb/source --disable-warning=ExperimentalWarning apps/scaler/bench/activator-path.ts
 * EBB_BENCH_REQUESTS (per round, default 4000), EBB_BENCH_ROUNDS (per mode, default 5), EBB_BENCH_CLIENTS (default 8).
 */
import { Agent, request } from 'node:http';
import { AppsV1Api, CoreV1Api, DiscoveryV1Api, type KubeConfig } from '@kubernetes/client-node';
import { SELECTION_LABEL } from '@ebb/core';
import { startGateway } from '@ebb/plugin-eventgw';
import { createTestDeployment, findFreePort, podIp, startCluster, startKubeProxy, waitFor, waitForReadyPods } from '@ebb/testing';
import { servingService, servingSlice, type SliceEndpoint } from '@ebb/traffic';
import { BUILTIN_FACTORIES } from '../src/builtins.ts';
import { DEFAULT_CONFIG } from '../src/runtime/config-file.ts';
import { startScaler } from '../src/runtime/scaler.ts';
import { HttpPods } from '../src/test-support/http-pods.ts';

const REQUESTS = Number(process.env['EBB_BENCH_REQUESTS'] ?? 4000);
const ROUNDS = Number(process.env['EBB_BENCH_ROUNDS'] ?? 5);
const CLIENTS = Number(process.env['EBB_BENCH_CLIENTS'] ?? 8);
const COLD_ROUNDS = 5;
const ns = 'default';

interface Round {
  readonly latenciesMs: number[];
  readonly cpuUs: number;
  readonly wallMs: number;
}

/** `REQUESTS` requests over `CLIENTS` keep-alive connections (as an ingress keeps them), latency of each. */
async function round(host: string, port: number, hostHeader?: string): Promise<Round> {
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  const latenciesMs: number[] = [];
  let sent = 0;
  const cpu = process.cpuUsage();
  const began = performance.now();
  const client = async () => {
    while (sent < REQUESTS) {
      sent++;
      const t = performance.now();
      await new Promise<void>((resolve, reject) => {
        const req = request({ host, port, path: '/', agent, headers: hostHeader ? { host: hostHeader } : {} }, (res) => {
          res.resume();
          res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`))));
        });
        req.on('error', reject);
        req.end();
      });
      latenciesMs.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, client));
  const used = process.cpuUsage(cpu);
  agent.destroy();
  return { latenciesMs, cpuUs: used.user + used.system, wallMs: performance.now() - began };
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

function summary(rounds: readonly Round[]) {
  const all = rounds.flatMap((r) => r.latenciesMs).sort((a, b) => a - b);
  const n = all.length;
  return {
    p50: quantile(all, 0.5),
    p99: quantile(all, 0.99),
    cpuUsPerRequest: rounds.reduce((s, r) => s + r.cpuUs, 0) / n,
    rps: n / (rounds.reduce((s, r) => s + r.wallMs, 0) / 1000),
  };
}

async function writeSlices(kc: KubeConfig, owner: { namespace: string; name: string; uid: string }, service: string, proxy: SliceEndpoint[], serve: SliceEndpoint[]) {
  const api = kc.makeApiClient(DiscoveryV1Api);
  for (const [role, endpoints] of [['proxy', proxy], ['serve', serve]] as const) {
    const body = servingSlice(owner, service, role, endpoints);
    const name = body.metadata?.name ?? '';
    const existing = await api.readNamespacedEndpointSlice({ namespace: ns, name }).catch(() => undefined);
    if (existing) await api.replaceNamespacedEndpointSlice({ namespace: ns, name, body: { ...body, metadata: { ...body.metadata, resourceVersion: existing.metadata?.resourceVersion } } });
    else await api.createNamespacedEndpointSlice({ namespace: ns, body });
  }
}

const cluster = await startCluster({ name: `bench-activator-${process.pid}`, nodes: 1 });
const kc = cluster.kubeConfig();
const proxy = await startKubeProxy({ kubeconfigPath: cluster.kubeconfigPath, nodeName: 'kwok-node-0' });
const stops: Array<() => Promise<unknown>> = [];
try {
  await waitFor(() => kc.makeApiClient(CoreV1Api).readNamespacedServiceAccount({ name: 'default', namespace: ns }));
  await createTestDeployment(kc, { namespace: ns, name: 'gw', replicas: 1, labels: { app: 'gw' }, containerPort: 8080 });
  const [gwPod] = await waitForReadyPods(kc, { namespace: ns, labelSelector: 'app=gw', count: 1 });
  const gatewayIp = podIp(gwPod!);

  const apps = kc.makeApiClient(AppsV1Api);
  const scalerPort = await findFreePort();
  const gateway = await startGateway({ kubeConfig: kc, namespaces: [ns], host: gatewayIp, port: 8080, adminHost: '127.0.0.1', adminPort: 0, gatewayId: 'gw-0', processMetrics: false, scalerUrl: `http://127.0.0.1:${scalerPort}` });
  stops.push(() => gateway.stop({ drainTimeoutMs: 0 }));
  // The scaler of the cold path: the eventgw policy scales a target at zero to the requests the gateway holds.
  const scaler = await startScaler({
    config: { ...DEFAULT_CONFIG, namespaces: [ns], tickIntervalMs: 1000, http: { host: '127.0.0.1', port: scalerPort }, plugins: ['eventgw'], pluginOptions: { eventgw: { gateways: [`http://127.0.0.1:${gateway.adminPort}`] } }, logLevel: 'warn' },
    builtins: BUILTIN_FACTORIES,
    kc,
  });
  stops.push(() => scaler.stop());

  const annotations = { 'ebb.dev/eventgw.container-concurrency': '0', 'ebb.dev/eventgw.host': 'warm.example', 'ebb.dev/activator.enabled': 'true' };
  await createTestDeployment(kc, { namespace: ns, name: 'warm', replicas: 2, containerPort: 8012, annotations });
  await createTestDeployment(kc, {
    namespace: ns,
    name: 'cold',
    replicas: 0,
    containerPort: 8012,
    labels: { [SELECTION_LABEL]: 'true' },
    annotations: { 'ebb.dev/policies': 'eventgw', 'ebb.dev/eventgw.host': 'cold.example', 'ebb.dev/eventgw.idle-period': '1s', 'ebb.dev/scale-to-zero-grace-period': '6s', 'ebb.dev/initial-replicas': '0' },
  });
  for (const app of ['warm', 'cold']) {
    const pods = new HttpPods(kc, ns, app, { appPort: 8012, metricsPort: 9090, serviceMs: 0 });
    await pods.start();
    stops.push(() => pods.stop());
  }
  const warmPods = await waitForReadyPods(kc, { namespace: ns, labelSelector: 'app=warm', count: 2 });
  const services: Record<string, { ip: string; owner: { namespace: string; name: string; uid: string } }> = {};
  for (const name of ['warm', 'cold']) {
    const d = await apps.readNamespacedDeployment({ namespace: ns, name });
    const owner = { namespace: ns, name, uid: d.metadata?.uid ?? '' };
    const svc = await kc.makeApiClient(CoreV1Api).createNamespacedService({ namespace: ns, body: servingService(owner, `${name}-ebb`, 80) });
    services[name] = { ip: svc.spec?.clusterIP ?? '', owner };
  }
  const gw: SliceEndpoint[] = [{ pod: 'gw', address: gatewayIp, port: 8080 }];
  const podsOf = (list: typeof warmPods): SliceEndpoint[] => list.map((p) => ({ pod: p.metadata?.name ?? '', address: podIp(p), port: 8012 }));
  const warm = services['warm']!;
  const metric = async () => (await fetch(`http://127.0.0.1:${gateway.adminPort}/metrics`).then((r) => r.text())).split('\n').filter((l) => l.startsWith('ebb_gateway_requests_total{') && l.includes('name="warm"')).reduce((s, l) => s + Number(l.split(' ').at(-1)), 0);
  /** Puts the Service in a mode and waits until a new connection takes that path (kube-proxy synced). */
  const setMode = async (mode: 'proxy' | 'serve') => {
    await writeSlices(kc, warm.owner, 'warm-ebb', mode === 'proxy' ? gw : [], mode === 'serve' ? podsOf(warmPods) : []);
    await waitFor(async () => {
      const before = await metric();
      await round(warm.ip, 80).catch(() => undefined);
      return mode === 'proxy' ? (await metric()) > before : (await metric()) === before;
    }, { timeoutMs: 30_000, description: `${mode} mode in effect` });
  };

  const byMode: Record<'proxy' | 'serve', Round[]> = { proxy: [], serve: [] };
  for (let r = 0; r < ROUNDS; r++) {
    for (const mode of ['serve', 'proxy'] as const) {
      await setMode(mode);
      byMode[mode].push(await round(warm.ip, 80));
    }
  }

  // Cold path: a target at zero, one request; the gateway holds it and pokes, the poke scales to one pod.
  const cold = services['cold']!;
  await writeSlices(kc, cold.owner, 'cold-ebb', gw, []);
  const coldMs: Record<'service' | 'direct', number[]> = { service: [], direct: [] };
  for (let r = 0; r < COLD_ROUNDS; r++) {
    for (const path of ['service', 'direct'] as const) {
      const t = performance.now();
      const [host, port, header] = path === 'service' ? [cold.ip, 80, undefined] : [gatewayIp, 8080, 'cold.example'];
      await new Promise<void>((resolve, reject) => {
        request({ host, port, path: '/', agent: false, headers: header ? { host: header } : {} }, (res) => {
          res.resume();
          res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`cold ${path}: HTTP ${res.statusCode}`))));
        })
          .on('error', reject)
          .end();
      });
      coldMs[path].push(performance.now() - t);
      await waitFor(async () => (await kc.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: ns, labelSelector: 'app=cold' })).items.length === 0, { timeoutMs: 120_000, description: 'cold back at zero (idle 1 s, grace 6 s)' });
      await new Promise((r2) => setTimeout(r2, 500));
    }
  }

  const s = summary(byMode.serve);
  const p = summary(byMode.proxy);
  const fmt = (v: number, d = 2) => v.toFixed(d);
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] ?? NaN;
  console.log(`\nWarm path, ${ROUNDS} rounds x ${REQUESTS} requests per mode, ${CLIENTS} keep-alive clients, pods answer at once:\n`);
  console.log('| Path | p50 ms | p99 ms | CPU µs/request (clients + pods + gateway) | requests/s |');
  console.log('|---|---|---|---|---|');
  console.log(`| Serve (ClusterIP -> pod) | ${fmt(s.p50, 3)} | ${fmt(s.p99, 3)} | ${fmt(s.cpuUsPerRequest, 1)} | ${fmt(s.rps, 0)} |`);
  console.log(`| Proxy (ClusterIP -> gateway -> pod) | ${fmt(p.p50, 3)} | ${fmt(p.p99, 3)} | ${fmt(p.cpuUsPerRequest, 1)} | ${fmt(p.rps, 0)} |`);
  console.log(`| Proxy / Serve | ${fmt(p.p50 / s.p50)} | ${fmt(p.p99 / s.p99)} | ${fmt(p.cpuUsPerRequest / s.cpuUsPerRequest)} (gateway: +${fmt(p.cpuUsPerRequest - s.cpuUsPerRequest, 1)} µs) | ${fmt(p.rps / s.rps)} |`);
  console.log(`\nCold path, ${COLD_ROUNDS} starts from zero each (request sent -> answer; the poke scales to 1 pod):\n`);
  console.log('| Path | median ms | each ms |');
  console.log('|---|---|---|');
  for (const path of ['service', 'direct'] as const) console.log(`| ${path === 'service' ? 'through the Service (Proxy mode)' : 'direct to the gateway (Host)'} | ${fmt(median(coldMs[path]), 0)} | ${coldMs[path].map((v) => fmt(v, 0)).join(', ')} |`);
} finally {
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
  await proxy.stop();
  await cluster.stop();
}
