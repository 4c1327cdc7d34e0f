import type { TargetKey } from '@ebb/core';
import type { HTTPRoute, HTTPRouteRule } from '../gateway-api-types.ts';

/**
 * The annotation on an HTTPRoute that holds its effective split and its rollout, written by the scaler's status
 * writer, read by every gateway (it routes with `current`) and every scaler replica (the floors). An annotation,
 * not route status: the Gateway API's status schema has no place for it (the apiserver prunes unknown fields),
 * and an annotation survives a restart of every Ebb component, so a new writer continues from it.
 */
export const ROLLOUT_STATE_ANNOTATION = 'ebb.dev/rollout-state';

/** Percents by target key (`namespace/name` of each version's Deployment). */
export type Split = Readonly<Record<TargetKey, number>>;

/** What `ebb.dev/rollout-state` holds (JSON). Times are epoch ms. */
export interface RolloutState {
  /** The split the gateway applies now (percents adding up to 100). */
  readonly current: Split;
  /** The declared split a rollout goes to; absent: no rollout in progress (`current` is the declared split). */
  readonly to?: Split;
  /** The effective split when the rollout began (setting these weights back is a rollback, at once). */
  readonly from?: Split;
  /** The version gaining traffic. */
  readonly receiver?: TargetKey;
  /** Steps taken, the size of each after the first 1 %, and their period. */
  readonly step?: number;
  readonly stepPercent?: number;
  readonly stepMs?: number;
  readonly startedAtMs?: number;
  readonly nextStepAtMs?: number;
  /** Since when the receiver has been brought to the Ready pods of its next share; absent: not waiting. */
  readonly preparingSinceMs?: number;
  /** Pods of the versions when the rollout began (for `rollout-max-surge`). */
  readonly prePods?: number;
  /** Why the rollout holds now (a prepare), or why it stopped (with `stalled`). */
  readonly reason?: string;
  /** The rollout stopped where it is: a version did not get Ready pods within the progress deadline. */
  readonly stalled?: boolean;
  /** Replica floors per version while the rollout runs (every scaler replica applies them to its targets). */
  readonly floors?: Readonly<Record<TargetKey, number>>;
}

const isSplit = (x: unknown): x is Split =>
  typeof x === 'object' && x !== null && !Array.isArray(x) && Object.values(x).every((v) => typeof v === 'number' && Number.isFinite(v) && v >= 0);

/** Reads the state annotation of `route`; undefined when absent or malformed (the spec weights apply then). */
export function readRolloutState(route: HTTPRoute): RolloutState | undefined {
  const raw = route.metadata?.annotations?.[ROLLOUT_STATE_ANNOTATION];
  if (raw === undefined) return undefined;
  try {
    const s = JSON.parse(raw) as RolloutState;
    if (!isSplit(s?.current) || (s.to !== undefined && !isSplit(s.to)) || (s.floors !== undefined && !isSplit(s.floors))) return undefined;
    return s;
  } catch {
    return undefined;
  }
}

/** The annotation text of `state` (stable key order: the same state gives the same text, so no needless write). */
export function writeRolloutState(state: RolloutState): string {
  const sorted = (x: unknown): unknown =>
    typeof x === 'object' && x !== null ? Object.fromEntries(Object.entries(x).filter(([, v]) => v !== undefined).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, sorted(v)])) : x;
  return JSON.stringify(sorted(state));
}

/**
 * The rule whose weights are the route's split: the first with more than one backendRef, else the first rule.
 * Tag rules (one backendRef each) keep their own weights.
 */
export function splitRuleIndex(rules: readonly HTTPRouteRule[]): number {
  const i = rules.findIndex((r) => (r.backendRefs?.length ?? 0) > 1);
  return i < 0 ? 0 : i;
}

/**
 * The weights a rule routes with: `current` for the rules with the same versions as the split rule, when it gives
 * them a share at all (a rule whose versions `current` does not cover keeps its spec weights, so a version removed
 * before the scaler saw it never leaves a rule without a backend). Example: spec v1 0 / v2 100, current v1 80 /
 * v2 20 -> 80 / 20.
 */
export function effectiveWeights(keys: ReadonlyArray<TargetKey | undefined>, specWeights: readonly number[], splitKeys: ReadonlySet<TargetKey> | undefined, state: RolloutState | undefined): number[] {
  if (!state || !splitKeys || keys.length !== splitKeys.size || !keys.every((k) => k !== undefined && splitKeys.has(k))) return [...specWeights];
  const weights = keys.map((k) => (k === undefined ? 0 : (state.current[k] ?? 0)));
  return weights.some((w) => w > 0) ? weights : [...specWeights];
}
