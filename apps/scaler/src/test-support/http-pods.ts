import { Agent, createServer, request, type Server } from 'node:http';
import { AppsV1Api, CoreV1Api, makeInformer, type KubeConfig, type V1Deployment, type V1Pod } from '@kubernetes/client-node';
import { ipInCidr, isPodReady, keepInformerRunning, podNetworkFromEnv, type RunningInformer } from '@ebb/testing';

/** Names of the metrics each pod exposes for the pod-scraping collector. */
export const POD_METRICS = { inFlight: 'http_requests_in_flight', requests: 'http_requests_total' } as const;

/** The "process" answering on one pod IP: its owner pod and its figures (reset when another pod gets the IP). */
interface PodProcess {
  pod: string;
  inFlight: number;
  requests: number;
}

/**
 * The "containers" of a Deployment's pods on the local cluster: every pod that gets an IP (127.x.y.z) answers HTTP
 * on `<pod IP>:<appPort>` after `serviceMs` (a request takes that long), and serves Prometheus text on
 * `<pod IP>:<metricsPort>/metrics` with its in-flight gauge and request counter ({@link POD_METRICS}), as an app
 * with a metrics sidecar would. A pod informer finds the pods; {@link readyIps} are the Ready ones, which is where
 * a Service would send traffic. All sockets are on the loopback pod network.
 */
export class HttpPods {
  private readonly processes = new Map<string, PodProcess>();
  private readonly servers: Server[] = [];
  private readonly pods = new Map<string, V1Pod>();
  private informer: RunningInformer | undefined;
  private readonly network = podNetworkFromEnv().cidr;
  readonly errors: string[] = [];
  private readonly kc: KubeConfig;
  private readonly namespace: string;
  private readonly app: string;
  readonly appPort: number;
  readonly metricsPort: number;
  private readonly serviceMs: number;

  constructor(kc: KubeConfig, namespace: string, app: string, o: { appPort?: number; metricsPort?: number; serviceMs?: number } = {}) {
    this.kc = kc;
    this.namespace = namespace;
    this.app = app;
    this.appPort = o.appPort ?? 8080;
    this.metricsPort = o.metricsPort ?? 9090;
    this.serviceMs = o.serviceMs ?? 100;
  }

  async start(): Promise<void> {
    const core = this.kc.makeApiClient(CoreV1Api);
    const ns = this.namespace;
    const labelSelector = `app=${this.app}`;
    const informer = makeInformer(this.kc, `/api/v1/namespaces/${ns}/pods`, () => core.listNamespacedPod({ namespace: ns, labelSelector }), labelSelector);
    const put = (p: V1Pod): void => {
      this.pods.set(p.metadata?.name ?? '', p);
      const ip = p.status?.podIP;
      if (ip && !p.metadata?.deletionTimestamp) this.serve(ip, p.metadata?.name ?? '');
    };
    informer.on('add', put);
    informer.on('update', put);
    informer.on('delete', (p) => this.pods.delete(p.metadata?.name ?? ''));
    this.informer = await keepInformerRunning(informer);
  }

  /** IPs of the Ready pods that are not being deleted (where a Service would route). */
  readyIps(): string[] {
    return [...this.pods.values()].filter((p) => isPodReady(p) && !p.metadata?.deletionTimestamp && p.status?.podIP).map((p) => p.status?.podIP as string);
  }

  async stop(): Promise<void> {
    await this.informer?.stop();
    for (const s of this.servers) s.closeAllConnections();
    await Promise.all(this.servers.map((s) => new Promise((resolve) => s.close(resolve))));
  }

  /** Starts the app and metrics servers on `ip` once; a pod that takes over an IP starts from zero. */
  private serve(ip: string, pod: string): void {
    if (!ipInCidr(ip, this.network)) throw new Error(`pod ${pod} has IP ${ip} outside the loopback pod network ${this.network}`);
    const known = this.processes.get(ip);
    if (known) {
      if (known.pod !== pod) this.processes.set(ip, { pod, inFlight: 0, requests: 0 });
      return;
    }
    const proc = (): PodProcess => this.processes.get(ip) as PodProcess;
    this.processes.set(ip, { pod, inFlight: 0, requests: 0 });
    const app = createServer((_req, res) => {
      const p = proc();
      p.inFlight++;
      p.requests++;
      setTimeout(() => {
        p.inFlight--;
        res.writeHead(200).end(p.pod);
      }, this.serviceMs);
    });
    const metrics = createServer((_req, res) => {
      const p = proc();
      const { inFlight, requests } = POD_METRICS;
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(`# TYPE ${inFlight} gauge\n${inFlight} ${p.inFlight}\n# TYPE ${requests} counter\n${requests}{code="200"} ${p.requests}\n`);
    });
    for (const [server, port] of [[app, this.appPort], [metrics, this.metricsPort]] as const) {
      server.on('error', (e) => this.errors.push(`${ip}:${port}: ${e.message}`));
      server.listen(port, ip);
      this.servers.push(server);
    }
  }
}

/** What {@link runClosedLoopLoad} did. */
export interface LoadResult {
  readonly ok: number;
  readonly failed: number;
  /** A few failure messages, for reports. */
  readonly failures: readonly string[];
}

/**
 * `clients` closed-loop clients (like `hey -c`): each sends a request to the next Ready pod (round robin over
 * {@link HttpPods.readyIps}), waits for the answer, and sends the next, until `durationMs` have passed or
 * `maxRequests` were sent in all. Every request goes to a pod IP (the loopback pod network) and times out after
 * `timeoutMs`. With no Ready pod a client waits 50 ms and looks again.
 */
export async function runClosedLoopLoad(pods: HttpPods, o: { clients: number; durationMs: number; maxRequests: number; timeoutMs?: number }): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: o.clients });
  const deadline = Date.now() + o.durationMs;
  let sent = 0;
  let next = 0;
  let ok = 0;
  const failures: string[] = [];
  const once = (ip: string) =>
    new Promise<void>((resolve) => {
      const req = request({ host: ip, port: pods.appPort, path: '/', agent, timeout: o.timeoutMs ?? 5000 }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode === 200) ok++;
          else failures.push(`${ip}: HTTP ${res.statusCode}`);
          resolve();
        });
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', (e) => {
        failures.push(`${ip}: ${e.message}`);
        resolve();
      });
      req.end();
    });
  const client = async (): Promise<void> => {
    while (Date.now() < deadline && sent < o.maxRequests) {
      const ips = pods.readyIps();
      const ip = ips[next++ % Math.max(1, ips.length)];
      if (!ip) {
        await new Promise((r) => setTimeout(r, 50));
        continue;
      }
      sent++;
      await once(ip);
    }
  };
  await Promise.all(Array.from({ length: o.clients }, client));
  agent.destroy();
  return { ok, failed: failures.length, failures: failures.slice(0, 5) };
}

/** One observation of a Deployment. */
export interface ReplicaSample {
  readonly atMs: number;
  readonly spec: number;
  readonly ready: number;
}

/** Every change of a Deployment's `spec.replicas` and ready replicas, as a watch delivers them. */
export class ReplicaRecorder {
  readonly samples: ReplicaSample[] = [];
  private informer: RunningInformer | undefined;
  private readonly kc: KubeConfig;
  private readonly namespace: string;
  private readonly name: string;

  constructor(kc: KubeConfig, namespace: string, name: string) {
    this.kc = kc;
    this.namespace = namespace;
    this.name = name;
  }

  async start(): Promise<void> {
    const apps = this.kc.makeApiClient(AppsV1Api);
    const ns = this.namespace;
    const informer = makeInformer(this.kc, `/apis/apps/v1/namespaces/${ns}/deployments`, () => apps.listNamespacedDeployment({ namespace: ns }));
    const put = (d: V1Deployment): void => {
      if (d.metadata?.name !== this.name) return;
      const sample = { atMs: Date.now(), spec: d.spec?.replicas ?? 1, ready: d.status?.readyReplicas ?? 0 };
      const last = this.samples.at(-1);
      if (!last || last.spec !== sample.spec || last.ready !== sample.ready) this.samples.push(sample);
    };
    informer.on('add', put);
    informer.on('update', put);
    this.informer = await keepInformerRunning(informer);
  }

  /** The latest `spec.replicas` seen (undefined before the first event). */
  spec(): number | undefined {
    return this.samples.at(-1)?.spec;
  }

  /** The `spec.replicas` values in order, without repeats: `1, 9, 4, 2, 1, 0`. */
  specSteps(fromMs = 0, toMs = Infinity): number[] {
    const steps: number[] = [];
    for (const s of this.samples) if (s.atMs >= fromMs && s.atMs <= toMs && steps.at(-1) !== s.spec) steps.push(s.spec);
    return steps;
  }

  async stop(): Promise<void> {
    await this.informer?.stop();
  }
}
