import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { GatewayProtocol, isCollectorProvider, loadKubeConfig, parseTargetKey, PluginRegistry, systemClock, type Clock, type Decision, type Logger, type MetricCollector } from '@ebb/core';
import type { KubeConfig } from '@kubernetes/client-node';
import { createPodMetricsCollector, HPA_PLUGIN_ID, POD_METRICS_SNAPSHOT } from '@ebb/plugin-hpa';
import type { InjectionToken } from 'tsyringe';
import type { ScalerConfig } from './config-file.ts';
import { startHttpServer } from './http-server.ts';
import { jsonLogger } from './logger.ts';
import { leaseOwnership, ownsAll } from './ownership.ts';
import { loadPlugins, type PluginFactory } from './plugin-loader.ts';
import { buildContainer, Tokens } from './wiring.ts';
import { ServingActuator } from '@ebb/traffic';
import { registerRolloutMetrics } from './rollout-metrics.ts';

/** A running scaler (what `ebb run` starts). */
export interface RunningScaler {
  readonly port: number;
  readonly identity: string;
  /** True once the target watch has synced. */
  ready(): boolean;
  /** Evaluates a target without acting. */
  explain(key: string): Decision | { readonly invalid: readonly string[] } | undefined;
  /** Graceful shutdown: not ready, stop ticks and collectors, release leases, close HTTP. */
  stop(): Promise<void>;
}

/** Inputs of {@link startScaler}; all but `config` have production defaults. */
export interface StartScalerOptions {
  readonly config: ScalerConfig;
  readonly builtins: Readonly<Record<string, PluginFactory>>;
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly kc?: KubeConfig;
  readonly collectors?: readonly MetricCollector[];
  readonly identity?: string;
  readonly overrides?: ReadonlyArray<readonly [InjectionToken<unknown>, unknown]>;
}

/** Starts the scaler: plugins validated first (a wiring mistake fails here, with a coded error), then the loop. */
export async function startScaler(o: StartScalerOptions): Promise<RunningScaler> {
  const { config } = o;
  const clock = o.clock ?? systemClock;
  const identity = o.identity ?? `${hostname()}-${randomBytes(3).toString('hex')}`;
  const logger = o.logger ?? jsonLogger({ level: config.logLevel, clock, base: { component: 'ebb-scaler', identity } });
  let loadedKc = o.kc;
  const kubeConfig = () => (loadedKc ??= loadKubeConfig(config.kubeconfig).kc);
  const registry = new PluginRegistry();
  for (const plugin of await loadPlugins(config.plugins, o.builtins, config.pluginOptions, { kubeConfig, clock, logger })) registry.register(plugin);
  registry.validate();
  const kc = kubeConfig();
  const observer = { leaderGauge: undefined as undefined | ((shard: number, leading: boolean) => void) };
  const ownership = config.leaderElection.enabled
    ? leaseOwnership(kc, {
        ...config.leaderElection,
        identity,
        shards: config.shards,
        maxShardsPerReplica: config.maxShardsPerReplica,
        clock,
        logger,
        onChange: (shard, leading) => observer.leaderGauge?.(shard, leading),
      })
    : ownsAll;
  const collectors = [...(o.collectors ?? []), ...[...registry.plugins().values()].flatMap((p) => (isCollectorProvider(p) ? p.collectors() : []))];
  // The HPA reads pod CPU/memory from metrics.k8s.io: one PodMetrics list per namespace per round.
  if (registry.plugins().has(HPA_PLUGIN_ID) && !collectors.some((c) => c.provides.includes(POD_METRICS_SNAPSHOT))) {
    collectors.push(createPodMetricsCollector({ kubeConfig: kc, clock, logger }));
  }
  const c = buildContainer({ config, clock, logger, kc, plugins: registry.plugins(), collectors, ownership, ...(o.overrides ? { overrides: o.overrides } : {}) });
  const prom = c.resolve(Tokens.Observer);
  observer.leaderGauge = (shard, leading) => prom.leader.set({ lease: config.shards === 1 ? config.leaderElection.name : `${config.leaderElection.name}-${shard}` }, leading ? 1 : 0);
  const loop = c.resolve(Tokens.Loop);
  const actuator = c.resolve(Tokens.Actuator);
  if (actuator instanceof ServingActuator) actuator.onChange((key) => loop.poke(key, 'activator: the Service switched'));
  let synced = false;
  let stopping = false;
  const http = await startHttpServer({
    host: config.http.host,
    port: config.http.port,
    registry: prom.registry,
    healthy: () => true,
    ready: () => synced && !stopping,
    routes: {
      '/explain': async (_req, url) => {
        const key = url.searchParams.get('target') ?? '';
        const result = loop.explain(key);
        return result ? { status: 200, body: { target: key, ...result } } : { status: 404, body: { error: `target ${key} is not known to this scaler (label ebb.dev/autoscale=true?)` } };
      },
    },
    postRoutes: {
      // A gateway holding a request for a target at zero: tick that target now, not at the next tick.
      [GatewayProtocol.pokePath]: async (_req, url) => {
        const key = url.searchParams.get('target') ?? '';
        if (!parseTargetKey(key)) return { status: 400, body: { error: `invalid target "${key}": expected ?target=NAMESPACE/NAME` } };
        if (!loop.registry.get(key)) return { status: 404, body: { error: `target ${key} is not known to this scaler` } };
        loop.wake(key, 'gateway: request waiting');
        return { status: 202, body: { poked: key } };
      },
    },
  });
  const routes = c.resolve(Tokens.Routes);
  registerRolloutMetrics(prom.registry, () => routes.rollouts());
  routes.onChange((changed) => changed.forEach((key) => loop.poke(key, 'route reachability or rollout floor changed')));
  ownership.start();
  await routes.start();
  await loop.start();
  synced = true;
  logger.info('scaler started', { port: http.port, plugins: [...registry.plugins().keys()], namespaces: config.namespaces, leaderElection: config.leaderElection.enabled, shards: config.shards });
  return {
    port: http.port,
    identity,
    ready: () => synced && !stopping,
    explain: (key) => loop.explain(key),
    stop: async () => {
      if (stopping) return;
      stopping = true;
      logger.info('scaler stopping');
      await loop.stop();
      await routes.stop();
      await ownership.stop();
      await http.close();
    },
  };
}
