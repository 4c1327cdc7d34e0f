import { CoreV1Api, makeInformer, type KubeConfig, type V1Service } from '@kubernetes/client-node';
import { targetKey, type Clock, type Logger, type TargetKey } from '@ebb/core';
import { ResilientInformer } from './resilient-informer.ts';

/**
 * Label of a Service that Ebb owns for a Deployment in activator mode; its value is the Deployment's name. The
 * gateway routes the Service's names and ClusterIPs to that Deployment (requests reach the gateway through the
 * Service in Proxy mode, with the Host the client used).
 */
export const ACTIVATOR_TARGET_LABEL = 'ebb.dev/activator-for';

/**
 * The host names a client may use for a Service: `svc`, `svc.ns`, `svc.ns.svc`, `svc.ns.svc.<cluster domain>` and
 * every ClusterIP. Example: `coffee-ebb` in `shop` with 10.96.4.2 -> coffee-ebb, coffee-ebb.shop,
 * coffee-ebb.shop.svc, coffee-ebb.shop.svc.cluster.local, 10.96.4.2.
 */
export function serviceHosts(service: V1Service, clusterDomain: string): string[] {
  const name = service.metadata?.name ?? '';
  const ns = service.metadata?.namespace ?? 'default';
  const ips = (service.spec?.clusterIPs ?? (service.spec?.clusterIP ? [service.spec.clusterIP] : [])).filter((ip) => ip && ip !== 'None');
  return [name, `${name}.${ns}`, `${name}.${ns}.svc`, `${name}.${ns}.svc.${clusterDomain}`, ...ips.map((ip) => (ip.includes(':') ? `[${ip}]` : ip))];
}

/** The Deployment a Service belongs to: its label names it, and the Service is owned by a Deployment of that name. */
export function activatorTargetOf(service: V1Service): TargetKey | undefined {
  const name = service.metadata?.labels?.[ACTIVATOR_TARGET_LABEL];
  if (!name) return undefined;
  const owned = (service.metadata?.ownerReferences ?? []).some((o) => o.kind === 'Deployment' && o.name === name);
  return owned ? targetKey({ namespace: service.metadata?.namespace ?? 'default', name }) : undefined;
}

/**
 * Watches the Services Ebb owns for activator-mode Deployments and keeps the hosts each one adds to its
 * Deployment's route. A Service not owned by the Deployment its label names adds nothing (the gateway never routes
 * a Deployment that did not opt in).
 */
export class ActivatorServices {
  private readonly informers: ResilientInformer<V1Service>[] = [];
  private readonly hosts = new Map<TargetKey, Map<string, readonly string[]>>();

  constructor(kc: KubeConfig, namespaces: readonly string[], onChange: (key: TargetKey) => void, clock: Clock, logger: Logger, clusterDomain = 'cluster.local') {
    const core = kc.makeApiClient(CoreV1Api);
    const labelSelector = ACTIVATOR_TARGET_LABEL;
    for (const namespace of namespaces.length ? namespaces : [undefined]) {
      const informer = namespace
        ? makeInformer<V1Service>(kc, `/api/v1/namespaces/${namespace}/services`, () => core.listNamespacedService({ namespace, labelSelector }), labelSelector)
        : makeInformer<V1Service>(kc, '/api/v1/services', () => core.listServiceForAllNamespaces({ labelSelector }), labelSelector);
      const set = (s: V1Service, hosts: readonly string[] | undefined) => {
        const key = activatorTargetOf(s);
        const id = `${s.metadata?.namespace}/${s.metadata?.name}`;
        for (const [k, byService] of this.hosts) if (k !== key && byService.delete(id)) onChange(k);
        if (!key) return;
        const byService = this.hosts.get(key) ?? new Map<string, readonly string[]>();
        const before = JSON.stringify(byService.get(id) ?? null);
        if (hosts) byService.set(id, hosts);
        else byService.delete(id);
        if (byService.size) this.hosts.set(key, byService);
        else this.hosts.delete(key);
        if (JSON.stringify(hosts ?? null) !== before) onChange(key);
      };
      informer.on('add', (s) => set(s, serviceHosts(s, clusterDomain)));
      informer.on('update', (s) => set(s, serviceHosts(s, clusterDomain)));
      informer.on('delete', (s) => set(s, undefined));
      this.informers.push(new ResilientInformer(`activator Services in ${namespace ?? 'all namespaces'}`, informer, clock, logger));
    }
  }

  /** The hosts the Services of `key` add (empty when it has none). */
  hostsOf(key: TargetKey): readonly string[] {
    return [...(this.hosts.get(key)?.values() ?? [])].flat();
  }

  async start(): Promise<void> {
    await Promise.all(this.informers.map((i) => i.start()));
  }

  async stop(): Promise<void> {
    await Promise.all(this.informers.map((i) => i.stop()));
  }
}
