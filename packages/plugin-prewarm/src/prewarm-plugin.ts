import { EbbError, ErrorCodes, type PolicyPlugin } from '@ebb/core';
import { METRIC_RETENTION_MS } from './demand-tracker.ts';
import { prewarmConfigSchema, type PrewarmConfig } from './prewarm-config.ts';
import type { PrewarmState } from './prewarm-state.ts';
import { recommendPrewarm } from './recommend-prewarm.ts';

/** The plugin's id: its annotation namespace `ebb.dev/prewarm.*` and its key in `pluginOptions`. */
export const PREWARM_PLUGIN_ID = 'prewarm';

/** The prewarm policy plugin. */
export type PrewarmPlugin = PolicyPlugin<PrewarmConfig, PrewarmState>;

/**
 * Creates the plugin. It takes no options (everything is per target, in annotations).
 * @throws EbbError `EBB_CONFIG_FILE_INVALID` when options are given.
 */
export function createPlugin(options?: unknown): PrewarmPlugin {
  if (options !== undefined && options !== null && !(typeof options === 'object' && !Array.isArray(options) && Object.keys(options).length === 0)) {
    throw new EbbError(ErrorCodes.CONFIG_FILE_INVALID, `pluginOptions.${PREWARM_PLUGIN_ID}: the plugin takes no options (settings are annotations ebb.dev/prewarm.*), got ${JSON.stringify(options)}`);
  }
  return {
    manifest: {
      id: PREWARM_PLUGIN_ID,
      version: '0.1.0',
      coreVersion: '^0.1.0',
      description: 'Learned keep-alive and pre-warming: a histogram of idle times per target (the hybrid histogram policy of "Serverless in the Wild").',
    },
    config: prewarmConfigSchema,
    metrics: (config) => [{ metric: config.metric, retentionMs: METRIC_RETENTION_MS }],
    recommend: recommendPrewarm,
  };
}
