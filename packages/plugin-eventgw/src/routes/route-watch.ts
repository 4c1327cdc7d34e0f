import { AppsV1Api, CoreV1Api, CustomObjectsApi, makeInformer, type KubeConfig, type KubernetesObject, type V1Deployment, type V1Service } from '@kubernetes/client-node';
import { silentLogger, systemClock, targetKey, type Clock, type Logger, type TargetKey, type TimerHandle } from '@ebb/core';
import { EVENTGW_PREFIX } from '../config/eventgw-fields.ts';
import { ResilientInformer } from '../discovery/resilient-informer.ts';
import { compileRoutes, type CompiledRoutes } from './compile-routes.ts';
import { GATEWAY_API_GROUP, type Gateway, type GatewayClass, type HTTPRoute, type ServiceView } from './gateway-api-types.ts';

/** How often the watch looks again for the Gateway API CRDs while they are not installed, ms. */
const CRD_POLL_MS = 30_000;

/** Options of {@link KubeRouteWatch}. */
export interface RouteWatchOptions {
  /** Namespaces of routes, Gateways, Services and Deployments; empty or absent = all. */
  readonly namespaces?: readonly string[];
  /** Label selector for the Deployments routes may reach (default: all). */
  readonly labelSelector?: string;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

/** What the watch sees: the compiled routes, the routes themselves (for status), and the Deployments by target. */
export interface RouteSnapshot {
  readonly compiled: CompiledRoutes;
  readonly gatewayClasses: readonly GatewayClass[];
  readonly gateways: readonly Gateway[];
  readonly routes: readonly HTTPRoute[];
  readonly deployments: ReadonlyMap<TargetKey, V1Deployment>;
}

type SourceKind = 'classes' | 'gateways' | 'routes' | 'services' | 'deployments';

function emptySources(): Record<SourceKind, Array<ResilientInformer<KubernetesObject>>> {
  return { classes: [], gateways: [], routes: [], services: [], deployments: [] };
}

function serviceView(s: V1Service): ServiceView {
  return {
    namespace: s.metadata?.namespace ?? '',
    name: s.metadata?.name ?? '',
    ...(s.spec?.selector ? { selector: s.spec.selector } : {}),
    ports: (s.spec?.ports ?? []).map((p) => ({ port: p.port, ...(p.targetPort !== undefined ? { targetPort: p.targetPort as number | string } : {}) })),
  };
}

/** The parts of a Service or Deployment that route compilation (and the gateway's backend routes) read. */
function routingFingerprint(kind: 'services' | 'deployments', o: KubernetesObject): string {
  if (kind === 'services') {
    const s = o as V1Service;
    return JSON.stringify([s.spec?.selector, s.spec?.ports?.map((p) => [p.port, p.targetPort])]);
  }
  const d = o as V1Deployment;
  const gatewayAnnotations = Object.entries(d.metadata?.annotations ?? {}).filter(([k]) => k.startsWith(EVENTGW_PREFIX));
  return JSON.stringify([d.spec?.template.metadata?.labels, d.spec?.selector, gatewayAnnotations]);
}

/**
 * Watches what HTTPRoutes are compiled from (GatewayClasses, Gateways, HTTPRoutes, Services and Deployments) and
 * calls back with a fresh {@link RouteSnapshot} after every change (changes that arrive together are compiled
 * once). Shared by the gateway (its route table) and the scaler (which versions are reachable, route status).
 * Without the Gateway API CRDs in the cluster (or the right to read GatewayClasses) it reports an empty snapshot
 * and looks again every 30 s.
 */
export class KubeRouteWatch {
  private readonly kc: KubeConfig;
  private readonly namespaces: readonly string[];
  private readonly labelSelector: string | undefined;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private informers: Array<ResilientInformer<KubernetesObject>> = [];
  private sources: Record<SourceKind, Array<ResilientInformer<KubernetesObject>>> = emptySources();
  private listener: ((s: RouteSnapshot) => void) | undefined;
  private pending: TimerHandle | undefined;
  private poll: TimerHandle | undefined;
  private stopped = false;
  /** What routes read of each Service and Deployment, to skip updates that change none of it. */
  private readonly fingerprints = new Map<string, string>();
  private snapshot: RouteSnapshot = { compiled: compileRoutes({ gatewayClasses: [], gateways: [], routes: [], services: [], deployments: [] }), gatewayClasses: [], gateways: [], routes: [], deployments: new Map() };

  constructor(kc: KubeConfig, options: RouteWatchOptions = {}) {
    this.kc = kc;
    this.namespaces = options.namespaces ?? [];
    this.labelSelector = options.labelSelector;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
  }

  /** The last snapshot. */
  current(): RouteSnapshot {
    return this.snapshot;
  }

  /** A Deployment as the cache holds it now (fresher than the snapshot's: status updates do not recompile). */
  deployment(key: TargetKey): V1Deployment | undefined {
    const slash = key.indexOf('/');
    for (const i of this.sources.deployments) {
      const d = i.cache.get(key.slice(slash + 1), key.slice(0, slash)) as V1Deployment | undefined;
      if (d) return d;
    }
    return undefined;
  }

  /** Lists everything and starts watching; `listener` gets the first snapshot before this resolves. */
  async start(listener: (s: RouteSnapshot) => void): Promise<void> {
    this.listener = listener;
    this.stopped = false;
    const access = await this.gatewayApiAccess();
    if (access !== 'ok') {
      const why = access === 'absent' ? 'the Gateway API CRDs are not installed' : 'this ServiceAccount may not list gatewayclasses (RBAC: see gatewayApi.enabled in the chart)';
      this.logger.info(`${why}: HTTPRoutes are not watched (looking again every 30 s)`);
      listener(this.snapshot);
      this.schedulePoll();
      return;
    }
    await this.startInformers();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.listener = undefined;
    this.pending?.cancel();
    this.poll?.cancel();
    await this.dropInformers();
  }

  private async dropInformers(): Promise<void> {
    await Promise.all(this.informers.map((i) => i.stop()));
    this.informers = [];
    this.sources = emptySources();
    this.fingerprints.clear();
  }

  /** Whether the Gateway API can be watched: its CRDs installed (else `absent`) and readable (else `denied`). */
  private async gatewayApiAccess(): Promise<'ok' | 'absent' | 'denied'> {
    try {
      await this.kc.makeApiClient(CustomObjectsApi).listClusterCustomObject({ group: GATEWAY_API_GROUP, version: 'v1', plural: 'gatewayclasses', limit: 1 });
      return 'ok';
    } catch (e) {
      const code = (e as { code?: number }).code;
      if (code === 404) return 'absent';
      if (code === 403) return 'denied';
      throw e;
    }
  }

  private schedulePoll(): void {
    this.poll = this.clock.setTimeout(async () => {
      if (this.stopped) return;
      try {
        if ((await this.gatewayApiAccess()) === 'ok') return await this.startInformers();
      } catch (e) {
        this.logger.warn('could not look for the Gateway API CRDs', { error: String(e) });
      }
      if (!this.stopped) this.schedulePoll();
    }, CRD_POLL_MS);
  }

  private async startInformers(): Promise<void> {
    const custom = this.kc.makeApiClient(CustomObjectsApi);
    const core = this.kc.makeApiClient(CoreV1Api);
    const apps = this.kc.makeApiClient(AppsV1Api);
    const sel = this.labelSelector;
    const add = (kind: SourceKind, what: string, path: string, list: () => Promise<unknown>, labelSelector?: string): void => {
      const informer = makeInformer<KubernetesObject>(this.kc, path, list as never, labelSelector);
      informer.on('add', (o) => this.changed(kind, o));
      informer.on('update', (o) => this.changed(kind, o));
      informer.on('delete', (o) => this.changed(kind, o, true));
      const resilient = new ResilientInformer(what, informer, this.clock, this.logger);
      this.informers.push(resilient);
      this.sources[kind].push(resilient);
    };
    const gw = (plural: string, namespace?: string) => `/apis/${GATEWAY_API_GROUP}/v1${namespace ? `/namespaces/${namespace}` : ''}/${plural}`;
    add('classes', 'GatewayClasses', gw('gatewayclasses'), () => custom.listClusterCustomObject({ group: GATEWAY_API_GROUP, version: 'v1', plural: 'gatewayclasses' }));
    for (const namespace of this.namespaces.length ? this.namespaces : [undefined]) {
      const where = namespace ?? 'all namespaces';
      for (const [kind, plural] of [['gateways', 'gateways'], ['routes', 'httproutes']] as const) {
        const list = namespace
          ? () => custom.listNamespacedCustomObject({ group: GATEWAY_API_GROUP, version: 'v1', namespace, plural })
          : () => custom.listClusterCustomObject({ group: GATEWAY_API_GROUP, version: 'v1', plural });
        add(kind, `${plural} in ${where}`, gw(plural, namespace), list);
      }
      add('services', `Services in ${where}`, namespace ? `/api/v1/namespaces/${namespace}/services` : '/api/v1/services', namespace ? () => core.listNamespacedService({ namespace }) : () => core.listServiceForAllNamespaces());
      add(
        'deployments',
        `Deployments in ${where}`,
        namespace ? `/apis/apps/v1/namespaces/${namespace}/deployments` : '/apis/apps/v1/deployments',
        namespace ? () => apps.listNamespacedDeployment({ namespace, ...(sel ? { labelSelector: sel } : {}) }) : () => apps.listDeploymentForAllNamespaces(sel ? { labelSelector: sel } : {}),
        sel,
      );
    }
    try {
      await Promise.all(this.informers.map((i) => i.start()));
    } catch (e) {
      // Nothing half-started stays behind; a later attempt (the poll, or the caller) starts afresh.
      await this.dropInformers();
      throw e;
    }
    this.compile();
  }

  /**
   * Schedules a compilation, except for a Service or Deployment update that changes nothing routes read (a
   * Deployment's status moves with every scale; recompiling for it would be wasted work).
   */
  private changed(kind: SourceKind, o: KubernetesObject, deleted = false): void {
    if (kind === 'services' || kind === 'deployments') {
      const id = `${kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
      const print = deleted ? undefined : routingFingerprint(kind, o);
      if (this.fingerprints.get(id) === print) return;
      if (print === undefined) this.fingerprints.delete(id);
      else this.fingerprints.set(id, print);
    }
    if (this.pending || this.stopped) return;
    this.pending = this.clock.setTimeout(() => {
      this.pending = undefined;
      this.compile();
    }, 0);
  }

  private compile(): void {
    if (this.stopped) return;
    const list = <T>(kind: SourceKind): T[] => this.sources[kind].flatMap((i) => i.cache.list()) as T[];
    const kinds = { gateways: list<Gateway>('gateways'), routes: list<HTTPRoute>('routes'), services: list<V1Service>('services'), deployments: list<V1Deployment>('deployments') };
    const deployments = new Map(kinds.deployments.map((d) => [targetKey({ namespace: d.metadata?.namespace ?? '', name: d.metadata?.name ?? '' }), d]));
    const gatewayClasses = list<GatewayClass>('classes');
    const compiled = compileRoutes({
      gatewayClasses,
      gateways: kinds.gateways,
      routes: kinds.routes,
      services: kinds.services.map(serviceView),
      deployments: kinds.deployments.map((d) => ({ namespace: d.metadata?.namespace ?? '', name: d.metadata?.name ?? '', podLabels: d.spec?.template.metadata?.labels ?? {} })),
    });
    this.snapshot = { compiled, gatewayClasses, gateways: kinds.gateways, routes: kinds.routes, deployments };
    this.listener?.(this.snapshot);
  }
}
