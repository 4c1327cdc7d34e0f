import 'reflect-metadata';
import { container as rootContainer, type DependencyContainer, type InjectionToken } from 'tsyringe';
import {
  combine,
  ControlLoop,
  createKubeReserveActuator,
  RESERVE_ANNOTATION_KEYS,
  ReservePromMetrics,
  DeploymentTargetSource,
  KubeActuator,
  KubeEventSink,
  KubeStatusWriter,
  MetricStore,
  scalingConfigSchema,
  type Actuator,
  type Clock,
  type EventSink,
  type Logger,
  type MetricCollector,
  type PolicyPlugin,
  type StatusWriter,
  type TargetSource,
} from '@ebb/core';
import type { KubeConfig } from '@kubernetes/client-node';
import { EVENTGW_DEMAND_METRIC, RouteController } from '@ebb/plugin-eventgw';
import { ACTIVATOR_ANNOTATION_KEYS, createServingActuator } from '@ebb/traffic';
import type { ScalerConfig } from './config-file.ts';
import type { Ownership } from './ownership.ts';
import { PromObserver } from './prom-observer.ts';

/** Injection tokens of the scaler's services. tsyringe lives here, at the app's edge, and nowhere else. */
export const Tokens = {
  Config: Symbol('ScalerConfig') as InjectionToken<ScalerConfig>,
  Clock: Symbol('Clock') as InjectionToken<Clock>,
  Logger: Symbol('Logger') as InjectionToken<Logger>,
  KubeConfig: Symbol('KubeConfig') as InjectionToken<KubeConfig>,
  Plugins: Symbol('Plugins') as InjectionToken<ReadonlyMap<string, PolicyPlugin<unknown, unknown>>>,
  Collectors: Symbol('Collectors') as InjectionToken<readonly MetricCollector[]>,
  Observer: Symbol('Observer') as InjectionToken<PromObserver>,
  Ownership: Symbol('Ownership') as InjectionToken<Ownership>,
  TargetSource: Symbol('TargetSource') as InjectionToken<TargetSource>,
  Actuator: Symbol('Actuator') as InjectionToken<Actuator>,
  Events: Symbol('EventSink') as InjectionToken<EventSink>,
  Status: Symbol('StatusWriter') as InjectionToken<StatusWriter>,
  Store: Symbol('MetricStore') as InjectionToken<MetricStore>,
  Loop: Symbol('ControlLoop') as InjectionToken<ControlLoop>,
  Routes: Symbol('RouteController') as InjectionToken<RouteController>,
} as const;

/** The values the caller supplies; everything else is derived, and any token may be overridden (tests). */
export interface WiringInput {
  readonly config: ScalerConfig;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly kc: KubeConfig;
  readonly plugins: ReadonlyMap<string, PolicyPlugin<unknown, unknown>>;
  readonly collectors: readonly MetricCollector[];
  readonly ownership: Ownership;
  /** Replacement services by token. */
  readonly overrides?: ReadonlyArray<readonly [InjectionToken<unknown>, unknown]>;
}

/** Builds a child container with the scaler's services registered as singletons. */
export function buildContainer(input: WiringInput): DependencyContainer {
  const c = rootContainer.createChildContainer();
  c.register(Tokens.Config, { useValue: input.config });
  c.register(Tokens.Clock, { useValue: input.clock });
  c.register(Tokens.Logger, { useValue: input.logger });
  c.register(Tokens.KubeConfig, { useValue: input.kc });
  c.register(Tokens.Plugins, { useValue: input.plugins });
  c.register(Tokens.Collectors, { useValue: input.collectors });
  c.register(Tokens.Ownership, { useValue: input.ownership });
  const single = <T>(token: InjectionToken<T>, make: (c: DependencyContainer) => T) => {
    let value: T | undefined;
    c.register(token, { useFactory: (cc) => (value ??= make(cc)) });
  };
  single(Tokens.Observer, () => new PromObserver());
  single(Tokens.Store, () => new MetricStore());
  single(Tokens.TargetSource, (cc) => new DeploymentTargetSource(cc.resolve(Tokens.KubeConfig), { namespaces: cc.resolve(Tokens.Config).namespaces, logger: cc.resolve(Tokens.Logger) }));
  // Reserve instances: the reserve swap decorates the plain actuator; activator mode decorates the reserve swap
  // (both start and stop with the loop).
  single(Tokens.Actuator, (cc) => {
    const config = cc.resolve(Tokens.Config);
    const reserve = createKubeReserveActuator(cc.resolve(Tokens.KubeConfig), {
      inner: new KubeActuator(cc.resolve(Tokens.KubeConfig), { stillOwns: (key) => cc.resolve(Tokens.Ownership).owns(key) }),
      clock: cc.resolve(Tokens.Clock),
      events: cc.resolve(Tokens.Events),
      namespaces: cc.resolve(Tokens.Config).namespaces,
      logger: cc.resolve(Tokens.Logger),
      observer: new ReservePromMetrics(cc.resolve(Tokens.Observer).registry),
    });
    return createServingActuator(cc.resolve(Tokens.KubeConfig), {
      inner: reserve,
      events: cc.resolve(Tokens.Events),
      namespaces: config.namespaces,
      gateway: config.activator?.gatewayPods,
      owns: (key) => cc.resolve(Tokens.Ownership).owns(key),
      clock: cc.resolve(Tokens.Clock),
      logger: cc.resolve(Tokens.Logger),
    });
  });
  single(Tokens.Events, (cc) => new KubeEventSink(cc.resolve(Tokens.KubeConfig), cc.resolve(Tokens.Clock), cc.resolve(Tokens.Logger)));
  single(Tokens.Status, (cc) => new KubeStatusWriter(cc.resolve(Tokens.KubeConfig)));
  // HTTPRoutes: which versions routes reach, and route status, written by the holder of shard 0's Lease only.
  single(Tokens.Routes, (cc) => {
    const ownership = cc.resolve(Tokens.Ownership);
    const clock = cc.resolve(Tokens.Clock);
    const store = cc.resolve(Tokens.Store);
    // A rollout step prepares pods for its share of the current demand: the gateways' average of the last 3 s per
    // version (maxima would add up to more than the route's demand while traffic moves between versions).
    const inFlight = (key: string) => store.view(key).window(EVENTGW_DEMAND_METRIC)?.average(clock.now(), 3000);
    return new RouteController(cc.resolve(Tokens.KubeConfig), { namespaces: cc.resolve(Tokens.Config).namespaces, writesStatus: () => ownership.leading().includes(0), inFlight, clock, logger: cc.resolve(Tokens.Logger) });
  });
  single(
    Tokens.Loop,
    (cc) => {
      const ownership = cc.resolve(Tokens.Ownership);
      return new ControlLoop({
        clock: cc.resolve(Tokens.Clock),
        source: cc.resolve(Tokens.TargetSource),
        actuator: cc.resolve(Tokens.Actuator),
        events: cc.resolve(Tokens.Events),
        status: cc.resolve(Tokens.Status),
        plugins: cc.resolve(Tokens.Plugins),
        scalingSchema: scalingConfigSchema,
        combine: combine,
        store: cc.resolve(Tokens.Store),
        collectors: cc.resolve(Tokens.Collectors),
        observer: cc.resolve(Tokens.Observer),
        logger: cc.resolve(Tokens.Logger),
        tickIntervalMs: cc.resolve(Tokens.Config).tickIntervalMs,
        owns: (key) => ownership.owns(key),
        // The reserve's annotations are read by the reserve actuator, not by a plugin.
        extraKeys: [...RESERVE_ANNOTATION_KEYS, ...ACTIVATOR_ANNOTATION_KEYS],
        reachability: cc.resolve(Tokens.Routes),
        floors: cc.resolve(Tokens.Routes),
      });
    },
  );
  for (const [token, value] of input.overrides ?? []) c.register(token, { useValue: value });
  return c;
}
