/**
 * What the HPA plugin remembers between decisions for one target: the unstabilized recommendations of recent
 * ticks (for the stabilization windows) and the scale changes it caused (for the Pods/Percent rate limits).
 * The controller keeps both in memory; Ebb keeps them in the plugin's state, so the decision stays pure.
 */

/**
 * A run of equal consecutive raw (unstabilized) recommendations, dated at its newest member. Stabilization only
 * asks "is there a recommendation of this value within the window?", and a run has a member within a window
 * ending now exactly when its newest member is within it, so one entry per run gives the same maxima and minima
 * as one entry per decision. In steady state a target keeps one or two entries instead of one per tick (150 over
 * 300 s at a 2 s tick).
 */
export interface TimestampedRecommendation {
  readonly replicas: number;
  /** When the newest recommendation of the run was made, ms since the epoch. */
  readonly timeMs: number;
}

/** A scale change in one direction: `replicaChange` pods added (scale-up list) or removed (scale-down list). */
export interface ScaleEvent {
  /** Number of pods added or removed, > 0. */
  readonly replicaChange: number;
  /** ms since the epoch. */
  readonly timeMs: number;
}

/** A change this plugin asked for, waiting to be seen in `replicas.current` at the next decision. */
export interface ProposedScale {
  readonly fromReplicas: number;
  readonly toReplicas: number;
  /** ms since the epoch of the decision. */
  readonly timeMs: number;
}

/** The HPA plugin's state for one target. */
export interface HpaState {
  /** Runs of equal recommendations, oldest first; runs older than every stabilization window are dropped. */
  readonly recommendations: readonly TimestampedRecommendation[];
  /** Oldest first; entries older than the longest policy period are dropped. */
  readonly scaleUpEvents: readonly ScaleEvent[];
  readonly scaleDownEvents: readonly ScaleEvent[];
  /** The previous decision's change, when it asked for one and behavior rate limits apply. */
  readonly proposed?: ProposedScale;
}

/** The state before the first decision. */
export const INITIAL_HPA_STATE: HpaState = { recommendations: [], scaleUpEvents: [], scaleDownEvents: [] };

/**
 * Records `replicas` recommended at `timeMs` (not earlier than the last entry): extends the last run when it has
 * the same count (its date moves to `timeMs`), else starts a new run. Example: runs [4 @ 10 s, 5 @ 12 s], 5 at
 * 14 s -> [4 @ 10 s, 5 @ 14 s]; 3 at 14 s -> [4 @ 10 s, 5 @ 12 s, 3 @ 14 s].
 */
export function appendRecommendation(
  runs: readonly TimestampedRecommendation[],
  replicas: number,
  timeMs: number,
): readonly TimestampedRecommendation[] {
  const last = runs.at(-1);
  const entry = { replicas, timeMs };
  return last?.replicas === replicas ? [...runs.slice(0, -1), entry] : [...runs, entry];
}

/**
 * Turns the previous decision into a scale event when the target's replica count moved its way, counting only
 * the part it asked for (another policy or a person may have moved it further). The event is dated at the
 * previous decision, when the controller would have stored it. Example: asked 4 -> 8 at t, now 10 (a cron
 * floor won) -> scale-up event of 4 pods at t; asked 10 -> 8, still 10 -> no event.
 */
export function recordObservedScale(state: HpaState, currentReplicas: number): HpaState {
  const { proposed, ...rest } = state;
  if (proposed === undefined) return state;
  const { fromReplicas, toReplicas, timeMs } = proposed;
  if (toReplicas > fromReplicas && currentReplicas > fromReplicas) {
    const replicaChange = Math.min(currentReplicas, toReplicas) - fromReplicas;
    return { ...rest, scaleUpEvents: [...state.scaleUpEvents, { replicaChange, timeMs }] };
  }
  if (toReplicas < fromReplicas && currentReplicas < fromReplicas) {
    const replicaChange = fromReplicas - Math.max(currentReplicas, toReplicas);
    return { ...rest, scaleDownEvents: [...state.scaleDownEvents, { replicaChange, timeMs }] };
  }
  return rest;
}

/**
 * Drops scale events that no policy period can reach any more: older than `longestPeriodMs` before `nowMs`.
 * (The controller marks them outdated and reuses their slots; the sums it computes are the same.)
 */
export function pruneScaleEvents(events: readonly ScaleEvent[], nowMs: number, longestPeriodMs: number): readonly ScaleEvent[] {
  return events.filter((e) => e.timeMs > nowMs - longestPeriodMs);
}
