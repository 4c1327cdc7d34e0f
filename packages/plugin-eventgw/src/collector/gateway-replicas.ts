import { CoreV1Api, makeInformer, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { silentLogger, systemClock, type Clock, type Logger } from '@ebb/core';
import { isPodServing } from '../discovery/pod-endpoints.ts';
import { ResilientInformer } from '../discovery/resilient-informer.ts';
import type { GatewayPodsOptions } from '../policy/plugin-options.ts';

/** The gateway replicas to poll, as admin base URLs. */
export interface GatewayReplicas {
  /** The admin base URLs now. @throws when they cannot be found (the round fails). */
  urls(): Promise<readonly string[]>;
  close?(): Promise<void>;
}

/** A fixed list of admin base URLs. */
export function staticGatewayReplicas(urls: readonly string[]): GatewayReplicas {
  const list = urls.map((u) => u.replace(/\/+$/, ''));
  return { urls: async () => list };
}

/** `http://<ip>:<port>`, with brackets for IPv6. */
export function adminUrl(ip: string, port: number): string {
  return `http://${ip.includes(':') ? `[${ip}]` : ip}:${port}`;
}

/**
 * The Ready pods of the gateway Deployment, found by label and kept current by a watch started on the first
 * call (so a scaler that never needs gateway stats never opens it).
 */
export function podGatewayReplicas(kc: KubeConfig, options: GatewayPodsOptions, clock: Clock = systemClock, logger: Logger = silentLogger): GatewayReplicas {
  const { namespace, labelSelector } = options;
  const port = options.adminPort ?? 9090;
  const core = kc.makeApiClient(CoreV1Api);
  const informer = makeInformer<V1Pod>(kc, `/api/v1/namespaces/${namespace}/pods`, () => core.listNamespacedPod({ namespace, labelSelector }), labelSelector);
  const pods = new ResilientInformer(`gateway pods (${labelSelector}) in ${namespace}`, informer, clock, logger);
  let started: Promise<void> | undefined;
  return {
    async urls() {
      started ??= pods.start().catch((e: unknown) => {
        started = undefined;
        throw e;
      });
      await started;
      return pods.cache
        .list(namespace)
        .filter(isPodServing)
        .map((p) => adminUrl(p.status?.podIP ?? '', port))
        .sort();
    },
    async close() {
      if (started) await pods.stop();
    },
  };
}
