import { Agent, request } from 'node:http';
import { AppsV1Api, CoreV1Api, CustomObjectsApi, PatchStrategy, setHeaderOptions, type KubeConfig } from '@kubernetes/client-node';
import { systemClock } from '@ebb/core';
import { COLD_START_HEADER, EBB_GATEWAY_CONTROLLER, GATEWAY_API_GROUP, readRolloutState, type HTTPRoute, type RolloutState } from '@ebb/plugin-eventgw';
import { DEFAULT_CONFIG } from '../runtime/config-file.ts';
import { startScaler, type RunningScaler } from '../runtime/scaler.ts';
import { BUILTIN_FACTORIES } from '../builtins.ts';

const api = (kc: KubeConfig) => kc.makeApiClient(CustomObjectsApi);
const gw = { group: GATEWAY_API_GROUP, version: 'v1' };

/** GatewayClass `className` of the Ebb controller and Gateway `web` in `namespace`. */
export async function createEbbGateway(kc: KubeConfig, namespace: string, className: string): Promise<void> {
  const apiVersion = `${GATEWAY_API_GROUP}/v1`;
  await api(kc).createClusterCustomObject({ ...gw, plural: 'gatewayclasses', body: { apiVersion, kind: 'GatewayClass', metadata: { name: className }, spec: { controllerName: EBB_GATEWAY_CONTROLLER } } });
  const listeners = [{ name: 'http', port: 80, protocol: 'HTTP' }];
  await api(kc).createNamespacedCustomObject({ ...gw, namespace, plural: 'gateways', body: { apiVersion, kind: 'Gateway', metadata: { name: 'web' }, spec: { gatewayClassName: className, listeners } } });
}

/** A Service `name` selecting `app=name`, port 80 -> `targetPort`. */
export async function createService(kc: KubeConfig, namespace: string, name: string, targetPort: number): Promise<void> {
  await kc.makeApiClient(CoreV1Api).createNamespacedService({ namespace, body: { metadata: { name }, spec: { selector: { app: name }, ports: [{ port: 80, targetPort }] } } });
}

/** The split rule of route `coffee` with these weights by version name. */
export const splitRules = (weights: Record<string, number>) => [{ backendRefs: Object.entries(weights).map(([name, weight]) => ({ name, port: 80, weight })) }];

/** Changes the weights of route `coffee` the way `kubectl edit` does: its annotations stay. */
export async function setWeights(kc: KubeConfig, namespace: string, weights: Record<string, number>): Promise<void> {
  const body = { spec: { rules: splitRules(weights) } };
  await api(kc).patchNamespacedCustomObject({ ...gw, namespace, plural: 'httproutes', name: 'coffee', body }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
}

export async function readRoute(kc: KubeConfig, namespace: string): Promise<HTTPRoute> {
  return (await api(kc).getNamespacedCustomObject({ ...gw, namespace, plural: 'httproutes', name: 'coffee' })) as HTTPRoute;
}

export async function rolloutState(kc: KubeConfig, namespace: string): Promise<RolloutState | undefined> {
  return readRolloutState(await readRoute(kc, namespace));
}

/** Starts the real scaler with the eventgw policy, reading the gateway at `gatewayAdmin`. */
export async function startRolloutScaler(kc: KubeConfig, namespace: string, gatewayAdmin: string, port: number): Promise<RunningScaler> {
  const config = { ...DEFAULT_CONFIG, namespaces: [namespace], tickIntervalMs: 500, http: { host: '127.0.0.1', port }, plugins: ['eventgw'], pluginOptions: { eventgw: { gateways: [gatewayAdmin] } } };
  return startScaler({ config, builtins: BUILTIN_FACTORIES, kc, clock: systemClock });
}

/** One sample of the cluster during a rollout. */
export interface Sample {
  readonly state: RolloutState | undefined;
  /** Ready pods and spec replicas by version name. */
  readonly ready: Record<string, number>;
  readonly spec: Record<string, number>;
}

/** Samples the route's rollout state and the versions' Deployments every 250 ms until stopped. */
export function sampleCluster(kc: KubeConfig, namespace: string, versions: readonly string[]): { samples: Sample[]; stop: () => Promise<void> } {
  const samples: Sample[] = [];
  let running = true;
  const apps = kc.makeApiClient(AppsV1Api);
  const loop = (async () => {
    while (running) {
      const state = await rolloutState(kc, namespace).catch(() => undefined);
      const ready: Record<string, number> = {};
      const spec: Record<string, number> = {};
      for (const name of versions) {
        const d = await apps.readNamespacedDeployment({ namespace, name }).catch(() => undefined);
        ready[name] = d?.status?.readyReplicas ?? 0;
        spec[name] = d?.spec?.replicas ?? 0;
      }
      samples.push({ state, ready, spec });
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  return { samples, stop: async () => void ((running = false), await loop) };
}

/** What {@link steadyLoad} saw: answers by version (the pod name's prefix), failures, cold starts by version. */
export interface LoadTally {
  readonly byVersion: Map<string, number>;
  readonly failures: string[];
  readonly coldStarts: Map<string, number>;
  /** Versions in the order of answers, for "which version answered last". */
  readonly last: string[];
}

/** `clients` closed-loop clients sending `Host: host` to the gateway until stopped. */
export function steadyLoad(port: number, host: string, clients: number): { tally: LoadTally; stop: () => Promise<void> } {
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  const tally: LoadTally = { byVersion: new Map(), failures: [], coldStarts: new Map(), last: [] };
  let running = true;
  const add = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  const once = () =>
    new Promise<void>((resolve) => {
      const req = request({ host: '127.0.0.1', port, path: '/', agent, headers: { host }, timeout: 30_000 }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => {
          const version = body.match(/^(coffee-v\d)-/)?.[1] ?? body;
          if (res.statusCode !== 200) tally.failures.push(`HTTP ${res.statusCode}: ${body.slice(0, 200)}`);
          else {
            add(tally.byVersion, version);
            tally.last.push(version);
            if (tally.last.length > 50) tally.last.shift();
            if (res.headers[COLD_START_HEADER] !== undefined) add(tally.coldStarts, version);
          }
          resolve();
        });
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', (e) => {
        tally.failures.push(e.message);
        resolve();
      });
      req.end();
    });
  const loops = Array.from({ length: clients }, async () => {
    while (running) await once();
  });
  return {
    tally,
    stop: async () => {
      running = false;
      await Promise.all(loops);
      agent.destroy();
    },
  };
}
