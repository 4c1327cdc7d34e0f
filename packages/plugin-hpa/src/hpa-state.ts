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
  /**
   * Set once the event was older than its direction's longest policy period when a later event of that
   * direction was stored: its slot may be reused (the controller's `outdated`). It still counts in any period
   * it falls in, e.g. a longer period of the other direction.
   */
  readonly outdated?: true;
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
  /** In the controller's slot order (see {@link storeScaleEvent}), not necessarily oldest first. */
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
 * Stores a scale event as the controller's `storeScaleEvent` does: every event older than `longestPeriodMs`
 * before `timeMs` (the longest policy period of the event's direction) is marked outdated, and the new event
 * takes the slot of the last outdated one, or is appended when there is none. Only one slot is reused per event,
 * so other outdated events stay and still count in longer periods. Example, scale-up periods of 15 s: [+6 @ 0 s],
 * +4 at 30 s -> [+4 @ 30 s] (the +6 no longer counts against a 120 s scale-down period); +4 at 10 s -> [+6 @ 0 s,
 * +4 @ 10 s].
 */
export function storeScaleEvent(events: readonly ScaleEvent[], replicaChange: number, timeMs: number, longestPeriodMs: number): readonly ScaleEvent[] {
  const cutoff = timeMs - longestPeriodMs;
  const marked = events.map((e): ScaleEvent => (e.outdated || e.timeMs >= cutoff ? e : { ...e, outdated: true }));
  let slot = -1;
  marked.forEach((e, i) => {
    if (e.outdated) slot = i;
  });
  const event: ScaleEvent = { replicaChange, timeMs };
  return slot < 0 ? [...marked, event] : marked.with(slot, event);
}

/** Longest policy periods of each direction, in ms, for {@link storeScaleEvent}. */
export interface LongestPeriods {
  readonly scaleUpMs: number;
  readonly scaleDownMs: number;
}

/**
 * Turns the previous decision into a scale event when the target's replica count moved its way, counting only
 * the part it asked for (another policy or a person may have moved it further). The event is dated at the
 * previous decision, when the controller would have stored it, and stored with {@link storeScaleEvent}.
 * Example: asked 4 -> 8 at t, now 10 (a cron floor won) -> scale-up event of 4 pods at t; asked 10 -> 8, still
 * 10 -> no event.
 */
export function recordObservedScale(state: HpaState, currentReplicas: number, periods: LongestPeriods): HpaState {
  const { proposed, ...rest } = state;
  if (proposed === undefined) return state;
  const { fromReplicas, toReplicas, timeMs } = proposed;
  if (toReplicas > fromReplicas && currentReplicas > fromReplicas) {
    const replicaChange = Math.min(currentReplicas, toReplicas) - fromReplicas;
    return { ...rest, scaleUpEvents: storeScaleEvent(state.scaleUpEvents, replicaChange, timeMs, periods.scaleUpMs) };
  }
  if (toReplicas < fromReplicas && currentReplicas < fromReplicas) {
    const replicaChange = fromReplicas - Math.max(currentReplicas, toReplicas);
    return { ...rest, scaleDownEvents: storeScaleEvent(state.scaleDownEvents, replicaChange, timeMs, periods.scaleDownMs) };
  }
  return rest;
}
