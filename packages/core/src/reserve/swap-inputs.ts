import type { ScaleTarget } from '../contracts/cluster.ts';
import type { ParseResult } from '../contracts/config.ts';
import type { ReserveConfig } from './reserve-config.ts';
import type { ReserveView } from './reserve-view.ts';
import type { ReserveAction, SwapConfig, SwapReserve, SwapTarget } from './swap-plan.ts';

/** The swap's view of a target. */
export function swapTarget(t: ScaleTarget): SwapTarget {
  return { specReplicas: t.specReplicas, readyReplicas: t.readyReplicas, observed: t.observed };
}

/** The swap's view of parsed settings. */
export function swapConfig(parsed: ParseResult<ReserveConfig>): SwapConfig {
  if (!parsed.ok) return { kind: 'invalid', reason: parsed.issues.map((i) => i.message).join('; ') };
  const c = parsed.value;
  return c.enabled ? { kind: 'on', replicas: c.replicas, readyTimeoutMs: c.readyTimeoutMs } : { kind: 'off' };
}

/**
 * The swap's view of a reserve Deployment: ours when it carries the role label and its owner is this target (by
 * uid); up to date when its hash is `wantedHash` (or when no hash is wanted, i.e. the reserve is off).
 */
export function swapReserve(v: ReserveView, target: ScaleTarget, wantedHash: string | undefined, nowMs: number): SwapReserve {
  return {
    specReplicas: v.specReplicas,
    readyReplicas: v.readyReplicas,
    observed: v.observed,
    deleting: v.deleting,
    ours: v.hasRole && v.ownerUid === target.uid,
    upToDate: wantedHash === undefined || v.hash === wantedHash,
    sinceRequestMs: v.requestedAtMs === undefined ? Number.POSITIVE_INFINITY : Math.max(0, nowMs - v.requestedAtMs),
  };
}

/** A Deployment with the reserve's name that the watch does not show (it lacks the role label): not ours. */
export const FOREIGN_RESERVE: SwapReserve = {
  specReplicas: 0,
  readyReplicas: 0,
  observed: true,
  deleting: false,
  ours: false,
  upToDate: false,
  sinceRequestMs: Number.POSITIVE_INFINITY,
};

/**
 * Versions our last writes were based on. While the caches still show one of them, the write is not visible yet
 * and the swap decides nothing that removes capacity. `reserve: null` means "the reserve was absent".
 */
export interface PendingWrite {
  target?: string;
  reserve?: string | null;
  atMs: number;
}

/**
 * Whether a pending write is still invisible: the target or the reserve still shows the version the write was
 * based on. Clears what became visible; gives up after `timeoutMs` (a write that changed nothing).
 */
export function stillPending(p: PendingWrite | undefined, target: ScaleTarget, view: ReserveView | undefined, nowMs: number, timeoutMs: number): boolean {
  if (!p || nowMs - p.atMs > timeoutMs) return false;
  if (p.target !== undefined && p.target !== target.resourceVersion) delete p.target;
  if (p.reserve !== undefined && p.reserve !== (view?.resourceVersion ?? null)) delete p.reserve;
  return p.target !== undefined || p.reserve !== undefined;
}

/** The Normal Event (reason, message) recorded for a successful action. */
export function actionEvent(a: ReserveAction, target: ScaleTarget, reserve: string): { type: 'Normal' | 'Warning'; reason: string; message: string } {
  const pods = (n: number) => `${n} pod${n === 1 ? '' : 's'}`;
  const name = target.ref.name;
  switch (a.kind) {
    case 'create':
      return { type: 'Normal', reason: 'ReserveCreated', message: `created reserve ${reserve} (${pods(a.replicas)}); ${name} goes to zero once it is Ready` };
    case 'update':
      return { type: 'Normal', reason: 'ReserveUpdated', message: `updated reserve ${reserve} (${pods(a.replicas)}): the target's pod template or the reserve's shape changed` };
    case 'scale-reserve':
      return a.replicas > 0
        ? { type: 'Normal', reason: 'ReserveScaled', message: `scaled reserve ${reserve} to ${a.replicas}; ${name} goes to zero once it is Ready` }
        : { type: 'Normal', reason: 'ReserveScaled', message: `scaled reserve ${reserve} to 0: ${name} serves with ${pods(target.readyReplicas)} Ready` };
    case 'delete-reserve':
      return { type: 'Normal', reason: 'ReserveDeleted', message: `deleted reserve ${reserve}: the reserve is turned off` };
    case 'scale-target':
      return { type: 'Warning', reason: 'ReserveFallback', message: `scaled ${name} to ${a.replicas}: it was at zero and reserve ${reserve} has no Ready pod` };
  }
}
