import { AppsV1Api, CoreV1Api, CustomObjectsApi, PatchStrategy, setHeaderOptions, type KubeConfig, type V1Deployment } from '@kubernetes/client-node';
import { SELECTION_LABEL, targetKey } from '@ebb/core';
import { EBB_GATEWAY_CONTROLLER, GATEWAY_API_GROUP, readRolloutState, type HTTPRoute, type RolloutState } from '@ebb/plugin-eventgw';
import { installGatewayApiCrds, READINESS_DELAY_ANNOTATION, waitFor } from '@ebb/testing';
import { COFFEE, DEMO_TIMINGS, PER_POD } from './coffee.ts';

/**
 * The versions part: two Deployments of coffee (`coffee-v1`, `coffee-v2`), one Service each, and the HTTPRoute
 * `coffee` of an Ebb Gateway that splits the host {@link VERSIONS_HOST} between them. The coffee Deployment of
 * the other parts is left as it is (its host stays `coffee.local`).
 */
export const VERSIONS = ['coffee-v1', 'coffee-v2'] as const;
export type VersionName = (typeof VERSIONS)[number];
export const VERSIONS_HOST = 'versions.coffee.local';

/**
 * Each version scales on the requests the gateway routes to it (the eventgw policy: 10 in flight per pod, its
 * window 5 s, no idle period) and goes to zero 6 s after its share is gone; no reserve pod.
 */
export function versionAnnotations(maxReplicas: number): Record<string, string> {
  return {
    'ebb.dev/policies': 'eventgw',
    'ebb.dev/min-replicas': '0',
    'ebb.dev/max-replicas': String(maxReplicas),
    'ebb.dev/scale-to-zero-grace-period': DEMO_TIMINGS.scaleToZeroGrace,
    'ebb.dev/eventgw.container-concurrency': String(PER_POD),
    'ebb.dev/eventgw.window': DEMO_TIMINGS.eventgwWindow,
    'ebb.dev/eventgw.idle-period': DEMO_TIMINGS.eventgwIdle,
  };
}

/** A version's Deployment: pods labelled `app: <name>` (what its Service selects), port 8080. */
export function versionDeployment(namespace: string, name: VersionName, replicas: number, maxReplicas = 20): V1Deployment {
  const podLabels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels: { ...podLabels, [SELECTION_LABEL]: 'true' }, annotations: versionAnnotations(maxReplicas) },
    spec: {
      replicas,
      selector: { matchLabels: podLabels },
      template: {
        metadata: { labels: podLabels, annotations: { [READINESS_DELAY_ANNOTATION]: DEMO_TIMINGS.readinessDelay } },
        spec: {
          terminationGracePeriodSeconds: 0,
          containers: [{ name: 'coffee', image: `registry.invalid/ebb/coffee:${name.slice(-1)}`, ports: [{ name: 'http', containerPort: COFFEE.port }], resources: { requests: { cpu: '500m', memory: '256Mi' } } }],
        },
      },
    },
  };
}

const GW = { group: GATEWAY_API_GROUP, version: 'v1' } as const;
const ROUTE = 'coffee';
const splitRules = (weights: Record<string, number>) => [{ backendRefs: Object.entries(weights).map(([name, weight]) => ({ name, port: 80, weight })) }];

/** Sets the weights of the route's split the way `kubectl edit` does (its annotations stay). */
export async function setVersionWeights(kc: KubeConfig, namespace: string, weights: Record<VersionName, number>): Promise<void> {
  const body = { spec: { rules: splitRules(weights) } };
  await kc.makeApiClient(CustomObjectsApi).patchNamespacedCustomObject({ ...GW, namespace, plural: 'httproutes', name: ROUTE, body }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
}

/** The route's `ebb.dev/rollout-state` (the effective split), undefined before the scaler wrote it. */
export async function readVersionsState(kc: KubeConfig, namespace: string): Promise<RolloutState | undefined> {
  return readRolloutState((await kc.makeApiClient(CustomObjectsApi).getNamespacedCustomObject({ ...GW, namespace, plural: 'httproutes', name: ROUTE })) as HTTPRoute);
}

/**
 * Installs the Gateway API's CRDs and waits until their objects can be listed: a fresh apiserver answers 429
 * ("storage is (re)initializing") for a moment after a CRD is Established, and the gateway's first list must not
 * meet that.
 */
export async function prepareGatewayApi(kc: KubeConfig, namespace: string, signal: AbortSignal): Promise<void> {
  await installGatewayApiCrds(kc);
  const api = kc.makeApiClient(CustomObjectsApi);
  for (const plural of ['gatewayclasses', 'gateways', 'httproutes'] as const) {
    const list = () => (plural === 'gatewayclasses' ? api.listClusterCustomObject({ ...GW, plural }) : api.listNamespacedCustomObject({ ...GW, namespace, plural }));
    await waitFor(() => list().then(() => true, () => false), { timeoutMs: 60_000, intervalMs: 250, description: `${plural} listable`, signal });
  }
}

/**
 * Creates the GatewayClass `className` (Ebb's controller), the Gateway `web`, the versions (v1 with one pod, v2
 * with none), their Services and the route `coffee`: all of {@link VERSIONS_HOST} to v1, with
 * `ebb.dev/rollout-duration` set so that a weight change moves in steps.
 */
export async function createVersions(kc: KubeConfig, namespace: string, className: string, rolloutSeconds: number): Promise<void> {
  const api = kc.makeApiClient(CustomObjectsApi);
  const apiVersion = `${GATEWAY_API_GROUP}/v1`;
  await api.createClusterCustomObject({ ...GW, plural: 'gatewayclasses', body: { apiVersion, kind: 'GatewayClass', metadata: { name: className }, spec: { controllerName: EBB_GATEWAY_CONTROLLER } } });
  const listeners = [{ name: 'http', port: 80, protocol: 'HTTP' }];
  await api.createNamespacedCustomObject({ ...GW, namespace, plural: 'gateways', body: { apiVersion, kind: 'Gateway', metadata: { name: 'web' }, spec: { gatewayClassName: className, listeners } } });
  const apps = kc.makeApiClient(AppsV1Api);
  const core = kc.makeApiClient(CoreV1Api);
  for (const [name, replicas] of [['coffee-v1', 1], ['coffee-v2', 0]] as const) {
    await apps.createNamespacedDeployment({ namespace, body: versionDeployment(namespace, name, replicas) });
    await core.createNamespacedService({ namespace, body: { metadata: { name }, spec: { selector: { app: name }, ports: [{ port: 80, targetPort: COFFEE.port }] } } });
  }
  const body = {
    apiVersion,
    kind: 'HTTPRoute',
    metadata: { name: ROUTE, annotations: { 'ebb.dev/rollout-duration': `${rolloutSeconds}s` } },
    spec: { parentRefs: [{ name: 'web' }], hostnames: [VERSIONS_HOST], rules: splitRules({ 'coffee-v1': 100, 'coffee-v2': 0 }) },
  };
  await api.createNamespacedCustomObject({ ...GW, namespace, plural: 'httproutes', body });
}

/** Deletes the GatewayClass (cluster-wide; the rest goes with the namespace). Never rejects. */
export async function deleteGatewayClass(kc: KubeConfig, className: string): Promise<void> {
  await kc
    .makeApiClient(CustomObjectsApi)
    .deleteClusterCustomObject({ ...GW, plural: 'gatewayclasses', name: className })
    .catch(() => undefined);
}

/** The effective weight of `version` in `state` (percent), 0 without a state. */
export function weightOf(state: RolloutState | undefined, namespace: string, version: VersionName): number {
  return state?.current[targetKey({ namespace, name: version })] ?? 0;
}

/** The route's rollout state, read every `everyMs` in the background (the live view reads the last one). */
export class RouteStateWatch {
  last: RolloutState | undefined;
  private running = true;
  private readonly loop: Promise<void>;

  constructor(kc: KubeConfig, namespace: string, everyMs = 250) {
    this.loop = (async () => {
      while (this.running) {
        this.last = (await readVersionsState(kc, namespace).catch(() => undefined)) ?? this.last;
        await new Promise((r) => setTimeout(r, everyMs));
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }
}
