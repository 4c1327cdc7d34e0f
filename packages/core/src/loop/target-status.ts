import type { ScaleTarget, TargetStatus } from '../contracts/cluster.ts';
import { STATUS_ANNOTATION } from '../contracts/config.ts';

/**
 * The part of a status that decides whether it "changed": desired and current counts, each plugin's kind and
 * replicas, the winner, the applied steps, config errors and the last scale time. Reasons often carry live
 * figures (`concurrency 41.7`); rewriting the annotation for each new figure would write on every tick, so a
 * reason is refreshed only together with a change of this part.
 * What plugins persist is part of it (they change it rarely, and it must reach the Deployment).
 * Example: desired 3, current 3, kpa wants 3 -> `[3,3,"kpa",["kpa:replicas:3"],[],[],"2026-..."]`.
 */
export function statusFingerprint(status: TargetStatus): string {
  const recs = Object.entries(status.recommendations).map(([id, r]) => `${id}:${r.kind}:${r.replicas ?? ''}`);
  const base = [status.desired, status.current, status.winner ?? '', recs, status.applied, status.configErrors ?? [], status.lastScaleTime ?? ''];
  return JSON.stringify(status.persist ? [...base, status.persist] : base);
}

/** Parses the status annotation of a target, if present and valid JSON. */
export function readStatus(target: ScaleTarget): TargetStatus | undefined {
  const raw = target.annotations[STATUS_ANNOTATION];
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as TargetStatus;
  } catch {
    return undefined;
  }
}

/**
 * What the enabled plugins persisted on a target (`RecommendOutput.persist`), read from its status annotation:
 * string values of the plugins in `enabled` only; a missing or invalid annotation gives an empty map.
 */
export function readPersisted(target: ScaleTarget, enabled: readonly string[]): Map<string, string> {
  const persist = readStatus(target)?.persist;
  const out = new Map<string, string>();
  if (!persist || typeof persist !== 'object') return out;
  for (const [id, v] of Object.entries(persist)) if (typeof v === 'string' && enabled.includes(id)) out.set(id, v);
  return out;
}
