/** What the swap sees of one target (from the modelled cluster, never from memory alone). */
export interface ReserveView {
  readonly enabled: boolean;
  /** Reserve pods wanted while at zero. */
  readonly reserveReplicas: number;
  /** The target's spec.replicas. */
  readonly spec: number;
  /** The target's Ready pods (not terminating). */
  readonly ready: number;
  /** Reserve pods that exist (starting or Ready, not terminating). */
  readonly reservePods: number;
  /** Reserve pods that are Ready. */
  readonly reserveReady: number;
  /** The loop asked for zero and the target still has pods: the swap down waits for the reserve. */
  readonly pendingZero: boolean;
}

/** What to do next. */
export interface ReserveActions {
  /** Reserve pods to have (start or stop pods to reach it). */
  readonly reservePods: number;
  /** Scale the target to zero now (the reserve is Ready). */
  readonly targetToZero: boolean;
}

/**
 * The reserve swap of DESIGN.md as a pure function of what the cluster shows, re-evaluated after every change:
 * - down: when the loop wants zero, keep the target's pods until the reserve's pods are Ready, then scale the
 *   target to zero;
 * - at zero: keep the reserve;
 * - up: the target is scaled up at once; the reserve stays until every pod of the target is Ready, then goes.
 * Never both at zero. Example: spec 2, pendingZero, reserve 1 Ready of 1 -> target to zero, keep 1 reserve pod.
 */
export function reserveActions(v: ReserveView): ReserveActions {
  if (!v.enabled) return { reservePods: 0, targetToZero: false };
  const wanted = v.reserveReplicas;
  if (v.pendingZero) return { reservePods: wanted, targetToZero: v.reserveReady >= wanted };
  if (v.spec === 0) return { reservePods: wanted, targetToZero: false };
  // Scaling up: hold the reserve (if any is there) until the target's pods are Ready.
  const swappingUp = v.reservePods > 0 && v.ready < v.spec;
  return { reservePods: swappingUp ? v.reservePods : 0, targetToZero: false };
}
