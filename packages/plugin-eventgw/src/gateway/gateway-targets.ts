import type { Clock, GatewayStatsReport, GatewayTargetStats, TargetKey } from '@ebb/core';
import { TargetDispatcher } from './dispatcher.ts';
import { RouteTable } from './route-table.ts';
import { sameEndpoints, sameRoute, type GatewayEndpoint, type TargetRoute } from './target-route.ts';

/** One routed target inside a gateway replica: its route, slots and queue, and its counters. */
export interface GatewayTarget {
  route: TargetRoute;
  readonly dispatcher: TargetDispatcher;
  /** Requests routed to the target since the gateway started. */
  requestCount: number;
  /** Requests that found no ready endpoint on arrival since the gateway started. */
  coldStarts: number;
}

/** Listener for targets that stop being routed (to drop their metric series). */
export type TargetRemovedListener = (key: TargetKey) => void;

/**
 * The targets one gateway replica routes: the route table plus per-target dispatchers and counters. Routes and
 * endpoints arrive separately (from discovery); endpoints of a target not (yet) routed are kept until it is.
 */
export class GatewayTargets {
  readonly table = new RouteTable();
  private readonly clock: Clock;
  private readonly targets = new Map<TargetKey, GatewayTarget>();
  private readonly endpoints = new Map<TargetKey, readonly GatewayEndpoint[]>();
  private readonly removed = new Set<TargetRemovedListener>();

  private readonly createDispatcher: (route: TargetRoute) => TargetDispatcher;

  /** @param createDispatcher makes a target's dispatcher (default: one with every slot of every pod). */
  constructor(clock: Clock, createDispatcher?: (route: TargetRoute) => TargetDispatcher) {
    this.clock = clock;
    this.createDispatcher = createDispatcher ?? ((route) => new TargetDispatcher(route, clock));
  }

  /** Calls `listener` whenever a target stops being routed. */
  onRemoved(listener: TargetRemovedListener): void {
    this.removed.add(listener);
  }

  get(key: TargetKey): GatewayTarget | undefined {
    return this.targets.get(key);
  }

  list(): readonly GatewayTarget[] {
    return [...this.targets.values()];
  }

  /** Adds or updates a target's route; a route without hosts (and not an HTTPRoute backend) removes the target. */
  setRoute(route: TargetRoute): void {
    if (route.hosts.length === 0 && !route.httpRouteBackend) return this.removeRoute(route.key);
    const existing = this.targets.get(route.key);
    if (existing) {
      if (sameRoute(existing.route, route)) return;
      existing.route = route;
      existing.dispatcher.setLimits(route);
    } else {
      const dispatcher = this.createDispatcher(route);
      dispatcher.setEndpoints(this.endpoints.get(route.key) ?? []);
      this.targets.set(route.key, { route, dispatcher, requestCount: 0, coldStarts: 0 });
    }
    this.table.set(route);
  }

  /** Stops routing `key`: its waiters get 503 at once; requests in flight finish. */
  removeRoute(key: TargetKey): void {
    const target = this.targets.get(key);
    this.table.delete(key);
    if (!target) return;
    this.targets.delete(key);
    target.dispatcher.close(`${key} is no longer routed by this gateway`);
    for (const l of this.removed) l(key);
  }

  /** Replaces the ready endpoints of `key` (empty when it has none). */
  setEndpoints(key: TargetKey, endpoints: readonly GatewayEndpoint[]): void {
    const previous = this.endpoints.get(key);
    if (previous && sameEndpoints(previous, endpoints)) return;
    if (endpoints.length === 0) this.endpoints.delete(key);
    else this.endpoints.set(key, endpoints);
    this.targets.get(key)?.dispatcher.setEndpoints(endpoints);
  }

  /** Forgets the endpoints of `key` (its Deployment went away). */
  forgetEndpoints(key: TargetKey): void {
    this.setEndpoints(key, []);
  }

  /** Refuses every waiter of every target (shutdown). */
  closeAll(reason: string): void {
    for (const t of this.targets.values()) t.dispatcher.close(reason);
  }

  /** Waiting plus in-flight requests over all targets. */
  busy(): number {
    let n = 0;
    for (const t of this.targets.values()) n += t.dispatcher.inFlight + t.dispatcher.queued;
    return n;
  }

  /** This replica's figures, as `GET /stats` answers them. */
  report(gateway: string, startedMs: number): GatewayStatsReport {
    const timeMs = this.clock.now();
    const targets: GatewayTargetStats[] = [...this.targets.values()]
      .map((t) => {
        const totals = t.dispatcher.demandTotals(timeMs);
        return {
          target: t.route.key,
          inFlight: t.dispatcher.inFlight,
          queued: t.dispatcher.queued,
          requestCount: t.requestCount,
          coldStarts: t.coldStarts,
          readyEndpoints: t.dispatcher.readyEndpoints,
          containerConcurrency: t.dispatcher.containerConcurrency,
          demandMsTotal: totals.demandMs,
          inFlightMsTotal: totals.inFlightMs,
        };
      })
      .sort((a, b) => (a.target < b.target ? -1 : a.target > b.target ? 1 : 0));
    return { gateway, timeMs, startedMs, targets };
  }
}
