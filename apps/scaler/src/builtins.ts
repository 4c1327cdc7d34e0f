import { EbbError, ErrorCodes } from '@ebb/core';
import { createCronPlugin, type CronPluginOptions } from '@ebb/plugin-cron';
import { createEventGatewayPlugin } from '@ebb/plugin-eventgw';
import { createHpaPlugin, type HpaPluginOptions } from '@ebb/plugin-hpa';
import { createKpaPlugin, type KpaOptions } from '@ebb/plugin-kpa';
import { createPlugin as createPrewarmPlugin } from '@ebb/plugin-prewarm';
import type { PluginFactory } from './runtime/plugin-loader.ts';

/** Options from the config file must be a mapping (or absent) before a factory sees them. */
function mapping<T>(id: string, options: unknown): T {
  if (options === undefined || options === null) return {} as T;
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new EbbError(ErrorCodes.CONFIG_FILE_INVALID, `pluginOptions.${id}: expected a mapping of option names to values, got ${JSON.stringify(options)}`);
  }
  return options as T;
}

/**
 * The built-in policy plugins by id, in one sorted list. Adding one: export a factory from its package and add
 * a line here (see docs/plugins.md).
 */
export const BUILTIN_FACTORIES: Readonly<Record<string, PluginFactory>> = {
  cron: (o) => createCronPlugin(mapping<CronPluginOptions>('cron', o)),
  // The gateway-pods lookup uses the scaler's cluster access.
  eventgw: (o, ctx) => createEventGatewayPlugin(o, ctx),
  // The HPA's collectors (metrics.k8s.io, custom and external metrics, PromQL) use the scaler's cluster access.
  hpa: (o, ctx) => createHpaPlugin({ podMetrics: () => ({ kubeConfig: ctx.kubeConfig(), clock: ctx.clock, logger: ctx.logger }), ...mapping<HpaPluginOptions>('hpa', o) }),
  // The KPA's collectors (pod scraping, PromQL), when configured, use the scaler's cluster access.
  kpa: (o, ctx) => createKpaPlugin({ ...mapping<KpaOptions>('kpa', o), kubeConfig: ctx.kubeConfig, logger: ctx.logger }),
  prewarm: (o) => createPrewarmPlugin(o),
};
