import { EbbError, ErrorCodes } from '@ebb/core';

/** Gateway replicas found as Ready pods of the gateway Deployment. */
export interface GatewayPodsOptions {
  /** Namespace of the gateway pods, e.g. `ebb-system`. */
  readonly namespace: string;
  /** Label selector of the gateway pods, e.g. `app.kubernetes.io/name=ebb-gateway`. */
  readonly labelSelector: string;
  /** The gateway's admin port (default 9090). */
  readonly adminPort?: number;
}

/**
 * Options of the eventgw plugin, from the scaler's config file (`pluginOptions.eventgw`). Name the gateway
 * replicas with `gateways`, `gatewayPods`, or both; without either the plugin brings no collector and reports
 * "no data" unless something else records `eventgw.demand`.
 */
export interface EventGatewayPluginOptions {
  /** Admin base URLs of gateway replicas, e.g. `http://10.0.0.7:9090` (each is polled; figures are summed). */
  readonly gateways?: readonly string[];
  /** Find the replicas as Ready pods by label (watched; uses the scaler's Kubernetes credentials). */
  readonly gatewayPods?: GatewayPodsOptions;
  /** Longest wait for one replica's `/stats`, ms (default 800; below the 1 s cadence). */
  readonly pollTimeoutMs?: number;
  /**
   * Also record the shared metrics `concurrency` and `rps` for targets the gateway routes, so the KPA plugin can
   * scale on the gateway's figures (default true). Turn off when another collector records them.
   */
  readonly sharedMetrics?: boolean;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function validUrl(v: unknown): boolean {
  if (typeof v !== 'string') return false;
  try {
    const u = new URL(v);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.pathname.replace(/\/+$/, '') === '' && !u.search;
  } catch {
    return false;
  }
}

/**
 * Checks options that come from YAML, reporting every problem at once.
 * @throws EbbError `EBB_CONFIG_FILE_INVALID` naming each bad option, its value and what is allowed.
 */
export function resolveEventGatewayPluginOptions(options: unknown): EventGatewayPluginOptions {
  if (options === undefined || options === null) return {};
  const where = 'pluginOptions.eventgw';
  if (!isObj(options)) throw new EbbError(ErrorCodes.CONFIG_FILE_INVALID, `${where}: expected a mapping`);
  const problems: string[] = [];
  const bad = (path: string, value: unknown, allowed: string): number => problems.push(`${where}.${path}: invalid value ${JSON.stringify(value)}: expected ${allowed}`);
  const known = ['gateways', 'gatewayPods', 'pollTimeoutMs', 'sharedMetrics'];
  for (const k of Object.keys(options)) if (!known.includes(k)) problems.push(`${where}.${k}: unknown option; expected one of ${known.join(', ')}`);
  const { gateways, gatewayPods, pollTimeoutMs, sharedMetrics } = options;
  if (gateways !== undefined && (!Array.isArray(gateways) || !gateways.every(validUrl))) {
    bad('gateways', gateways, 'a list of admin base URLs such as http://10.0.0.7:9090 (no path)');
  }
  if (gatewayPods !== undefined) {
    if (!isObj(gatewayPods)) bad('gatewayPods', gatewayPods, 'a mapping with namespace, labelSelector and adminPort');
    else {
      const { namespace, labelSelector, adminPort } = gatewayPods;
      if (typeof namespace !== 'string' || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(namespace)) bad('gatewayPods.namespace', namespace, 'a namespace name');
      if (typeof labelSelector !== 'string' || labelSelector.trim() === '') bad('gatewayPods.labelSelector', labelSelector, 'a non-empty label selector');
      if (adminPort !== undefined && (!Number.isInteger(adminPort) || (adminPort as number) < 1 || (adminPort as number) > 65_535)) {
        bad('gatewayPods.adminPort', adminPort, 'an integer 1..65535');
      }
    }
  }
  if (pollTimeoutMs !== undefined && (!Number.isInteger(pollTimeoutMs) || (pollTimeoutMs as number) < 10 || (pollTimeoutMs as number) > 10_000)) {
    bad('pollTimeoutMs', pollTimeoutMs, 'an integer 10..10000 (ms)');
  }
  if (sharedMetrics !== undefined && typeof sharedMetrics !== 'boolean') bad('sharedMetrics', sharedMetrics, 'true or false');
  if (problems.length) throw new EbbError(ErrorCodes.CONFIG_FILE_INVALID, problems.join('; '));
  return options as EventGatewayPluginOptions;
}
