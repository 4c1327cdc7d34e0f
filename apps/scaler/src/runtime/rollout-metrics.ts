import { Gauge, type Registry } from 'prom-client';
import type { RolloutState } from '@ebb/plugin-eventgw';

/** A route with its rollout state, as {@link registerRolloutMetrics} reads it at each scrape. */
export interface RouteRollout {
  /** `namespace/name` of the HTTPRoute. */
  readonly route: string;
  readonly state: RolloutState;
}

/**
 * The routes' rollouts as Prometheus metrics, read from the routes' `ebb.dev/rollout-state` at each scrape (every
 * replica shows the same figures): `ebb_rollout_weight{route,backend}` the effective percent of each version,
 * `ebb_rollout_step{route}` the steps taken (-1 when no rollout runs), `ebb_rollout_stalled{route}` 1 when stopped.
 */
export function registerRolloutMetrics(registry: Registry, rollouts: () => readonly RouteRollout[]): void {
  new Gauge({
    name: 'ebb_rollout_weight',
    help: 'Effective percent of a version of an HTTPRoute with rollout keys (the split the gateways apply)',
    labelNames: ['route', 'backend'],
    registers: [registry],
    collect() {
      this.reset();
      for (const r of rollouts()) for (const [backend, percent] of Object.entries(r.state.current)) this.set({ route: r.route, backend }, percent);
    },
  });
  new Gauge({
    name: 'ebb_rollout_step',
    help: 'Steps a gradual rollout of an HTTPRoute has taken; -1 when none runs',
    labelNames: ['route'],
    registers: [registry],
    collect() {
      this.reset();
      for (const r of rollouts()) this.set({ route: r.route }, r.state.to ? (r.state.step ?? 0) : -1);
    },
  });
  new Gauge({
    name: 'ebb_rollout_stalled',
    help: '1 when the rollout of an HTTPRoute stopped (a version did not get Ready pods within the progress deadline)',
    labelNames: ['route'],
    registers: [registry],
    collect() {
      this.reset();
      for (const r of rollouts()) this.set({ route: r.route }, r.state.stalled ? 1 : 0);
    },
  });
}
