import { readFileSync } from 'node:fs';
import { EbbError, ErrorCodes, parseDuration } from '@ebb/core';
import { parse as parseYaml } from 'yaml';
import { LOG_LEVELS, type LogLevel } from './logger.ts';

/** The built-in policy plugins, in the order they are registered. */
export const BUILTIN_PLUGINS = ['cron', 'eventgw', 'hpa', 'kpa', 'prewarm'] as const;

/** The scaler's configuration file (YAML), after defaults. Durations in ms. */
export interface ScalerConfig {
  /** Path of a kubeconfig; default: the usual places, then in-cluster. */
  readonly kubeconfig?: string;
  /** Namespaces to watch; empty = all. */
  readonly namespaces: readonly string[];
  /** Decision period per target (default 2 s). */
  readonly tickIntervalMs: number;
  readonly http: { readonly host: string; readonly port: number };
  readonly logLevel: LogLevel;
  /** Built-in plugin ids or npm package names of external plugins, loaded at start-up. */
  readonly plugins: readonly string[];
  /** Options per plugin id, passed to the plugin's factory. */
  readonly pluginOptions: Readonly<Record<string, unknown>>;
  readonly leaderElection: {
    readonly enabled: boolean;
    readonly namespace: string;
    readonly name: string;
    readonly leaseDurationMs: number;
    readonly renewDeadlineMs: number;
    readonly retryPeriodMs: number;
  };
  /** Number of shards (one Lease each); targets map to shards by consistent hashing. */
  readonly shards: number;
  /** Most shard leases one replica holds (default: all shards). */
  readonly maxShardsPerReplica: number;
  /** Activator mode: where the gateway's pods are (the Services' endpoints in Proxy mode); absent = not available. */
  readonly activator?: { readonly gatewayPods: { readonly namespace: string; readonly labelSelector: string; readonly port: number } };
}

/** Defaults of every setting. */
export const DEFAULT_CONFIG: ScalerConfig = {
  namespaces: [],
  tickIntervalMs: 2000,
  http: { host: '0.0.0.0', port: 8080 },
  logLevel: 'info',
  plugins: [...BUILTIN_PLUGINS],
  pluginOptions: {},
  leaderElection: { enabled: false, namespace: 'default', name: 'ebb-scaler', leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 },
  shards: 1,
  maxShardsPerReplica: 1024,
};

type Obj = Record<string, unknown>;

/** Reads and validates a config file; every problem is reported at once with its path in the file. */
export function loadConfigFile(path: string | undefined): ScalerConfig {
  if (!path) return DEFAULT_CONFIG;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new EbbError(ErrorCodes.CONFIG_FILE_INVALID, `cannot read config file ${path}: ${(e as Error).message}`);
  }
  return parseConfig(text, path);
}

/** Parses config YAML text (`source` names it in messages). */
export function parseConfig(text: string, source: string): ScalerConfig {
  let doc: unknown;
  try {
    doc = parseYaml(text) ?? {};
  } catch (e) {
    throw new EbbError(ErrorCodes.CONFIG_FILE_INVALID, `${source}: not valid YAML: ${(e as Error).message}`);
  }
  const problems: string[] = [];
  const bad = (path: string, value: unknown, allowed: string) => problems.push(`${path}: invalid value ${JSON.stringify(value)}: expected ${allowed}`);
  if (!isObj(doc)) throw new EbbError(ErrorCodes.CONFIG_FILE_INVALID, `${source}: expected a mapping at the top level`);
  const known = ['kubeconfig', 'namespaces', 'tickInterval', 'http', 'logLevel', 'plugins', 'pluginOptions', 'leaderElection', 'shards', 'maxShardsPerReplica', 'activator'];
  for (const k of Object.keys(doc)) if (!known.includes(k)) problems.push(`${k}: unknown setting; expected one of ${known.join(', ')}`);
  const str = (v: unknown, path: string, d: string) => (v === undefined ? d : typeof v === 'string' && v ? v : (bad(path, v, 'a non-empty string'), d));
  const dur = (v: unknown, path: string, d: number) => {
    if (v === undefined) return d;
    const ms = typeof v === 'string' ? parseDuration(v) : undefined;
    if (ms === undefined || ms <= 0) return bad(path, v, 'a positive duration like 2s or 500ms'), d;
    return ms;
  };
  const int = (v: unknown, path: string, d: number, min: number, max: number) =>
    v === undefined ? d : Number.isInteger(v) && (v as number) >= min && (v as number) <= max ? (v as number) : (bad(path, v, `an integer ${min}..${max}`), d);
  const list = (v: unknown, path: string, d: readonly string[]) =>
    v === undefined ? d : Array.isArray(v) && v.every((x) => typeof x === 'string' && x) ? (v as string[]) : (bad(path, v, 'a list of strings'), d);

  const http = isObj(doc['http']) || doc['http'] === undefined ? ((doc['http'] ?? {}) as Obj) : (bad('http', doc['http'], 'a mapping'), {});
  const le = isObj(doc['leaderElection']) || doc['leaderElection'] === undefined ? ((doc['leaderElection'] ?? {}) as Obj) : (bad('leaderElection', doc['leaderElection'], 'a mapping'), {});
  const D = DEFAULT_CONFIG;
  const logLevel = str(doc['logLevel'], 'logLevel', D.logLevel);
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) bad('logLevel', logLevel, LOG_LEVELS.join(' | '));
  const pluginOptions = doc['pluginOptions'] === undefined ? {} : isObj(doc['pluginOptions']) ? doc['pluginOptions'] : (bad('pluginOptions', doc['pluginOptions'], 'a mapping of plugin id to options'), {});
  const kubeconfig = doc['kubeconfig'] === undefined ? undefined : str(doc['kubeconfig'], 'kubeconfig', '');
  const activator = parseActivator(doc['activator'], bad);
  const config: ScalerConfig = {
    ...(kubeconfig ? { kubeconfig } : {}),
    namespaces: list(doc['namespaces'], 'namespaces', D.namespaces),
    tickIntervalMs: dur(doc['tickInterval'], 'tickInterval', D.tickIntervalMs),
    http: { host: str(http['host'], 'http.host', D.http.host), port: int(http['port'], 'http.port', D.http.port, 0, 65535) },
    logLevel: logLevel as LogLevel,
    plugins: list(doc['plugins'], 'plugins', D.plugins),
    pluginOptions,
    leaderElection: {
      enabled: le['enabled'] === undefined ? D.leaderElection.enabled : typeof le['enabled'] === 'boolean' ? le['enabled'] : (bad('leaderElection.enabled', le['enabled'], 'true or false'), false),
      namespace: str(le['namespace'], 'leaderElection.namespace', D.leaderElection.namespace),
      name: str(le['name'], 'leaderElection.name', D.leaderElection.name),
      leaseDurationMs: dur(le['leaseDuration'], 'leaderElection.leaseDuration', D.leaderElection.leaseDurationMs),
      renewDeadlineMs: dur(le['renewDeadline'], 'leaderElection.renewDeadline', D.leaderElection.renewDeadlineMs),
      retryPeriodMs: dur(le['retryPeriod'], 'leaderElection.retryPeriod', D.leaderElection.retryPeriodMs),
    },
    shards: int(doc['shards'], 'shards', D.shards, 1, 1024),
    maxShardsPerReplica: int(doc['maxShardsPerReplica'], 'maxShardsPerReplica', D.maxShardsPerReplica, 1, 1024),
    ...(activator ? { activator } : {}),
  };
  if (config.leaderElection.renewDeadlineMs >= config.leaderElection.leaseDurationMs) {
    problems.push('leaderElection.renewDeadline: must be shorter than leaderElection.leaseDuration');
  }
  if (problems.length) throw new EbbError(ErrorCodes.CONFIG_FILE_INVALID, `${source}: ${problems.length} problem(s):\n  - ${problems.join('\n  - ')}`);
  return config;
}

/**
 * `activator: {gatewayPods: {namespace, labelSelector, port}}`: the gateway's pods, listed in a Service's
 * EndpointSlices in Proxy mode at `port` (the gateway's data port, default 8080).
 */
function parseActivator(v: unknown, bad: (path: string, value: unknown, allowed: string) => void): ScalerConfig['activator'] {
  if (v === undefined) return undefined;
  const pods = isObj(v) ? v['gatewayPods'] : undefined;
  if (!isObj(v) || !isObj(pods)) return bad('activator', v, 'a mapping with gatewayPods: {namespace, labelSelector, port}'), undefined;
  const { namespace, labelSelector, port = 8080 } = pods;
  const okNs = typeof namespace === 'string' && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(namespace);
  const okSel = typeof labelSelector === 'string' && labelSelector.trim() !== '';
  const okPort = Number.isInteger(port) && (port as number) >= 1 && (port as number) <= 65535;
  if (!okNs) bad('activator.gatewayPods.namespace', namespace, 'a namespace name');
  if (!okSel) bad('activator.gatewayPods.labelSelector', labelSelector, 'a non-empty label selector, e.g. app.kubernetes.io/name=ebb-gateway');
  if (!okPort) bad('activator.gatewayPods.port', port, 'an integer 1..65535 (the gateway data port)');
  return okNs && okSel && okPort ? { gatewayPods: { namespace: namespace as string, labelSelector: labelSelector as string, port: port as number } } : undefined;
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
