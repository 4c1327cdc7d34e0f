import { CustomObjectsApi, PatchStrategy, setHeaderOptions, type KubeConfig } from '@kubernetes/client-node';
import { silentLogger, systemClock, type Clock, type Logger } from '@ebb/core';
import { EBB_GATEWAY_CONTROLLER, GATEWAY_API_GROUP, type ObjectMetaView } from './gateway-api-types.ts';
import { routeKeyOf } from './compile-routes.ts';
import { gatewayClassConditions, gatewayStatusPlan, nextObjectStatus } from './gateway-status.ts';
import { nextRouteParents } from './route-status.ts';
import type { RouteSnapshot } from './route-watch.ts';

/**
 * Writes the status Ebb owns from a snapshot: its entries of HTTPRoute `status.parents`, and the conditions (and
 * listeners) of the GatewayClasses and Gateways of its class. Only where they differ from what the object carries
 * (no write when unchanged), with the object's resourceVersion, so that a write racing another change fails with
 * a conflict and the next snapshot writes again. Call it from one writer only (the scaler's leader).
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

  /** Brings every object's status in line with `s`; resolves with the number of objects written. Never throws. */
  async write(s: RouteSnapshot): Promise<number> {
    const nowIso = new Date(this.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    let written = 0;
    const ours = new Set<string>();
    for (const cls of s.gatewayClasses) {
      if (cls.spec?.controllerName !== this.controllerName) continue;
      ours.add(cls.metadata?.name ?? '');
      const next = nextObjectStatus(cls.status, { conditions: gatewayClassConditions(cls.metadata?.generation) }, nowIso);
      if (next && (await this.patch('gatewayclasses', cls.metadata, { conditions: next.conditions }))) written++;
    }
    for (const gw of s.gateways) {
      if (!ours.has(gw.spec?.gatewayClassName ?? '')) continue;
      const key = `${gw.metadata?.namespace ?? ''}/${gw.metadata?.name ?? ''}`;
      const next = nextObjectStatus(gw.status, gatewayStatusPlan(gw, s.compiled.attachedRoutes.get(key)), nowIso);
      if (next && (await this.patch('gateways', gw.metadata, next))) written++;
    }
    for (const route of s.routes) {
      const next = nextRouteParents(route.status?.parents, s.compiled.statuses.get(routeKeyOf(route))?.parents ?? [], this.controllerName, nowIso);
      if (next && (await this.patch('httproutes', route.metadata, { parents: next }))) written++;
    }
    return written;
  }

  /** A merge patch of the status of one object (cluster-scoped without a namespace); true when written. */
  private async patch(plural: string, meta: ObjectMetaView | undefined, status: object): Promise<boolean> {
    const name = meta?.name ?? '';
    const body = { metadata: { resourceVersion: meta?.resourceVersion }, status };
    const options = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
    try {
      if (meta?.namespace) await this.api.patchNamespacedCustomObjectStatus({ group: GATEWAY_API_GROUP, version: 'v1', namespace: meta.namespace, plural, name, body, fieldManager: 'ebb' }, options);
      else await this.api.patchClusterCustomObjectStatus({ group: GATEWAY_API_GROUP, version: 'v1', plural, name, body, fieldManager: 'ebb' }, options);
      return true;
    } catch (e) {
      const code = (e as { code?: number }).code;
      // A conflict or an object gone: the watch brings the new state, and the write after it settles this.
      if (code !== 409 && code !== 404) this.logger.warn(`could not write the status of ${plural}`, { name: meta?.namespace ? `${meta.namespace}/${name}` : name, error: String(e) });
      return false;
    }
  }
}
