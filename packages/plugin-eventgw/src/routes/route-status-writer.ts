import { CustomObjectsApi, PatchStrategy, setHeaderOptions, type KubeConfig } from '@kubernetes/client-node';
import { silentLogger, systemClock, type Clock, type Logger } from '@ebb/core';
import { EBB_GATEWAY_CONTROLLER, GATEWAY_API_GROUP } from './gateway-api-types.ts';
import { routeKeyOf } from './compile-routes.ts';
import { nextRouteParents } from './route-status.ts';
import type { RouteSnapshot } from './route-watch.ts';

/**
 * Writes Ebb's entries of HTTPRoute `status.parents` from a snapshot: only where they differ from what the route
 * carries (no write when unchanged), with the route's resourceVersion, so that a write racing another change
 * fails with a conflict and the next snapshot writes again. Call it from one writer only (the scaler's leader).
 */
export class RouteStatusWriter {
  private readonly api: CustomObjectsApi;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly controllerName: string;

  constructor(kc: KubeConfig, options: { clock?: Clock; logger?: Logger; controllerName?: string } = {}) {
    this.api = kc.makeApiClient(CustomObjectsApi);
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.controllerName = options.controllerName ?? EBB_GATEWAY_CONTROLLER;
  }

  /** Brings every route's status in line with `s`; resolves with the number of routes written. Never throws. */
  async write(s: RouteSnapshot): Promise<number> {
    const nowIso = new Date(this.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    let written = 0;
    for (const route of s.routes) {
      const key = routeKeyOf(route);
      const next = nextRouteParents(route.status?.parents, s.compiled.statuses.get(key)?.parents ?? [], this.controllerName, nowIso);
      if (!next) continue;
      const namespace = route.metadata?.namespace ?? '';
      const name = route.metadata?.name ?? '';
      try {
        await this.api.patchNamespacedCustomObjectStatus(
          {
            group: GATEWAY_API_GROUP,
            version: 'v1',
            namespace,
            plural: 'httproutes',
            name,
            body: { metadata: { resourceVersion: route.metadata?.resourceVersion }, status: { parents: next } },
            fieldManager: 'ebb',
          },
          setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
        );
        written++;
      } catch (e) {
        const code = (e as { code?: number }).code;
        // A conflict or a route gone: the watch brings the new state, and the write after it settles this.
        if (code !== 409 && code !== 404) this.logger.warn('could not write HTTPRoute status', { route: key, error: String(e) });
      }
    }
    return written;
  }
}
