import { AppsV1Api, makeInformer, type KubeConfig, type V1Deployment } from '@kubernetes/client-node';
import { formatIssues, silentLogger, systemClock, targetKey, type Clock, type Logger, type TargetKey } from '@ebb/core';
import { parseEventGatewayConfig } from '../config/eventgw-config.ts';
import { EVENTGW_PREFIX } from '../config/eventgw-fields.ts';
import { routeFromConfig } from '../gateway/target-route.ts';
import { ActivatorServices } from './activator-services.ts';
import type { EndpointTracker } from './endpoint-tracker.ts';
import type { DiscoveryListener, GatewayDiscovery } from './gateway-discovery.ts';
import { PodEndpoints } from './pod-endpoints.ts';
import { ResilientInformer } from './resilient-informer.ts';
import { SliceEndpoints } from './slice-endpoints.ts';

/** How the gateway finds a target's ready pods. */
export type EndpointSourceKind = 'pods' | 'endpoint-slices';

/** The annotation that opts a Deployment in to the gateway. */
export const HOST_ANNOTATION = `${EVENTGW_PREFIX}host`;

/** Options of {@link KubeGatewayDiscovery}. */
export interface KubeGatewayDiscoveryOptions {
  /** Namespaces to watch; empty or absent = all. */
  readonly namespaces?: readonly string[];
  /** Label selector for Deployments (default: all Deployments; only annotated ones are routed). */
  readonly labelSelector?: string;
  /** Default `pods`. */
  readonly endpointSource?: EndpointSourceKind;
  /**
   * Route the names and ClusterIPs of the Services Ebb owns for activator-mode Deployments to them (default true;
   * needs list/watch on Services).
   */
  readonly activatorServices?: boolean;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

/**
 * Routes and endpoints from Kubernetes: a Deployment informer turns Deployments annotated with
 * `ebb.dev/eventgw.host` into routes (other Deployments are ignored), and an endpoint tracker (pods by default,
 * or EndpointSlices) keeps their ready pods current. Everything is watch-driven. A Deployment whose gateway
 * annotations become invalid keeps its last valid route (and is logged), like the scaler leaves such a target as
 * it is; one that was never valid is not routed.
 */
export class KubeGatewayDiscovery implements GatewayDiscovery {
  private readonly deployments: ResilientInformer<V1Deployment>[] = [];
  private readonly tracker: EndpointTracker;
  private readonly logger: Logger;
  private readonly routed = new Set<TargetKey>();
  private readonly warned = new Map<TargetKey, string>();
  /** The endpoint spec last given to the tracker per target, to skip Deployment status-only updates. */
  private readonly tracked = new Map<TargetKey, string>();
  /** The last Deployment seen per target, to route again when its activator Service changes. */
  private readonly seen = new Map<TargetKey, V1Deployment>();
  private readonly services: ActivatorServices | undefined;
  private listener: DiscoveryListener | undefined;

  constructor(kc: KubeConfig, options: KubeGatewayDiscoveryOptions = {}) {
    const clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    const namespaces = options.namespaces ?? [];
    const emit = (key: TargetKey, endpoints: Parameters<DiscoveryListener['endpoints']>[1]): void => this.listener?.endpoints(key, endpoints);
    this.tracker =
      options.endpointSource === 'endpoint-slices'
        ? new SliceEndpoints(kc, namespaces, emit, clock, this.logger)
        : new PodEndpoints(kc, namespaces, emit, clock, this.logger);
    if (options.activatorServices ?? true) {
      this.services = new ActivatorServices(kc, namespaces, (key) => {
        const d = this.seen.get(key);
        if (d) this.upsert(d);
      }, clock, this.logger);
    }
    const apps = kc.makeApiClient(AppsV1Api);
    const labelSelector = options.labelSelector;
    for (const namespace of namespaces.length ? namespaces : [undefined]) {
      const informer = namespace
        ? makeInformer<V1Deployment>(kc, `/apis/apps/v1/namespaces/${namespace}/deployments`, () => apps.listNamespacedDeployment({ namespace, ...(labelSelector ? { labelSelector } : {}) }), labelSelector)
        : makeInformer<V1Deployment>(kc, '/apis/apps/v1/deployments', () => apps.listDeploymentForAllNamespaces(labelSelector ? { labelSelector } : {}), labelSelector);
      informer.on('add', (d) => this.upsert(d));
      informer.on('update', (d) => this.upsert(d));
      informer.on('delete', (d) => this.remove(d));
      this.deployments.push(new ResilientInformer(`Deployments in ${namespace ?? 'all namespaces'}`, informer, clock, this.logger));
    }
  }

  /** Starts the endpoint watch first, so that routes found by the Deployment list get their endpoints at once. */
  async start(listener: DiscoveryListener): Promise<void> {
    this.listener = listener;
    try {
      await this.tracker.start();
      await this.services?.start();
      await Promise.all(this.deployments.map((i) => i.start()));
    } catch (e) {
      await this.stop();
      throw e;
    }
  }

  async stop(): Promise<void> {
    this.listener = undefined;
    await Promise.all([...this.deployments.map((i) => i.stop()), this.tracker.stop(), this.services?.stop()]);
  }

  private upsert(d: V1Deployment): void {
    const ref = { namespace: d.metadata?.namespace ?? 'default', name: d.metadata?.name ?? '' };
    const key = targetKey(ref);
    const annotations = d.metadata?.annotations ?? {};
    this.seen.set(key, d);
    const serviceHosts = this.services?.hostsOf(key) ?? [];
    if (annotations[HOST_ANNOTATION] === undefined && serviceHosts.length === 0) return this.unroute(key);
    const parsed = parseEventGatewayConfig(annotations);
    if (!parsed.ok) {
      const text = formatIssues(parsed.issues);
      if (this.warned.get(key) !== text) {
        this.warned.set(key, text);
        this.logger.warn(this.routed.has(key) ? 'invalid gateway annotations; keeping the last valid route' : 'invalid gateway annotations; not routed', { target: key, issues: text });
      }
      return;
    }
    this.warned.delete(key);
    const configured = routeFromConfig(ref, parsed.value);
    const route = serviceHosts.length ? { ...configured, hosts: [...new Set([...configured.hosts, ...serviceHosts])] } : configured;
    if (route.hosts.length === 0) return this.unroute(key);
    this.routed.add(key);
    this.listener?.route(key, route);
    const spec = { key, namespace: ref.namespace, selector: d.spec?.selector ?? {}, port: parsed.value.port, service: parsed.value.service || ref.name };
    const text = JSON.stringify(spec);
    if (this.tracked.get(key) === text) return;
    this.tracked.set(key, text);
    this.tracker.track(spec);
  }

  private remove(d: V1Deployment): void {
    this.seen.delete(targetKey({ namespace: d.metadata?.namespace ?? 'default', name: d.metadata?.name ?? '' }));
    this.unroute(targetKey({ namespace: d.metadata?.namespace ?? 'default', name: d.metadata?.name ?? '' }));
  }

  private unroute(key: TargetKey): void {
    this.warned.delete(key);
    if (!this.routed.delete(key)) return;
    this.tracked.delete(key);
    this.tracker.untrack(key);
    this.listener?.route(key, undefined);
    this.listener?.endpoints(key, []);
  }
}
