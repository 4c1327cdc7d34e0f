import { loadKubeConfig, type CollectorProvider, type MetricCollector, type PluginManifest, type PolicyPlugin } from '@ebb/core';
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

/**
 * Creates the eventgw policy plugin.
 * @param options from the scaler's config file (`pluginOptions.eventgw`), see {@link resolveEventGatewayPluginOptions}.
 * @throws EbbError `EBB_CONFIG_FILE_INVALID` when an option is invalid (at start-up, not at the first tick).
 */
export function createEventGatewayPlugin(options?: unknown): EventGatewayPlugin {
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
      if (o.gatewayPods) sources.push(podGatewayReplicas(loadKubeConfig().kc, o.gatewayPods));
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
