import { SimulatorErrorCodes, SimulatorInputError } from '../trace/input-error.ts';
import type { SimConfiguration } from './configuration.ts';

/** What the presets depend on. */
export interface PresetOptions {
  /** Requests per pod at once (0 = unlimited), written as the gateway's and the KPA's container concurrency. */
  readonly podConcurrency: number;
  /** IANA zone of the cron preset's window; default UTC. */
  readonly timezone?: string;
}

/** Names of the built-in presets, in table order. */
export const PRESET_NAMES = ['knative-default', 'kpa-reserve', 'kpa-cron', 'keepalive-10m', 'prewarm-histogram'] as const;

/** One of {@link PRESET_NAMES}. */
export type PresetName = (typeof PRESET_NAMES)[number];

/**
 * Per-pod concurrency as Knative writes it (containerConcurrency, which is also the KPA's default target) and as
 * the gateway enforces it. 0 (unlimited) leaves the KPA at its default target (100 x 70 %).
 */
function concurrencyAnnotations(podConcurrency: number): Record<string, string> {
  const cc = String(podConcurrency);
  return podConcurrency > 0
    ? { 'ebb.dev/kpa.container-concurrency': cc, 'ebb.dev/eventgw.container-concurrency': cc }
    : { 'ebb.dev/eventgw.container-concurrency': '0' };
}

/**
 * The built-in configurations:
 * - `knative-default`: the KPA with Knative's defaults (60 s window, 70 % target utilization, scale to zero after
 *   the 30 s grace period);
 * - `kpa-reserve`: the same with a reserve pod instead of zero (`ebb.dev/reserve: "true"`);
 * - `kpa-cron`: the same plus a cron floor of 1 pod from 08:00 to 20:00 every day (pre-warmed 5 min early);
 * - `keepalive-10m`: a fixed keep-alive like Azure Functions': one pod per request in flight (eventgw), kept 10
 *   minutes after the last demand;
 * - `prewarm-histogram`: the same pod per request in flight, but the last pod is kept, released and brought back
 *   by the prewarm plugin's learned idle-time histogram (the hybrid histogram policy; 10 min keep-alive while learning).
 */
export function builtinPresets(o: PresetOptions): SimConfiguration[] {
  const cc = concurrencyAnnotations(o.podConcurrency);
  const zone = o.timezone ?? 'UTC';
  const where = (name: string) => ({ file: `<preset ${name}>` });
  return [
    { name: 'knative-default', description: "KPA, Knative's defaults, scale to zero", annotations: { 'ebb.dev/policies': 'kpa', ...cc }, source: where('knative-default') },
    {
      name: 'kpa-reserve',
      description: 'KPA, Knative defaults, a reserve pod instead of zero',
      annotations: { 'ebb.dev/policies': 'kpa', 'ebb.dev/reserve': 'true', ...cc },
      source: where('kpa-reserve'),
    },
    {
      name: 'kpa-cron',
      description: `KPA plus a floor of 1 pod 08:00-20:00 ${zone}, 5 min lead`,
      annotations: {
        'ebb.dev/policies': 'kpa,cron',
        'ebb.dev/cron': `- name: daytime\n  start: "0 8 * * *"\n  end: "0 20 * * *"\n  timezone: ${zone}\n  replicas: 1\n  leadTime: 5m\n`,
        ...cc,
      },
      source: where('kpa-cron'),
    },
    {
      name: 'keepalive-10m',
      description: 'a pod per request in flight, kept 10 min after the last demand',
      annotations: { 'ebb.dev/policies': 'eventgw', 'ebb.dev/eventgw.idle-period': '10m', 'ebb.dev/scale-to-zero-grace-period': '6s', ...cc },
      source: where('keepalive-10m'),
    },
    {
      name: 'prewarm-histogram',
      description: 'a pod per request in flight; the last pod kept or pre-warmed from the learned idle-time histogram',
      annotations: { 'ebb.dev/policies': 'eventgw,prewarm', 'ebb.dev/eventgw.idle-period': '0s', 'ebb.dev/scale-to-zero-grace-period': '6s', ...cc },
      source: where('prewarm-histogram'),
    },
  ];
}

/**
 * The preset called `name`.
 * @throws SimulatorInputError `EBB_SIM_CONFIG_INVALID` naming the unknown preset and the known ones.
 */
export function presetNamed(name: string, o: PresetOptions): SimConfiguration {
  const found = builtinPresets(o).find((p) => p.name === name);
  if (!found) throw new SimulatorInputError(SimulatorErrorCodes.CONFIG_INVALID, `unknown preset "${name}"; expected one of ${PRESET_NAMES.join(', ')}`);
  return found;
}
