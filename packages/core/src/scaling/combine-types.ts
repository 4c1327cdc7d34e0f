import type { Recommendation } from '../contracts/plugin.ts';
import type { ScalingConfig } from '../contracts/scaling.ts';
import type { DelayEntry } from './delay-window.ts';

/** One enabled plugin's answer this tick. */
export interface PluginRecommendation {
  readonly pluginId: string;
  readonly recommendation: Recommendation;
}

/**
 * The name of a combination step that changed the desired count, in the order they run:
 * - `no-data-hold`: a plugin has no data, so no scale-down below the current count;
 * - `min-replicas`, `max-replicas`: the bounds (max 0 = unbounded);
 * - `scale-down-delay`: held at the highest desired count of the delay window;
 * - `scale-to-zero-disabled`: zero is not allowed, kept at one;
 * - `scale-to-zero-grace`, `pod-retention`: zero is allowed but not yet, kept at one;
 * - `activation`: scaling up from zero to at least `activationReplicas`;
 * - `initial-replicas`: a target not yet initialized is kept at least at `initialReplicas`.
 */
export type CombineStep =
  | 'no-data-hold'
  | 'min-replicas'
  | 'max-replicas'
  | 'scale-down-delay'
  | 'scale-to-zero-disabled'
  | 'scale-to-zero-grace'
  | 'pod-retention'
  | 'activation'
  | 'initial-replicas'
  | 'floor';

/** A step that changed the desired count, for `ebb explain` and Events. */
export interface AppliedStep {
  readonly step: CombineStep;
  /** Replicas before and after the step. */
  readonly from: number;
  readonly to: number;
  /** One sentence for people, e.g. `highest desired count in the last 1m was 8`. */
  readonly detail: string;
}

/** What combination remembers between decisions for one target (plain data: serialisable). */
export interface CombineState {
  /** The scale-down delay window (empty when the delay is 0). */
  readonly delayWindow: readonly DelayEntry[];
  /**
   * Time (ms) of the last decision whose desired count before the scale-to-zero rules was non-zero; when the
   * first decision seen already wants zero, the time of that decision (the grace period starts then).
   */
  readonly lastActiveMs?: number;
  /** The target has reached `initialReplicas` ready pods once (or was managed before): initial-replicas is done. */
  readonly initialized?: boolean;
}

/** Input of {@link combine}. */
export interface CombineRequest {
  /** The enabled plugins' recommendations, in `ebb.dev/policies` order (ties go to the first). */
  readonly recommendations: readonly PluginRecommendation[];
  readonly scaling: ScalingConfig;
  /** The Deployment's `spec.replicas`. */
  readonly currentReplicas: number;
  /**
   * Ready pods of the target: tells when the target is initialized (has had `initialReplicas` ready pods once).
   * Without it the initial-replicas step is skipped.
   */
  readonly readyReplicas?: number;
  /**
   * The target was managed before this scaler saw it (it carries Ebb's status annotation), so a restart of the
   * scaler never re-applies `initialReplicas` to a target that scaled to zero on purpose.
   */
  readonly managedBefore?: boolean;
  /**
   * A request is waiting for this target right now (the gateway holds it and poked the scaler): from zero, the
   * target is woken to `activationReplicas` at once, before any metric window shows the request.
   */
  readonly requestWaiting?: boolean;
  /**
   * False for a target no route can send requests to (Knative's unreachable revision): min-replicas,
   * initial-replicas, the scale-down delay and the pod retention period no longer hold it up (the grace period
   * still does). Absent or true: reachable.
   */
  readonly reachable?: boolean;
  /** A replica floor from outside the policies (see `TargetFloors`), applied last, capped by `maxReplicas`. */
  readonly floor?: { readonly replicas: number; readonly reason: string };
  readonly nowMs: number;
  /** The previous decision's {@link CombineResult.state}; anything else (undefined, malformed) starts afresh. */
  readonly state?: unknown;
}

/** Output of {@link combine}. */
export interface CombineResult {
  /** The desired replica count (integer >= 0). */
  readonly desired: number;
  /** The plugin whose recommendation was the max (first in policy order on ties); absent without any. */
  readonly winner?: { readonly pluginId: string; readonly reason: string };
  /** Names of the steps that changed the value, in order. */
  readonly applied: readonly CombineStep[];
  /** The same steps with their before/after values and a sentence each. */
  readonly steps: readonly AppliedStep[];
  /** State to pass to the next decision for this target. */
  readonly state: CombineState;
}
