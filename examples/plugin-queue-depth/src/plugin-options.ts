import { EbbError, ErrorCodes } from '@ebb/core';
import { QUEUE_DEPTH_PLUGIN_ID } from './queue-depth-config.ts';

/** Options of the plugin, from the scaler's config file (`pluginOptions.queue-depth`). */
export interface QueueDepthPluginOptions {
  /** Base URL of the Prometheus HTTP API. Without it the plugin brings no collector (something else must record `queue-depth`). */
  readonly prometheusUrl?: string;
  /** Cadence of the queries, ms (default 5000, at least 1000). */
  readonly intervalMs?: number;
  /** Longest wait for one query, ms (default 80 % of the interval; below the interval). */
  readonly timeoutMs?: number;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks options that come from YAML, reporting every problem at once.
 * @throws EbbError `EBB_CONFIG_FILE_INVALID` naming each option, its value and what is allowed.
 */
export function resolveQueueDepthOptions(options: unknown): QueueDepthPluginOptions {
  if (options === undefined || options === null) return {};
  const where = `pluginOptions.${QUEUE_DEPTH_PLUGIN_ID}`;
  if (!isObj(options)) throw new EbbError(ErrorCodes.CONFIG_FILE_INVALID, `${where}: expected a mapping, got ${JSON.stringify(options)}`);
  const problems: string[] = [];
  const bad = (key: string, allowed: string) => problems.push(`${where}.${key}: invalid value ${JSON.stringify(options[key])}: expected ${allowed}`);
  const known = ['prometheusUrl', 'intervalMs', 'timeoutMs'];
  for (const key of Object.keys(options)) if (!known.includes(key)) problems.push(`${where}.${key}: unknown option; expected one of ${known.join(', ')}`);
  const { prometheusUrl, intervalMs, timeoutMs } = options;
  if (prometheusUrl !== undefined && !(typeof prometheusUrl === 'string' && /^https?:\/\/[^/\s]+\/?$/.test(prometheusUrl))) bad('prometheusUrl', 'an http(s) base URL such as http://prometheus.monitoring:9090');
  if (intervalMs !== undefined && !(Number.isInteger(intervalMs) && (intervalMs as number) >= 1000)) bad('intervalMs', 'an integer >= 1000');
  const interval = typeof intervalMs === 'number' ? intervalMs : 5000;
  if (timeoutMs !== undefined && !(Number.isInteger(timeoutMs) && (timeoutMs as number) > 0 && (timeoutMs as number) < interval)) bad('timeoutMs', `an integer from 1 to ${interval - 1} (below intervalMs)`);
  if (problems.length) throw new EbbError(ErrorCodes.CONFIG_FILE_INVALID, problems.join('; '));
  return options as QueueDepthPluginOptions;
}
