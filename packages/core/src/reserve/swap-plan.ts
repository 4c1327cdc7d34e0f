/**
 * The reserve swap as a pure state machine. Its input is only what the cluster shows (the target's and the
 * reserve's spec and Ready counts, the reserve's shape hash and when it was last asked for pods) plus the loop's
 * desired count; its output is the phase, at most one action, and whether the loop must hold a scale to zero.
 * Re-evaluated on every tick, so a scaler that restarts at any step picks up where the cluster is.
 *
 * Guarantees, by construction:
 * - the target goes to zero only while the reserve has all its pods Ready (no hold is returned otherwise);
 * - the reserve goes to zero only while the target has Ready pods (at least as many as the reserve had, or all of
 *   its own when it wants fewer), so a swap never leaves zero Ready pods and never both Deployments at zero;
 * - nothing that removes capacity is decided while a write of ours is not yet visible (`settling`).
 */

/** Where a target is in the swap. */
export type ReservePhase =
  /** Reserve off and no reserve Deployment. */
  | 'disabled'
  /** Reserve turned off: the reserve is deleted once the target serves (at once when the target goes to zero). */
  | 'removing'
  /** The target serves; the reserve is absent or at zero. */
  | 'standard'
  /** Going to zero: the reserve is created, scaled or updated and not yet Ready; the target holds. */
  | 'warming'
  /** Going to zero: the reserve is Ready; the target may go to zero now. */
  | 'swapping'
  /** The target is at zero and the reserve serves. */
  | 'reserve'
  /** Demand returned: the target scales up first; the reserve serves until the target's pods are Ready. */
  | 'waking'
  /** The target's pods are Ready: the reserve is scaled to zero now. */
  | 'handing-over'
  /** The reserve did not become Ready in time: the target stays up, or is brought back to one pod. */
  | 'not-ready'
  /** A write of ours is not in the cache yet; nothing that removes capacity is decided. */
  | 'settling'
  /** Invalid reserve settings, or the reserve's name is taken: nothing changes and the target does not go to zero. */
  | 'blocked';

/** Every phase, in a stable order (for metrics). */
export const RESERVE_PHASES: readonly ReservePhase[] = [
  'disabled',
  'removing',
  'standard',
  'warming',
  'swapping',
  'reserve',
  'waking',
  'handing-over',
  'not-ready',
  'settling',
  'blocked',
];

/** The target Deployment's counts. */
export interface SwapTarget {
  readonly specReplicas: number;
  readonly readyReplicas: number;
  /** Its status reflects its current spec. */
  readonly observed: boolean;
}

/** The reserve Deployment's counts and marks. */
export interface SwapReserve {
  readonly specReplicas: number;
  readonly readyReplicas: number;
  readonly observed: boolean;
  readonly deleting: boolean;
  /** It is this target's reserve (role label, owner reference to the target's uid). */
  readonly ours: boolean;
  /** Its shape hash is the one wanted now. */
  readonly upToDate: boolean;
  /** Time since the scaler last asked it for pods, in ms (`Infinity` when unknown). */
  readonly sinceRequestMs: number;
}

/** The reserve settings as the swap needs them. */
export type SwapConfig =
  | { readonly kind: 'on'; readonly replicas: number; readonly readyTimeoutMs: number }
  | { readonly kind: 'off' }
  | { readonly kind: 'invalid'; readonly reason: string };

/** Everything one decision reads. */
export interface SwapObservation {
  /** The loop's desired count for the target. */
  readonly desired: number;
  readonly target: SwapTarget;
  readonly config: SwapConfig;
  /** Absent when no Deployment has the reserve's name. */
  readonly reserve?: SwapReserve;
  /** A write of ours (to either Deployment) is not yet in the caches. */
  readonly settling?: boolean;
}

/** One write the swap makes. */
export type ReserveAction =
  /** Create the reserve with this many pods. */
  | { readonly kind: 'create'; readonly replicas: number }
  /** Rewrite the reserve's template and shape (and replicas); it rolls out without losing Ready pods. */
  | { readonly kind: 'update'; readonly replicas: number }
  | { readonly kind: 'scale-reserve'; readonly replicas: number }
  | { readonly kind: 'delete-reserve' }
  /** The fallback: the target is at zero and the reserve cannot serve, so the target gets a pod back. */
  | { readonly kind: 'scale-target'; readonly replicas: number };

/** Something to report (Warning Event and metric), once per occurrence. */
export interface ReserveProblem {
  readonly reason: 'ReserveNotReady' | 'ReserveConflict';
  readonly message: string;
}

/** One decision. */
export interface SwapPlan {
  readonly phase: ReservePhase;
  readonly action?: ReserveAction;
  /** Set when the loop must not scale the target to zero on this tick: the reason. */
  readonly hold?: string;
  readonly problem?: ReserveProblem;
}

/** Decides the next step of the swap. Pure. */
export function planSwap(o: SwapObservation): SwapPlan {
  const { config: c, reserve: r } = o;
  // A hold matters only when the loop would scale the target to zero.
  const hold = (reason: string): { hold?: string } => (o.desired === 0 && o.target.specReplicas > 0 ? { hold: reason } : {});
  if (c.kind === 'invalid') return { phase: 'blocked', ...hold(`the reserve settings are invalid: ${c.reason}`) };
  if (o.settling) return { phase: 'settling', ...hold('a reserve step is not yet visible in the cache') };
  if (r && !r.ours) {
    if (c.kind === 'off') return { phase: 'disabled' };
    const message = "a Deployment with the reserve's name exists and is not this target's reserve (another owner, or left from an earlier Deployment of the same name)";
    return { phase: 'blocked', ...hold(message), problem: { reason: 'ReserveConflict', message } };
  }
  if (c.kind === 'off') return planOff(o.desired, o.target, r);
  return o.desired === 0 ? planToZero(o.target, r, c, hold) : planFromZero(o.target, r);
}

/** Reserve turned off: remove it once the target serves, or at once when the target is wanted at zero. */
function planOff(desired: number, t: SwapTarget, r: SwapReserve | undefined): SwapPlan {
  if (!r) return { phase: 'disabled' };
  if (r.deleting) return { phase: 'removing' };
  const targetServes = t.observed && t.specReplicas >= 1 && t.readyReplicas >= 1;
  if (desired === 0 || r.specReplicas === 0 || targetServes) return { phase: 'removing', action: { kind: 'delete-reserve' } };
  return { phase: 'removing' };
}

/** Desired zero: the reserve first, Ready, and only then the target to zero. */
function planToZero(t: SwapTarget, r: SwapReserve | undefined, c: Extract<SwapConfig, { kind: 'on' }>, hold: (reason: string) => { hold?: string }): SwapPlan {
  const n = c.replicas;
  const up = t.specReplicas > 0;
  if (!r) return { phase: 'warming', action: { kind: 'create', replicas: n }, ...hold('the reserve is being created') };
  if (r.deleting) return { phase: 'warming', ...hold('an earlier reserve is still being deleted') };
  const action: ReserveAction | undefined = !r.upToDate
    ? { kind: 'update', replicas: n }
    : r.specReplicas !== n
      ? { kind: 'scale-reserve', replicas: n }
      : undefined;
  const withAction = action ? { action } : {};
  const ready = r.observed && r.specReplicas >= n && r.readyReplicas >= n;
  if (ready) return { phase: up ? 'swapping' : 'reserve', ...withAction };
  const counts = `${r.readyReplicas} of ${n} reserve pods Ready`;
  const stuck = r.specReplicas >= n && r.sinceRequestMs >= c.readyTimeoutMs;
  if (!stuck) return { phase: 'warming', ...withAction, ...hold(`waiting for the reserve: ${counts}`) };
  const since = Number.isFinite(r.sinceRequestMs) ? ` ${Math.round(r.sinceRequestMs / 1000)}s after they were asked for` : '';
  const problem: ReserveProblem = { reason: 'ReserveNotReady', message: `${counts}${since}` };
  // At zero with a reserve that cannot serve: bring one target pod back rather than stay without any.
  if (!up) return { phase: 'not-ready', action: { kind: 'scale-target', replicas: 1 }, problem };
  return { phase: 'not-ready', ...withAction, hold: `the reserve is not Ready: ${counts}`, problem };
}

/** Desired at least one: the target first (the loop scales it), then the reserve to zero once the target serves. */
function planFromZero(t: SwapTarget, r: SwapReserve | undefined): SwapPlan {
  if (!r || r.deleting) return { phase: 'standard' };
  // An idle reserve follows the target's template and shape without starting pods.
  if (r.specReplicas === 0) return { phase: 'standard', ...(r.upToDate ? {} : { action: { kind: 'update', replicas: 0 } }) };
  const need = Math.max(1, Math.min(t.specReplicas, r.specReplicas));
  const serves = t.observed && t.specReplicas >= 1 && t.readyReplicas >= need;
  return serves ? { phase: 'handing-over', action: { kind: 'scale-reserve', replicas: 0 } } : { phase: 'waking' };
}
