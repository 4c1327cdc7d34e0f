import { createServer, type Server } from 'node:http';
import { AppsV1Api, CoreV1Api, makeInformer, type KubeConfig, type V1Deployment, type V1Pod } from '@kubernetes/client-node';
import { isPodReady, keepInformerRunning, type RunningInformer } from '@ebb/testing';
import { COFFEE, isReservePod, SERVICE_MS } from './coffee.ts';
import { VERSIONS } from './versions.ts';

/** How long a deleted pod's "container" keeps answering (requests it already took finish), ms. */
const DRAIN_MS = 2_000;

/** The pods of the demo as the watch shows them. */
export interface PodCounts {
  /** Ready pods of the coffee Deployment itself. */
  readonly ready: number;
  /** Ready pods of `coffee-reserve`. */
  readonly reserveReady: number;
  /** Live pods (not being deleted) of coffee and of the reserve. */
  readonly pods: number;
  readonly reservePods: number;
  /** `spec.replicas` of coffee and of the reserve (undefined while the reserve does not exist). */
  readonly desired: number | undefined;
  readonly reserveDesired: number | undefined;
}

/**
 * The coffee "application": the local cluster's pods have no containers, so this process plays them. It watches
 * the namespace's pods and Deployments; every pod that gets an IP is answered on `<pod IP>:8080` by a node:http
 * server that takes {@link SERVICE_MS} per request and names the pod in `x-pod` (and `x-reserve: 1` for a
 * reserve pod). A deleted pod keeps answering for {@link DRAIN_MS}, then its server closes.
 */
export class PodServers {
  private readonly pods = new Map<string, V1Pod>();
  private readonly deployments = new Map<string, V1Deployment>();
  private readonly servers = new Map<string, Server>();
  /** Pod IP -> the pod answering there now. */
  private readonly owners = new Map<string, { pod: string; reserve: boolean; goneAtMs?: number }>();
  private readonly informers: RunningInformer[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  readonly errors: string[] = [];
  private readonly kc: KubeConfig;
  private readonly namespace: string;

  constructor(kc: KubeConfig, namespace: string) {
    this.kc = kc;
    this.namespace = namespace;
  }

  async start(): Promise<void> {
    const ns = this.namespace;
    const core = this.kc.makeApiClient(CoreV1Api);
    const apps = this.kc.makeApiClient(AppsV1Api);
    const labelSelector = `app in (${[COFFEE.name, ...VERSIONS].join(',')})`;
    const pods = makeInformer(this.kc, `/api/v1/namespaces/${ns}/pods`, () => core.listNamespacedPod({ namespace: ns, labelSelector }), labelSelector);
    pods.on('add', (p) => this.podChanged(p));
    pods.on('update', (p) => this.podChanged(p));
    pods.on('delete', (p) => this.podGone(p));
    const deps = makeInformer(this.kc, `/apis/apps/v1/namespaces/${ns}/deployments`, () => apps.listNamespacedDeployment({ namespace: ns }));
    deps.on('add', (d) => void this.deployments.set(d.metadata?.name ?? '', d));
    deps.on('update', (d) => void this.deployments.set(d.metadata?.name ?? '', d));
    deps.on('delete', (d) => void this.deployments.delete(d.metadata?.name ?? ''));
    this.informers.push(await keepInformerRunning(pods), await keepInformerRunning(deps));
  }

  async stop(): Promise<void> {
    await Promise.all(this.informers.map((i) => i.stop()));
    for (const t of this.timers) clearTimeout(t);
    const servers = [...this.servers.values()];
    this.servers.clear();
    await Promise.all(
      servers.map(async (s) => {
        s.closeAllConnections();
        await new Promise((resolve) => s.close(resolve));
      }),
    );
  }

  counts(): PodCounts {
    let ready = 0;
    let reserveReady = 0;
    let pods = 0;
    let reservePods = 0;
    for (const p of this.pods.values()) {
      if (p.metadata?.deletionTimestamp || p.metadata?.labels?.['app'] !== COFFEE.name) continue;
      const reserve = isReservePod(p.metadata?.labels);
      if (reserve) reservePods++;
      else pods++;
      if (!isPodReady(p)) continue;
      if (reserve) reserveReady++;
      else ready++;
    }
    const replicas = (name: string): number | undefined => {
      const d = this.deployments.get(name);
      return d ? (d.spec?.replicas ?? 1) : undefined;
    };
    return { ready, reserveReady, pods, reservePods, desired: replicas(COFFEE.name), reserveDesired: replicas(`${COFFEE.name}-reserve`) };
  }

  /** Live and Ready pods labelled `app: <app>` (a version of the versions part), and its Deployment's replicas. */
  countsOf(app: string): { ready: number; pods: number; desired: number | undefined } {
    let ready = 0;
    let pods = 0;
    for (const p of this.pods.values()) {
      if (p.metadata?.deletionTimestamp || p.metadata?.labels?.['app'] !== app) continue;
      pods++;
      if (isPodReady(p)) ready++;
    }
    const d = this.deployments.get(app);
    return { ready, pods, desired: d ? (d.spec?.replicas ?? 1) : undefined };
  }

  private podChanged(p: V1Pod): void {
    const name = p.metadata?.name ?? '';
    this.pods.set(name, p);
    const ip = p.status?.podIP;
    if (p.metadata?.deletionTimestamp) this.release(p);
    else if (ip) this.serve(ip, name, isReservePod(p.metadata?.labels));
  }

  private podGone(p: V1Pod): void {
    this.pods.delete(p.metadata?.name ?? '');
    this.release(p);
  }

  private release(p: V1Pod): void {
    const ip = p.status?.podIP;
    const owner = ip ? this.owners.get(ip) : undefined;
    if (!ip || !owner || owner.pod !== p.metadata?.name || owner.goneAtMs !== undefined) return;
    owner.goneAtMs = Date.now();
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.owners.get(ip) !== owner) return;
      const server = this.servers.get(ip);
      this.servers.delete(ip);
      this.owners.delete(ip);
      server?.close();
    }, DRAIN_MS);
    this.timers.add(timer);
  }

  /** The pod's "container": one server per IP, answering for whichever pod has that IP now. */
  private serve(ip: string, pod: string, reserve: boolean): void {
    this.owners.set(ip, { pod, reserve });
    if (this.servers.has(ip)) return;
    const server = createServer({ keepAliveTimeout: 30_000 }, (req, res) => {
      req.resume();
      const owner = this.owners.get(ip);
      setTimeout(() => {
        if (!owner) return void res.writeHead(503).end('no pod here\n');
        res.writeHead(200, { 'content-type': 'text/plain', 'x-pod': owner.pod, ...(owner.reserve ? { 'x-reserve': '1' } : {}) });
        res.end(`one coffee from ${owner.pod}\n`);
      }, SERVICE_MS);
    });
    server.on('error', (e) => this.errors.push(`server on ${ip}: ${e.message}`));
    server.listen(COFFEE.port, ip);
    this.servers.set(ip, server);
  }
}
