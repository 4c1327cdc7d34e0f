import type { ConfigIssue, ParseResult } from '@ebb/core';

/**
 * A target's reserve instance settings as the simulator models them: while the combined decision is zero,
 * `replicas` cheap pods serve instead of none (DESIGN.md, "Reserve instances").
 *
 * TODO(#7): read these through core's reserve annotation schema once `packages/core/src/reserve` lands; the keys
 * below follow the design brief (`ebb.dev/reserve`) and Alibaba's `knative.aliyun.com/reserve-instance*`.
 */
export interface ReserveSettings {
  readonly enabled: boolean;
  /** Reserve pods kept while the target is at zero (integer >= 1). */
  readonly replicas: number;
}

/** The Ebb switch: `ebb.dev/reserve: "true"`. */
export const RESERVE_KEY = 'ebb.dev/reserve';
/** Reserve pods: `ebb.dev/reserve.replicas` (default 1). */
export const RESERVE_REPLICAS_KEY = 'ebb.dev/reserve.replicas';
/** Alibaba's switch: `knative.aliyun.com/reserve-instance: enable`. */
export const ALIYUN_RESERVE_KEY = 'knative.aliyun.com/reserve-instance';
/** Alibaba's replica count. */
export const ALIYUN_RESERVE_REPLICAS_KEY = 'knative.aliyun.com/reserve-instance-replicas';

const TRUE = new Set(['true', 'enable', 'enabled']);
const FALSE = new Set(['false', 'disable', 'disabled']);

/**
 * Parses the reserve annotations; every problem is reported at once, naming the key, the value and what is
 * allowed. The Ebb key wins over Alibaba's. Example: `{ 'ebb.dev/reserve': 'true' }` -> enabled, 1 replica.
 */
export function parseReserveSettings(annotations: Readonly<Record<string, string>>): ParseResult<ReserveSettings> {
  const issues: ConfigIssue[] = [];
  const switchKey = annotations[RESERVE_KEY] !== undefined ? RESERVE_KEY : ALIYUN_RESERVE_KEY;
  const raw = annotations[switchKey];
  let enabled = false;
  if (raw !== undefined) {
    const v = raw.trim().toLowerCase();
    if (TRUE.has(v)) enabled = true;
    else if (!FALSE.has(v)) {
      issues.push({ code: 'invalid_value', key: switchKey, value: raw, message: `${switchKey}: invalid value "${raw}": expected true or false (enable/disable)`, allowed: 'true, false, enable, disable' });
    }
  }
  const replicasKey = annotations[RESERVE_REPLICAS_KEY] !== undefined ? RESERVE_REPLICAS_KEY : ALIYUN_RESERVE_REPLICAS_KEY;
  const rawReplicas = annotations[replicasKey];
  let replicas = 1;
  if (rawReplicas !== undefined) {
    const n = Number(rawReplicas);
    if (!/^\s*\d+\s*$/.test(rawReplicas) || n < 1 || n > 1000) {
      issues.push({ code: 'out_of_range', key: replicasKey, value: rawReplicas, message: `${replicasKey}: invalid value "${rawReplicas}": expected an integer 1..1000`, allowed: '1..1000' });
    } else replicas = n;
  }
  return issues.length ? { ok: false, issues } : { ok: true, value: { enabled, replicas } };
}

/** The `ebb.dev/reserve*` keys present on `annotations`: read by the reserve, so never "unknown" to the loop. */
export function reserveKeysOf(annotations: Readonly<Record<string, string>>): string[] {
  return Object.keys(annotations).filter((k) => k === RESERVE_KEY || k.startsWith(`${RESERVE_KEY}.`) || k.startsWith(`${RESERVE_KEY}-`));
}
