import { request } from 'node:http';
import { DiscoveryV1Api, makeInformer, type KubeConfig, type V1EndpointSlice } from '@kubernetes/client-node';
import { keepInformerRunning, type RunningInformer } from '@ebb/testing';

/** One state of a Service's endpoints, as a watch of its EndpointSlices delivers it. */
export interface EndpointState {
  readonly atMs: number;
  /** Ready endpoints per slice role (`proxy`, `serve`, or another slice's name). */
  readonly byRole: Readonly<Record<string, number>>;
  readonly total: number;
}

/**
 * Every state of a Service's EndpointSlices, in the order the apiserver delivers their changes (the order a proxy
 * such as kube-proxy sees them). Once the Service had an endpoint, a state without any is a gap: a moment where
 * the data plane refuses requests.
 */
export class ServiceEndpointsWatch {
  readonly states: EndpointState[] = [];
  private readonly slices = new Map<string, V1EndpointSlice>();
  private informer: RunningInformer | undefined;
  private readonly listeners: ((s: EndpointState) => void)[] = [];

  private readonly kc: KubeConfig;
  private readonly namespace: string;
  private readonly service: string;

  constructor(kc: KubeConfig, namespace: string, service: string) {
    this.kc = kc;
    this.namespace = namespace;
    this.service = service;
  }

  async start(): Promise<void> {
    const api = this.kc.makeApiClient(DiscoveryV1Api);
    const selector = `kubernetes.io/service-name=${this.service}`;
    const informer = makeInformer(this.kc, `/apis/discovery.k8s.io/v1/namespaces/${this.namespace}/endpointslices`, () => api.listNamespacedEndpointSlice({ namespace: this.namespace, labelSelector: selector }), selector);
    const put = (s: V1EndpointSlice) => this.record(() => this.slices.set(s.metadata?.name ?? '', s));
    informer.on('add', put);
    informer.on('update', put);
    informer.on('delete', (s) => this.record(() => this.slices.delete(s.metadata?.name ?? '')));
    this.informer = await keepInformerRunning(informer);
  }

  onState(listener: (s: EndpointState) => void): void {
    this.listeners.push(listener);
  }

  /** The latest state (undefined before the first slice). */
  now(): EndpointState | undefined {
    return this.states.at(-1);
  }

  /** States without any endpoint after the first state with one. */
  gaps(): EndpointState[] {
    const first = this.states.findIndex((s) => s.total > 0);
    return first < 0 ? [] : this.states.slice(first).filter((s) => s.total === 0);
  }

  /** The roles in order of change, without repeats, e.g. `proxy, both, serve`. */
  modes(): string[] {
    const out: string[] = [];
    for (const s of this.states) {
      const m = modeOf(s);
      if (out.at(-1) !== m) out.push(m);
    }
    return out;
  }

  async stop(): Promise<void> {
    await this.informer?.stop();
  }

  private record(change: () => void): void {
    change();
    const byRole: Record<string, number> = {};
    for (const s of this.slices.values()) {
      const role = s.metadata?.labels?.['ebb.dev/activator-slice'] ?? s.metadata?.name ?? '';
      byRole[role] = (byRole[role] ?? 0) + (s.endpoints ?? []).filter((e) => e.conditions?.ready !== false).length;
    }
    const state = { atMs: Date.now(), byRole, total: Object.values(byRole).reduce((a, b) => a + b, 0) };
    this.states.push(state);
    for (const l of this.listeners) l(state);
  }
}

/** `proxy`, `serve`, `both` or `none` for a state of Ebb's two slices. */
export function modeOf(s: EndpointState): string {
  const proxy = (s.byRole['proxy'] ?? 0) > 0;
  const serve = (s.byRole['serve'] ?? 0) > 0;
  return proxy && serve ? 'both' : proxy ? 'proxy' : serve ? 'serve' : 'none';
}

/** The outcome of requests sent to a Service. */
export interface ServiceLoad {
  ok: number;
  failed: number;
  readonly failures: string[];
  /** Answers by the pod name in their body. */
  readonly byPod: Map<string, number>;
}

/**
 * `clients` closed-loop clients calling `http://<ip>:<port>/` with a new connection per request (so each request
 * takes the route the proxy's current rules give a new connection), until `durationMs` have passed.
 */
export async function loadService(ip: string, port: number, o: { clients: number; durationMs: number; timeoutMs?: number }): Promise<ServiceLoad> {
  const result: ServiceLoad = { ok: 0, failed: 0, failures: [], byPod: new Map() };
  const deadline = Date.now() + o.durationMs;
  const client = async () => {
    while (Date.now() < deadline) await callService(ip, port, result, o.timeoutMs ?? 30_000);
  };
  await Promise.all(Array.from({ length: o.clients }, client));
  return result;
}

/** One request through the Service, counted into `into`. */
export function callService(ip: string, port: number, into: ServiceLoad, timeoutMs = 30_000): Promise<void> {
  return new Promise<void>((resolve) => {
    const fail = (why: string) => {
      into.failed++;
      if (into.failures.length < 10) into.failures.push(why);
      resolve();
    };
    const req = request({ host: ip, port, path: '/', agent: false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c));
      res.on('end', () => {
        if (res.statusCode !== 200) return fail(`HTTP ${res.statusCode}: ${body.slice(0, 200)}`);
        into.ok++;
        into.byPod.set(body, (into.byPod.get(body) ?? 0) + 1);
        resolve();
      });
    });
    req.on('timeout', () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
    req.on('error', (e) => fail(e.message));
    req.end();
  });
}
