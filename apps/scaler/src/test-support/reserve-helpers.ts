import { createServer, request, type Server } from 'node:http';
import { AppsV1Api, CoreV1Api, makeInformer, type KubeConfig, type V1Deployment, type V1Pod } from '@kubernetes/client-node';
import { findFreePort, ipInCidr, isPodReady, keepInformerRunning, podNetworkFromEnv, waitFor, type RunningInformer } from '@ebb/testing';
import { RESERVE_ROLE_LABEL } from '@ebb/core';

/** How long a deleted pod's "container" keeps answering (its termination grace), in ms. */
const DRAIN_MS = 2_000;

/** One moment at which an invariant did not hold. */
export interface Violation {
  readonly atMs: number;
  readonly what: string;
}

/**
 * A pod that serves: Ready, or marked not Ready by the node lifecycle controller only (Ready False while its
 * containers stay ready, which no kubelet reports): the local cluster's fake nodes miss a heartbeat now and then,
 * and the controller then marks every pod of the node not Ready for a moment. That is the test cluster's
 * disruption, not the swap's, and such a pod's "container" keeps answering.
 */
export function isServing(p: V1Pod): boolean {
  if (p.metadata?.deletionTimestamp) return false;
  const status = (type: string) => p.status?.conditions?.find((c) => c.type === type)?.status;
  return isPodReady(p) || (status('Ready') === 'False' && status('ContainersReady') === 'True');
}

/**
 * The "containers" of a namespace's pods and an exact record of the swap as the cluster shows it. Every pod that
 * gets an IP answers HTTP on `<pod IP>:<port>` with its name (as a container would), until `DRAIN_MS` after it is
 * deleted. Pod and Deployment informers check, after every change they deliver (the apiserver's order), that at
 * least one serving pod ({@link isServing}) carries `labels` (target or reserve) and that the target and its
 * reserve are never both at zero. Checks start with {@link SwapFleet.arm}. All traffic goes to pod IPs, which
 * must be in the local cluster's loopback pod network (127.0.0.0/8 unless EBB_CLUSTER_POD_NETWORK says otherwise).
 */
export class SwapFleet {
  readonly violations: Violation[] = [];
  /** Fewest serving pods seen while armed. */
  minReady = Number.POSITIVE_INFINITY;
  private readonly pods = new Map<string, V1Pod>();
  private readonly deployments = new Map<string, V1Deployment>();
  private readonly servers = new Map<string, Server>();
  /** Pod IP -> the pod answering there and when it went away (undefined while it lives). */
  private readonly owners = new Map<string, { pod: string; goneAtMs?: number }>();
  private readonly informers: RunningInformer[] = [];
  private readonly network = podNetworkFromEnv().cidr;
  private armed = false;
  private readonly kc: KubeConfig;
  private readonly namespace: string;
  private readonly target: string;
  private readonly labels: Readonly<Record<string, string>>;
  private port: number | undefined;

  /**
   * @param port where the pods' "containers" listen; by default a port free on loopback, chosen at `start()`:
   * test files share the cluster and KWOK hands a deleted pod's IP to the next pod at once, so fleets of
   * different files must not listen on the same port (one would find the IP:port still taken by the other).
   */
  constructor(kc: KubeConfig, namespace: string, target: string, labels: Readonly<Record<string, string>>, port?: number) {
    this.kc = kc;
    this.namespace = namespace;
    this.target = target;
    this.labels = labels;
    this.port = port;
  }

  async start(): Promise<void> {
    this.port ??= await findFreePort();
    const core = this.kc.makeApiClient(CoreV1Api);
    const apps = this.kc.makeApiClient(AppsV1Api);
    const ns = this.namespace;
    const pods = makeInformer(this.kc, `/api/v1/namespaces/${ns}/pods`, () => core.listNamespacedPod({ namespace: ns }));
    pods.on('add', (p) => this.podChanged(p));
    pods.on('update', (p) => this.podChanged(p));
    pods.on('delete', (p) => this.podGone(p));
    const deps = makeInformer(this.kc, `/apis/apps/v1/namespaces/${ns}/deployments`, () => apps.listNamespacedDeployment({ namespace: ns }));
    const put = (d: V1Deployment) => {
      this.deployments.set(d.metadata?.name ?? '', d);
      this.check();
    };
    deps.on('add', put);
    deps.on('update', put);
    deps.on('delete', (d) => {
      this.deployments.delete(d.metadata?.name ?? '');
      this.check();
    });
    this.informers.push(await keepInformerRunning(pods), await keepInformerRunning(deps));
  }

  /** Starts checking the invariants (after the target's first pod is Ready). */
  arm(): void {
    this.armed = true;
    this.check();
  }

  disarm(): void {
    this.armed = false;
  }

  async stop(): Promise<void> {
    await Promise.all(this.informers.map((i) => i.stop()));
    await Promise.all([...this.servers.values()].map((s) => new Promise((resolve) => s.close(resolve))));
  }

  /** Serving pods carrying the target's labels, target and reserve alike. */
  servingPods(): V1Pod[] {
    return [...this.pods.values()].filter((p) => isServing(p) && Object.entries(this.labels).every(([k, v]) => p.metadata?.labels?.[k] === v));
  }

  /** Serving pods of the reserve (`true`) or of the target (`false`). */
  serving(reserve: boolean): number {
    return this.servingPods().filter((p) => (p.metadata?.labels?.[RESERVE_ROLE_LABEL] !== undefined) === reserve).length;
  }

  /** `spec.replicas` and `status.readyReplicas` of a Deployment as the watch shows it (undefined when absent). */
  counts(name: string): { spec: number; ready: number } | undefined {
    const d = this.deployments.get(name);
    return d ? { spec: d.spec?.replicas ?? 1, ready: d.status?.readyReplicas ?? 0 } : undefined;
  }

  /** The watched state in a few lines (Deployments with spec/ready, pods with phase, readiness and role), for failure reports. */
  describe(): string {
    const deployments = [...this.deployments.values()].map((d) => `${d.metadata?.name}: spec ${d.spec?.replicas ?? 1}, ready ${d.status?.readyReplicas ?? 0}, rv ${d.metadata?.resourceVersion}`);
    const pods = [...this.pods.values()].map(
      (p) => `${p.metadata?.name}: ${p.status?.phase}${isServing(p) ? ' serving' : ''}${p.metadata?.deletionTimestamp ? ' deleting' : ''}${p.metadata?.labels?.[RESERVE_ROLE_LABEL] !== undefined ? ' (reserve)' : ''}`,
    );
    return [`deployments: ${deployments.join('; ') || 'none'}`, `pods: ${pods.join('; ') || 'none'}`].join('\n');
  }

  /** Waits until `pred` holds for the watched state (checked after every change, and every 100 ms). */
  async until(pred: (f: SwapFleet) => boolean, description: string, timeoutMs = 60_000): Promise<void> {
    await waitFor(() => pred(this), { timeoutMs, intervalMs: 20, description });
  }

  private podChanged(p: V1Pod): void {
    const name = p.metadata?.name ?? '';
    this.pods.set(name, p);
    const ip = p.status?.podIP;
    if (ip && !p.metadata?.deletionTimestamp) this.serve(ip, name);
    if (p.metadata?.deletionTimestamp) this.release(p);
    this.check();
  }

  private podGone(p: V1Pod): void {
    this.pods.delete(p.metadata?.name ?? '');
    this.release(p);
    this.check();
  }

  private release(p: V1Pod): void {
    const ip = p.status?.podIP;
    const owner = ip ? this.owners.get(ip) : undefined;
    if (owner && owner.pod === p.metadata?.name && owner.goneAtMs === undefined) owner.goneAtMs = Date.now();
  }

  private listenPort(): number {
    if (this.port === undefined) throw new Error('SwapFleet.start() first');
    return this.port;
  }

  /** The pod's "container": one server per IP, answering for whichever pod has that IP now. */
  private serve(ip: string, pod: string): void {
    if (!ipInCidr(ip, this.network)) throw new Error(`pod ${pod} has IP ${ip} outside the loopback pod network ${this.network}`);
    this.owners.set(ip, { pod });
    if (this.servers.has(ip)) return;
    const server = createServer((_req, res) => {
      const owner = this.owners.get(ip);
      const alive = owner && (owner.goneAtMs === undefined || Date.now() - owner.goneAtMs < DRAIN_MS);
      res.writeHead(alive ? 200 : 503).end(alive ? owner.pod : 'gone');
    });
    server.on('error', (e) => this.violations.push({ atMs: Date.now(), what: `server on ${ip}: ${e.message}` }));
    server.listen(this.listenPort(), ip);
    this.servers.set(ip, server);
  }

  private check(): void {
    if (!this.armed) return;
    const serving = this.servingPods().length;
    this.minReady = Math.min(this.minReady, serving);
    if (serving === 0) this.violations.push({ atMs: Date.now(), what: `no pod serves the target; pods: ${this.describePods()}` });
    const t = this.counts(this.target);
    const r = this.counts(`${this.target}-reserve`);
    if (t && t.spec === 0 && (r?.spec ?? 0) === 0) this.violations.push({ atMs: Date.now(), what: `target and reserve both at zero (reserve ${r ? 'at 0' : 'absent'})` });
  }

  /** The pods as the watch shows them, for violation reports. */
  private describePods(): string {
    const pods = [...this.pods.values()].map((p) => `${p.metadata?.name} ${isPodReady(p) ? 'Ready' : isServing(p) ? 'marked not Ready' : 'not Ready'}${p.metadata?.deletionTimestamp ? ' deleting' : ''}`);
    return pods.join(', ') || 'none';
  }

  /** A steady trickle of requests to Ready pods (round robin); see {@link Trickle}. */
  trickle(intervalMs = 100): Trickle {
    return new Trickle(this, this.listenPort(), intervalMs);
  }
}

/** One request of a {@link Trickle}. */
export interface TrickleResult {
  readonly atMs: number;
  readonly ok: boolean;
  /** The pod that answered, or why it failed. */
  readonly detail: string;
  readonly reserve: boolean;
}

/**
 * Sends one request every `intervalMs` to a serving pod of the fleet (round robin, as a Service would), each with
 * a 2 s timeout; a moment without any serving pod is a failed request.
 */
export class Trickle {
  readonly results: TrickleResult[] = [];
  private timer: NodeJS.Timeout | undefined;
  private inFlight = new Set<Promise<void>>();
  private next = 0;
  private readonly fleet: SwapFleet;
  private readonly port: number;

  constructor(fleet: SwapFleet, port: number, intervalMs: number) {
    this.fleet = fleet;
    this.port = port;
    this.timer = setInterval(() => this.send(), intervalMs);
  }

  failures(): TrickleResult[] {
    return this.results.filter((r) => !r.ok);
  }

  /** Requests answered by a reserve pod (`true`) or a target pod (`false`). */
  servedBy(reserve: boolean): number {
    return this.results.filter((r) => r.ok && r.reserve === reserve).length;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await Promise.all(this.inFlight);
  }

  private send(): void {
    const ready = this.fleet.servingPods();
    const atMs = Date.now();
    const pod = ready[this.next++ % Math.max(1, ready.length)];
    const ip = pod?.status?.podIP;
    if (!pod || !ip) {
      this.results.push({ atMs, ok: false, detail: 'no serving pod', reserve: false });
      return;
    }
    const reserve = pod.metadata?.labels?.[RESERVE_ROLE_LABEL] !== undefined;
    const done = new Promise<void>((resolve) => {
      const req = request({ host: ip, port: this.port, path: '/', timeout: 2_000 }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (c: string) => (body += c));
        res.on('end', () => {
          const ok = res.statusCode === 200 && body === pod.metadata?.name;
          this.results.push({ atMs, ok, detail: ok ? body : `${ip}: HTTP ${res.statusCode} ${body}`, reserve });
          resolve();
        });
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', (e) => {
        this.results.push({ atMs, ok: false, detail: `${ip}: ${e.message}`, reserve });
        resolve();
      });
      req.end();
    });
    this.inFlight.add(done);
    void done.then(() => this.inFlight.delete(done));
  }
}
