import type { TargetKey } from './target.ts';

/**
 * Which targets routes can reach (Knative's revision reachability), for the loop: an unreachable target is no
 * longer held up by min-replicas, initial-replicas or the scale-down delay, and plugins see `reachable: false`.
 * Implementations answer from memory (a watch), never with I/O.
 */
export interface TargetReachability {
  /** False only for a target that routes reference but none can send requests to; true for any other. */
  reachable(key: TargetKey): boolean;
}

/** Every target reachable (no routes watched). */
export const everyTargetReachable: TargetReachability = { reachable: () => true };
