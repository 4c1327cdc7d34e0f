import { loadKubeConfig, silentLogger, systemClock, type Clock, type CollectorProvider, type Logger, type MetricCollector, type PluginManifest, type PolicyPlugin } from '@ebb/core';
import type { KubeConfig } from '@kubernetes/client-node';
import { createGatewayStatsCollector } from '../collector/gateway-stats-collector.ts';
import { podGatewayReplicas, staticGatewayReplicas, type GatewayReplicas } from '../collector/gateway-replicas.ts';
import { eventGatewayConfigSchema, type EventGatewayConfig } from '../config/eventgw-config.ts';
import { EVENTGW_PLUGIN_ID } from '../config/eventgw-fields.ts';
import { resolveEventGatewayPluginOptions } from './plugin-options.ts';
import { eventGatewayMetricNeeds, recommendEventGateway } from './recommend-eventgw.ts';

/** The eventgw plugin's manifest: id `eventgw`, so its annotations are `ebb.dev/eventgw.*`. */
export const EVENTGW_MANIFEST: PluginManifest = {
  id: EVENTGW_PLUGIN_ID,
  version: '0.1.0',
  coreVersion: '^0.1.0',
  description: 'Event gateway: exactly ceil((in-flight + queued) / containerConcurrency) pods, from the gateway\'s request figures.',
};

/** The eventgw policy plugin, which also brings the gateway stats collector when gateway replicas are named. */
export type EventGatewayPlugin = PolicyPlugin<EventGatewayConfig, undefined> & CollectorProvider;

/** Every replica source the options name, as one. */
function replicasOf(sources: readonly GatewayReplicas[]): GatewayReplicas {
  return {
    async urls() {
      const lists = await Promise.all(sources.map((s) => s.urls()));
      return [...new Set(lists.flat())];
    },
    async close() {
      await Promise.all(sources.map((s) => s.close?.()));
    },
  };
}

/** What the host (the scaler) lends the plugin: its cluster access, clock and logger. */
export interface EventGatewayPluginContext {
  /** The cluster access for `gatewayPods` (default: the usual kubeconfig lookup). */
  readonly kubeConfig?: () => KubeConfig;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

/**
 * Creates the eventgw policy plugin.
 * @param options from the scaler's config file (`pluginOptions.eventgw`), see {@link resolveEventGatewayPluginOptions}.
 * @param context the scaler's cluster access, clock and logger, used to find the gateway's pods (`gatewayPods`).
 * @throws EbbError `EBB_CONFIG_FILE_INVALID` when an option is invalid (at start-up, not at the first tick).
 */
export function createEventGatewayPlugin(options?: unknown, context: EventGatewayPluginContext = {}): EventGatewayPlugin {
  const o = resolveEventGatewayPluginOptions(options);
  let collectors: readonly MetricCollector[] | undefined;
  return {
    manifest: EVENTGW_MANIFEST,
    config: eventGatewayConfigSchema,
    metrics: eventGatewayMetricNeeds,
    recommend: recommendEventGateway,
    collectors() {
      if (collectors) return collectors;
      const sources: GatewayReplicas[] = [];
      if (o.gateways?.length) sources.push(staticGatewayReplicas(o.gateways));
      if (o.gatewayPods) {
        const kc = context.kubeConfig?.() ?? loadKubeConfig().kc;
        sources.push(podGatewayReplicas(kc, o.gatewayPods, context.clock ?? systemClock, context.logger ?? silentLogger));
      }
      collectors = sources.length
        ? [
            createGatewayStatsCollector({
              replicas: replicasOf(sources),
              ...(o.pollTimeoutMs === undefined ? {} : { timeoutMs: o.pollTimeoutMs }),
              ...(o.sharedMetrics === undefined ? {} : { sharedMetrics: o.sharedMetrics }),
            }),
          ]
        : [];
      return collectors;
    },
  };
}
