import { parseReserveConfig, type ConfigIssue, type ParseResult, type ReserveConfig } from '@ebb/core';
import { EVENTGW_PREFIX, parseEventGatewayConfig } from '@ebb/plugin-eventgw';

/** How the modelled gateway and cluster treat one target, from its annotations. */
export interface TargetModelConfig {
  /** Requests one pod serves at once; 0 = unlimited. */
  readonly podConcurrency: number;
  /** Most requests the gateway holds for the target; beyond: rejected (503). */
  readonly queueLength: number;
  /** Longest a request waits for a slot (or a Ready pod), ms; then it fails (504). */
  readonly queueTimeoutMs: number;
  /** The reserve settings, parsed by core (the swap itself is core's `ReserveActuator`). */
  readonly reserve: ReserveConfig;
}

/** The KPA's hard per-pod limit (Knative's containerConcurrency), used when the gateway's is not written. */
export const KPA_CONTAINER_CONCURRENCY_KEY = 'ebb.dev/kpa.container-concurrency';
/** The gateway's per-pod limit. */
export const GATEWAY_CONTAINER_CONCURRENCY_KEY = `${EVENTGW_PREFIX}container-concurrency`;

/**
 * Reads the model settings of a target with the real gateway schema: per-pod concurrency is the gateway's
 * `ebb.dev/eventgw.container-concurrency` when written, else the KPA's `ebb.dev/kpa.container-concurrency`, else
 * `defaultPodConcurrency`; queue length and timeout are the gateway's (defaults 1000 and 30s); the reserve's
 * settings with core's parser.
 */
export function parseTargetModelConfig(annotations: Readonly<Record<string, string>>, defaultPodConcurrency: number): ParseResult<TargetModelConfig> {
  const issues: ConfigIssue[] = [];
  const gw = parseEventGatewayConfig(annotations);
  if (!gw.ok) issues.push(...gw.issues);
  const reserve = parseReserveConfig(annotations);
  if (!reserve.ok) issues.push(...reserve.issues);
  let podConcurrency = defaultPodConcurrency;
  const kpaRaw = annotations[KPA_CONTAINER_CONCURRENCY_KEY];
  if (annotations[GATEWAY_CONTAINER_CONCURRENCY_KEY] !== undefined && gw.ok) podConcurrency = gw.value.containerConcurrency;
  else if (kpaRaw !== undefined && /^\d+$/.test(kpaRaw.trim())) podConcurrency = Number(kpaRaw);
  if (!gw.ok || !reserve.ok) return { ok: false, issues };
  return { ok: true, value: { podConcurrency, queueLength: gw.value.queueLength, queueTimeoutMs: gw.value.queueTimeoutMs, reserve: reserve.value } };
}
