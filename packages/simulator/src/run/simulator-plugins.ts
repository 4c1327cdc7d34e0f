import { PluginRegistry, type PolicyPlugin } from '@ebb/core';
import { createCronPlugin } from '@ebb/plugin-cron';
import { createEventGatewayPlugin } from '@ebb/plugin-eventgw';
import { createHpaPlugin } from '@ebb/plugin-hpa';
import { createKpaPlugin } from '@ebb/plugin-kpa';
import { createPlugin as createPrewarmPlugin } from '@ebb/plugin-prewarm';

/**
 * The built-in policy plugins, created and registered as the scaler does (checked manifests), with cron's
 * default time zone. The eventgw plugin gets no gateway: the simulator records its metrics itself.
 */
export function simulatorPlugins(timezone: string): ReadonlyMap<string, PolicyPlugin<unknown, unknown>> {
  const plugins = [createCronPlugin({ defaultTimezone: timezone }), createEventGatewayPlugin(), createHpaPlugin(), createKpaPlugin(), createPrewarmPlugin()];
  return PluginRegistry.of(plugins as unknown as Array<PolicyPlugin<unknown, unknown>>).plugins();
}
