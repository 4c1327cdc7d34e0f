import type { TargetKey } from './target.ts';

/** A replica floor something outside the policies holds a target at, with the sentence `ebb explain` shows. */
export interface TargetFloor {
  /** Pods the target keeps at least (integer >= 0), capped by its max-replicas. */
  readonly replicas: number;
  /** Why, e.g. `rollout of route shop/coffee: 20 % next, needs 2 Ready pods`. */
  readonly reason: string;
}

/**
 * Replica floors for the loop from outside the policies (a gradual rollout prepares the version receiving
 * traffic, and keeps the giving one at the capacity of its share). Applied last in combination: above the
 * policies, min-replicas and scale to zero, below max-replicas; also for an unreachable target (a version a
 * rollout is about to send traffic to has no share yet). Implementations answer from memory, never with I/O.
 */
export interface TargetFloors {
  /** The floor of `key` now; undefined: none. */
  floor(key: TargetKey): TargetFloor | undefined;
}
