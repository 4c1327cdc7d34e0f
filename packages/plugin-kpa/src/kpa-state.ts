/**
 * What the KPA remembers between decisions for one target: Knative's `panicTime` and `maxPanicPods`.
 * Plain data (JSON-safe), so the scaler may keep it anywhere.
 */
export interface KpaState {
  /**
   * Time (ms since the epoch) the panic threshold was last crossed, while panicking; undefined in stable mode.
   * Panic ends once a full stable window has passed after it without crossing the threshold again.
   */
  readonly panicTimeMs: number | undefined;
  /** Most pods recommended since panic began; panic never recommends fewer. */
  readonly maxPanicPods: number;
}

/**
 * The state of a decider that has no history (first decision for a target, or after a scaler restart), as
 * Knative's `newAutoscaler`: with more than one ready pod it starts in panic at `nowMs`, holding the ready count,
 * so that a restart, which loses the metric history, never causes a scale-down storm. With 0 or 1 ready pod,
 * normal behaviour is fine.
 * Examples: 5 ready -> panicking since now, holding 5; 1 ready -> stable, holding 1 (used if panic begins).
 */
export function initialKpaState(readyPods: number, nowMs: number): KpaState {
  return { panicTimeMs: readyPods > 1 ? nowMs : undefined, maxPanicPods: readyPods };
}

/** True when `state` is in panic mode. */
export function isPanicking(state: KpaState): boolean {
  return state.panicTimeMs !== undefined;
}
