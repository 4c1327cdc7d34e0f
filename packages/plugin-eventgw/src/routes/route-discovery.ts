import type { KubeConfig, V1Deployment } from '@kubernetes/client-node';
import { formatIssues, silentLogger, systemClock, type Clock, type Logger, type TargetKey } from '@ebb/core';
import { parseEventGatewayConfig } from '../config/eventgw-config.ts';
import type { EndpointTracker } from '../discovery/endpoint-tracker.ts';
import type { DiscoveryListener, GatewayDiscovery } from '../discovery/gateway-discovery.ts';
import type { EndpointSourceKind } from '../discovery/kube-discovery.ts';
import { PodEndpoints } from '../discovery/pod-endpoints.ts';
import { SliceEndpoints } from '../discovery/slice-endpoints.ts';
import type { GatewayEndpoint, TargetRoute } from '../gateway/target-route.ts';
import type { RouteBackendTarget } from './compile-routes.ts';
import type { HttpRouteTable } from './http-route-table.ts';
import { KubeRouteWatch, type RouteSnapshot } from './route-watch.ts';

/** Options of {@link RouteDiscovery}. */
export interface RouteDiscoveryOptions {
  /** The Deployment-annotation discovery whose routes HTTPRoutes join. */
  readonly annotations: GatewayDiscovery;
  /** The table the data plane consults first; filled with the rules of accepted HTTPRoutes. */
  readonly table: HttpRouteTable;
  readonly namespaces?: readonly string[];
  readonly labelSelector?: string;
  readonly endpointSource?: EndpointSourceKind;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

/**
 * The gateway's discovery with HTTPRoutes: the annotation discovery's routes, plus every Deployment a backendRef
 * of an accepted HTTPRoute resolves to, as a target without hosts of its own (reached through the route's rules,
 * its limits from its `ebb.dev/eventgw.*` annotations). A Deployment that is both keeps its annotation route
 * (hosts, limits and endpoints); the rules of HTTPRoutes are tried before the annotation hosts (see the README).
 */
export class RouteDiscovery implements GatewayDiscovery {
  private readonly o: RouteDiscoveryOptions;
  private readonly logger: Logger;
  private readonly watch: KubeRouteWatch;
  private readonly tracker: EndpointTracker;
  private listener: DiscoveryListener | undefined;
  /** Targets the annotation discovery routes now. */
  private readonly annotated = new Set<TargetKey>();
  /** Routes given for HTTPRoute backends, by target. */
  private readonly backends = new Map<TargetKey, TargetRoute>();
  private readonly tracked = new Map<TargetKey, string>();
  private readonly backendEndpoints = new Map<TargetKey, readonly GatewayEndpoint[]>();
  private readonly warned = new Map<TargetKey, string>();

  constructor(kc: KubeConfig, options: RouteDiscoveryOptions) {
    this.o = options;
    const clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    const namespaces = options.namespaces ?? [];
    this.watch = new KubeRouteWatch(kc, { namespaces, ...(options.labelSelector ? { labelSelector: options.labelSelector } : {}), clock, logger: this.logger });
    const emit = (key: TargetKey, endpoints: readonly GatewayEndpoint[]): void => {
      this.backendEndpoints.set(key, endpoints);
      if (!this.annotated.has(key)) this.listener?.endpoints(key, endpoints);
    };
    this.tracker =
      options.endpointSource === 'endpoint-slices'
        ? new SliceEndpoints(kc, namespaces, emit, clock, this.logger)
        : new PodEndpoints(kc, namespaces, emit, clock, this.logger);
  }

  async start(listener: DiscoveryListener): Promise<void> {
    this.listener = listener;
    await this.o.annotations.start({
      route: (key, route) => {
        if (route) this.annotated.add(key);
        else this.annotated.delete(key);
        const backend = this.backends.get(key);
        if (route || !backend) return listener.route(key, route);
        // The annotation route is gone, the target is still an HTTPRoute backend: it stays routed.
        listener.route(key, backend);
        listener.endpoints(key, this.backendEndpoints.get(key) ?? []);
      },
      endpoints: (key, endpoints) => {
        if (this.annotated.has(key) || !this.backends.has(key)) listener.endpoints(key, endpoints);
      },
    });
    try {
      await this.tracker.start();
      await this.watch.start((s) => this.apply(s));
    } catch (e) {
      await this.stop();
      throw e;
    }
  }

  async stop(): Promise<void> {
    this.listener = undefined;
    await Promise.all([this.watch.stop(), this.tracker.stop(), this.o.annotations.stop()]);
  }

  /** New backends first, then the rules, then backends gone: a request never picks a target not yet known. */
  private apply(s: RouteSnapshot): void {
    for (const b of s.compiled.backends.values()) this.setBackend(b, s.deployments.get(b.key));
    this.o.table.set(s.compiled.rules);
    for (const key of [...this.backends.keys()]) if (!s.compiled.backends.has(key)) this.dropBackend(key);
  }

  private setBackend(b: RouteBackendTarget, d: V1Deployment | undefined): void {
    if (!d) return;
    const parsed = parseEventGatewayConfig(d.metadata?.annotations ?? {});
    if (!parsed.ok) {
      const text = formatIssues(parsed.issues);
      if (this.warned.get(b.key) !== text) this.logger.warn('invalid gateway annotations on an HTTPRoute backend; keeping its last valid route', { target: b.key, issues: text });
      this.warned.set(b.key, text);
      return;
    }
    this.warned.delete(b.key);
    const c = parsed.value;
    const route: TargetRoute = {
      ref: b.ref,
      key: b.key,
      hosts: [],
      pathPrefix: '/',
      containerConcurrency: c.containerConcurrency,
      queueLength: c.queueLength,
      queueTimeoutMs: c.queueTimeoutMs,
      protocol: c.protocol,
      httpRouteBackend: true,
    };
    this.backends.set(b.key, route);
    const spec = { key: b.key, namespace: b.ref.namespace, selector: d.spec?.selector ?? {}, port: c.port || b.podPort, service: c.service || b.service };
    const text = JSON.stringify(spec);
    if (this.tracked.get(b.key) !== text) {
      this.tracked.set(b.key, text);
      this.tracker.track(spec);
    }
    if (!this.annotated.has(b.key)) this.listener?.route(b.key, route);
  }

  private dropBackend(key: TargetKey): void {
    this.backends.delete(key);
    this.tracked.delete(key);
    this.backendEndpoints.delete(key);
    this.warned.delete(key);
    this.tracker.untrack(key);
    if (this.annotated.has(key)) return;
    this.listener?.route(key, undefined);
    this.listener?.endpoints(key, []);
  }
}
