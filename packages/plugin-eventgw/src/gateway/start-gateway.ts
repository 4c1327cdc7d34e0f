import { Agent, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KubeConfig } from '@kubernetes/client-node';
import { hostname } from 'node:os';
import { loadKubeConfig, silentLogger, systemClock, type TargetKey } from '@ebb/core';
import type { DiscoveryListener, GatewayDiscovery } from '../discovery/gateway-discovery.ts';
import { KubeGatewayDiscovery } from '../discovery/kube-discovery.ts';
import { SlotCoordinator } from '../coordination/slot-coordinator.ts';
import { PodLoadMarker } from '../coordination/pod-load-marker.ts';
import { createAdminServer } from './admin-server.ts';
import { createDataServer } from './data-server.ts';
import { createGatewayHandler } from './gateway-handler.ts';
import { H2Sessions } from './h2-sessions.ts';
import { createUpgradeHandler } from './upgrade-forward.ts';
import { resolveGatewayLimits } from './gateway-limits.ts';
import { GatewayMetrics } from './gateway-metrics.ts';
import type { GatewayHandle, GatewayOptions } from './gateway-options.ts';
import { GatewayTargets } from './gateway-targets.ts';
import { createScalerPoke } from './scaler-poke.ts';
import { HttpRouteTable } from '../routes/http-route-table.ts';
import { RouteDiscovery } from '../routes/route-discovery.ts';

/** After the drain timeout, how long the 503 answers to refused waiters get to be written, ms. */
const REFUSAL_GRACE_MS = 1000;

async function listen(server: Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

async function close(server: Server): Promise<void> {
  if (!server.listening) return;
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/**
 * Starts the event gateway: discovery first (so the first request already sees every opted-in target), then the
 * admin server and the data plane. Routes only to Deployments that opted in with `ebb.dev/eventgw.host`; see the
 * package README for annotations, behaviour and limits.
 * @throws EbbError `EBB_CONFIG_FILE_INVALID` for invalid limits, `EBB_KUBE_UNAVAILABLE` without Kubernetes
 *   configuration (when no `discovery` is given); listen errors (port in use) as Node reports them.
 */
export async function startGateway(options: GatewayOptions = {}): Promise<GatewayHandle> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const limits = resolveGatewayLimits(options.limits);
  const startedMs = clock.now();
  const gatewayId = options.gatewayId ?? hostname();
  let kc = options.kubeConfig;
  const kubeConfig = (): KubeConfig => (kc ??= loadKubeConfig().kc);
  const coordination = options.coordination;
  const coordinator = coordination ? new SlotCoordinator(coordination.kubeConfig ?? kubeConfig(), coordination, gatewayId, clock, logger) : undefined;
  const targets = new GatewayTargets(clock, coordinator && ((route) => coordinator.createDispatcher(route)));
  const metrics = new GatewayMetrics(targets, { processMetrics: options.processMetrics ?? true });
  const annotations: GatewayDiscovery =
    options.discovery ??
    new KubeGatewayDiscovery(kubeConfig(), {
      ...(options.namespaces ? { namespaces: options.namespaces } : {}),
      ...(options.labelSelector ? { labelSelector: options.labelSelector } : {}),
      endpointSource: options.endpointSource ?? 'pods',
      logger,
    });
  // HTTPRoutes of the Ebb GatewayClass join the annotation routes when the gateway watches Kubernetes itself.
  const httpRoutes = options.discovery === undefined && options.httpRoutes !== false ? new HttpRouteTable() : undefined;
  const discovery: GatewayDiscovery = httpRoutes
    ? new RouteDiscovery(kubeConfig(), {
        annotations,
        table: httpRoutes,
        ...(options.namespaces ? { namespaces: options.namespaces } : {}),
        ...(options.labelSelector ? { labelSelector: options.labelSelector } : {}),
        endpointSource: options.endpointSource ?? 'pods',
        clock,
        logger,
      })
    : annotations;
  const agent = new Agent({ keepAlive: true, scheduling: 'lifo', maxFreeSockets: 1024 });
  const poke = options.scalerUrl
    ? createScalerPoke({ scalerUrl: options.scalerUrl, clock, logger, observe: (r) => metrics.poke(r) })
    : undefined;

  let draining = false;
  let ready = false;
  let active = 0;
  let idle: (() => void) | undefined;
  const h2Sessions = new H2Sessions(clock);
  const handler = createGatewayHandler({ targets, metrics, limits, agent, clock, poke, draining: () => draining, h2Sessions, ...(httpRoutes ? { httpRoutes } : {}) });
  const upgrade = createUpgradeHandler({ targets, metrics, limits, clock, poke, draining: () => draining, ...(httpRoutes ? { httpRoutes } : {}) });
  const data = createDataServer(limits, (req, res) => {
    active++;
    res.once('close', () => {
      active--;
      if (active === 0) idle?.();
    });
    handler(req, res);
  }, (req, socket, head) => {
    // A WebSocket connection is active (holds its slot) until it closes.
    active++;
    socket.once('close', () => {
      active--;
      if (active === 0) idle?.();
    });
    upgrade(req, socket, head);
  });
  const admin = createAdminServer({ stats: () => targets.report(gatewayId, startedMs), registry: metrics.registry, ready: () => ready && !draining });

  let shadowed = '';
  const listener: DiscoveryListener = {
    route(key: TargetKey, route) {
      if (route) targets.setRoute(route);
      else targets.removeRoute(key);
      const now = targets.table.shadowed();
      const text = now.map((r) => r.key).join(',');
      if (text === shadowed) return;
      shadowed = text;
      for (const s of now) logger.warn('route shadowed: another target claims the same hosts and path prefix', { target: s.key, hosts: s.hosts });
    },
    endpoints(key, endpoints) {
      targets.setEndpoints(key, endpoints);
    },
  };
  await discovery.start(listener);
  const marker =
    (options.podDeletionCost ?? options.discovery === undefined)
      ? new PodLoadMarker(kubeConfig(), targets, gatewayId, () => coordinator?.liveMembers() ?? [gatewayId], clock, logger)
      : undefined;
  let port: number;
  let adminPort: number;
  try {
    await coordinator?.start();
    marker?.start();
    adminPort = await listen(admin, options.adminPort ?? 9090, options.adminHost ?? '0.0.0.0');
    port = await listen(data, options.port ?? 8080, options.host ?? '0.0.0.0');
  } catch (e) {
    await Promise.all([close(admin), close(data), discovery.stop(), coordinator?.stop(), marker?.stop()]);
    agent.destroy();
    h2Sessions.close();
    throw e;
  }
  ready = true;
  logger.info('gateway listening', { gatewayId, port, adminPort, routes: targets.list().length });

  /** Resolves when no request is active, or after `ms`. */
  const settled = (ms: number): Promise<void> =>
    active === 0
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          const timer = clock.setTimeout(resolve, ms);
          idle = () => {
            timer.cancel();
            resolve();
          };
        });
  let stopping: Promise<void> | undefined;
  const stop = async (drainTimeoutMs: number): Promise<void> => {
    draining = true;
    const closed = close(data);
    data.closeIdleConnections();
    await settled(drainTimeoutMs);
    if (active > 0) logger.warn('drain timeout: refusing queued requests and cutting the rest', { active });
    targets.closeAll('the gateway is shutting down');
    await settled(REFUSAL_GRACE_MS);
    data.closeAllConnections();
    await closed;
    await marker?.stop();
    await coordinator?.stop();
    await discovery.stop();
    agent.destroy();
    h2Sessions.close();
    admin.closeAllConnections();
    await close(admin);
    logger.info('gateway stopped', { gatewayId });
  };
  return {
    port,
    adminPort,
    gatewayId,
    stop(stopOptions) {
      stopping ??= stop(stopOptions?.drainTimeoutMs ?? options.drainTimeoutMs ?? 30_000);
      return stopping;
    },
  };
}
