import { setTimeout as sleep } from 'node:timers/promises';
import { AppsV1Api, type KubeConfig } from '@kubernetes/client-node';
import { waitFor } from '@ebb/testing';
import { COFFEE, coffeeDeployment, DEMO_TIMINGS, PER_POD, SERVICE_MS } from './coffee.ts';
import { LiveView } from './live-view.ts';
import { LoadClients, Recorder, sendOne } from './load.ts';
import { Monitor } from './monitor.ts';
import { PodServers } from './pod-servers.ts';
import { startDemoStack, type DemoStack } from './stack.ts';
import { requestFigures, type DemoSummary, type ReservePhase } from './summary.ts';
import { runVersionsPart, type VersionsPhase } from './versions-phase.ts';
import { deleteGatewayClass, prepareGatewayApi } from './versions.ts';

/** Options of {@link runDemo}; all but the cluster and namespace have the demo's defaults. */
export interface DemoOptions {
  readonly kc: KubeConfig;
  /** An existing namespace; the demo creates its Deployment there (and the scaler and gateway watch only it). */
  readonly namespace: string;
  /** Concurrent clients of the load (90) and how long it lasts (30 s). */
  readonly clients?: number;
  readonly loadSeconds?: number;
  /** How long the idle reserve pod is shown before the new request (3 s). */
  readonly reservePauseMs?: number;
  readonly out?: NodeJS.WritableStream & { columns?: number };
  /** Redraw in place (default: whether `out` is a TTY). */
  readonly tty?: boolean;
  /** Where the scaler and the gateway write their JSON logs (default: nowhere). */
  readonly logFile?: string;
  /** Live view refresh, ms (500). */
  readonly refreshMs?: number;
  /** Longest wait for any one step (the pods, the scale-down, the swap back), ms (120 000). */
  readonly stepTimeoutMs?: number;
  /** The versions part (v1 -> v2 behind an HTTPRoute) after the others (true), its clients (20) and rollout-duration (30 s). */
  readonly versions?: boolean;
  readonly versionClients?: number;
  readonly rolloutSeconds?: number;
  /** Stops the demo early (Ctrl-C); it still cleans up. */
  readonly signal?: AbortSignal;
}

/**
 * The demo, start to end, in a namespace of a running local cluster: the gateway and the scaler (in this
 * process), the coffee Deployment and its pods' servers; then load (`clients` closed-loop clients through the
 * gateway for `loadSeconds`), the cool-down to the reserve pod, one new request served by it, a trickle of
 * requests until coffee has standard pods again; then the versions part (coffee-v1 -> coffee-v2 under load with a
 * gradual rollout, see `versions-phase.ts`); then the summary. Everything it started is stopped before it
 * returns (the Deployment stays; delete the namespace to remove it).
 */
export async function runDemo(o: DemoOptions): Promise<DemoSummary> {
  const began = Date.now();
  const clients = o.clients ?? 90;
  const loadSeconds = o.loadSeconds ?? 30;
  const stepTimeoutMs = o.stepTimeoutMs ?? 120_000;
  const out = o.out ?? process.stdout;
  const view = new LiveView(out, o.tty ?? (out as { isTTY?: boolean }).isTTY === true);
  const key = `${o.namespace}/${COFFEE.name}`;
  const recorder = new Recorder();
  const pods = new PodServers(o.kc, o.namespace);
  const signal = o.signal ?? new AbortController().signal;
  const until = (what: string, check: () => boolean | Promise<boolean>): Promise<unknown> =>
    waitFor(check, { timeoutMs: stepTimeoutMs, intervalMs: 100, description: what, signal });
  let stack: DemoStack | undefined;
  let monitor: Monitor | undefined;
  let load: LoadClients | undefined;
  const className = `ebb-demo-${o.namespace}`;
  try {
    // The scaler and the gateway watch HTTPRoutes only when the Gateway API's CRDs exist when they start.
    if (o.versions !== false) await prepareGatewayApi(o.kc, o.namespace, signal);
    await pods.start();
    stack = await startDemoStack(o.kc, o.namespace, o.logFile);
    const port = stack.gateway.port;
    monitor = new Monitor(stack, pods, recorder, view, key);
    const m = monitor;
    m.event(`gateway ${stack.gatewayUrl} (try: curl -H 'Host: ${COFFEE.host}' ${stack.gatewayUrl}/), scaler http://127.0.0.1:${stack.scaler.port}/explain?target=${key}`);
    m.event(`coffee: KPA target ${PER_POD} concurrent requests per pod (70 % utilization), ${SERVICE_MS} ms per request, reserve pod when idle`);
    await o.kc.makeApiClient(AppsV1Api).createNamespacedDeployment({ namespace: o.namespace, body: coffeeDeployment(o.namespace) });
    m.start(o.refreshMs ?? 500);
    await until('a Ready coffee pod the gateway routes to', async () => pods.counts().ready >= 1 && ((await stack?.gatewayStats(key))?.readyEndpoints ?? 0) >= 1);

    m.phase = 'load';
    m.originMs = Date.now();
    m.event(`load: ${clients} clients through the gateway for ${loadSeconds} s`);
    load = new LoadClients(port, COFFEE.host, 'load', clients, recorder);
    await sleep(loadSeconds * 1000, undefined, { signal });
    await load.stop();
    load = undefined;
    const loadEndMs = Date.now();
    m.phase = 'cool-down';
    m.event(`load stopped; the KPA's ${DEMO_TIMINGS.kpaWindow} window drains, then ${DEMO_TIMINGS.scaleToZeroGrace} of grace, then the reserve`);
    await until('coffee at zero with its reserve pod Ready', () => {
      const c = pods.counts();
      return c.desired === 0 && c.pods === 0 && c.reserveReady >= 1;
    });
    const idleAfterS = (Date.now() - loadEndMs) / 1000;
    m.phase = 'idle';
    m.event(`idle: coffee at zero, one reserve pod Ready (${idleAfterS.toFixed(1)} s after the load)`);
    await sleep(o.reservePauseMs ?? 3000, undefined, { signal });

    m.phase = 'reserve';
    const request = await sendOne(port, COFFEE.host, 'reserve', false);
    recorder.add(request);
    const cold = request.coldStartMs === undefined ? 'no cold start' : `held ${request.coldStartMs} ms for a cold start`;
    m.event(`a new request: HTTP ${request.status} from ${request.pod ?? '?'}${request.reserve ? ' (reserve)' : ''} in ${request.ms.toFixed(0)} ms, ${cold}`);
    const requestEndMs = Date.now();
    m.event('demand is back: 2 clients keep sending; coffee scales up first, then the reserve goes to zero');
    load = new LoadClients(port, COFFEE.host, 'back', 2, recorder, 50);
    await until('coffee serving with its own pods and the reserve at zero', () => {
      const c = pods.counts();
      return c.ready >= 1 && c.reserveDesired === 0 && c.reservePods === 0;
    });
    const standardAfterS = (Date.now() - requestEndMs) / 1000;
    m.phase = 'standard';
    m.event(`standard pods again, ${standardAfterS.toFixed(1)} s after the request`);
    await load.stop();
    load = undefined;
    let versions: VersionsPhase | undefined;
    if (o.versions !== false) {
      const part = { kc: o.kc, namespace: o.namespace, gatewayPort: port, pods, recorder, monitor: m, until, className };
      versions = await runVersionsPart({ ...part, clients: o.versionClients ?? 20, rolloutSeconds: o.rolloutSeconds ?? 30 });
    }
    await m.sample();
    await m.stop();

    const reserve: ReservePhase = { idleAfterS, request, standardAfterS, servedByReserve: recorder.results.filter((r) => r.reserve && r.status === 200).length };
    return {
      clients,
      loadSeconds,
      peakPods: m.peakPods,
      peakDesired: m.peakReplicas,
      ...requestFigures(recorder.results, 'load'),
      firstScaleUpS: m.replicasAbove(m.originMs, 1),
      capacityPods: Math.ceil(clients / PER_POD),
      timeToScaleS: m.readyAfter(m.originMs, Math.ceil(clients / PER_POD)),
      panicSeen: m.panicSeen,
      winners: { ...m.winners },
      reserve,
      versions,
      totalS: (Date.now() - began) / 1000,
    };
  } finally {
    await load?.stop();
    await monitor?.stop();
    await stack?.stop();
    await pods.stop();
    if (o.versions !== false) await deleteGatewayClass(o.kc, className);
  }
}
