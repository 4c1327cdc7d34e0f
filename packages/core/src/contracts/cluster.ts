import type { PluginRecommendation } from '../scaling/combine-types.ts';
import type { TargetKey, TargetRef } from './target.ts';

/**
 * A scale target as the cluster shows it (a Deployment). The loop reads only this; Kubernetes adapters fill it
 * from the informer cache, the simulator from its model.
 */
export interface ScaleTarget {
  readonly ref: TargetRef;
  readonly key: TargetKey;
  readonly uid: string;
  /** Changes on every write of the object. */
  readonly resourceVersion: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  /** `spec.selector.matchLabels`. */
  readonly selector: Readonly<Record<string, string>>;
  /** `spec.replicas`. */
  readonly specReplicas: number;
  /** `status.readyReplicas`. */
  readonly readyReplicas: number;
  /** `metadata.generation`/`status.observedGeneration` agree (the controller has seen the spec). */
  readonly observed: boolean;
}

/** Why a target changed. */
export type TargetEvent = 'upsert' | 'delete';

/** The set of targets, kept current by a watch. */
export interface TargetSource {
  list(): readonly ScaleTarget[];
  get(key: TargetKey): ScaleTarget | undefined;
  /** Registers a listener for changes; returns a function that removes it. */
  subscribe(listener: (event: TargetEvent, target: ScaleTarget) => void): () => void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** What {@link Actuator.reconcile} tells the loop about one tick. */
export interface ReconcileResult {
  /** When set, the loop does not scale the target on this tick (a precondition does not hold yet): the reason. */
  readonly hold?: string;
}

/** Changes the replica count of a target. */
export interface Actuator {
  /** Sets `spec.replicas` to `replicas` (via the scale subresource); resolves when written. */
  scale(target: ScaleTarget, replicas: number): Promise<void>;
  /**
   * Optional per-tick hook: called on every tick of an owned target with the desired count, also when it equals
   * `spec.replicas`, before any scale. A decorator (the reserve swap) drives its own state machine here and may
   * hold the scale until a precondition holds. Never throws; problems are reported by the implementation.
   * `recommendations` are the plugins' answers behind `desired` (e.g. the KPA's burst capacity for the activator).
   */
  reconcile?(target: ScaleTarget, desired: number, recommendations?: readonly PluginRecommendation[]): Promise<ReconcileResult>;
  /** Optional: starts what the actuator watches; the loop calls it before its first tick. */
  start?(): Promise<void>;
  /** Optional: stops it; the loop calls it when it stops. */
  stop?(): Promise<void>;
}

/** Kubernetes Event types. */
export type EventType = 'Normal' | 'Warning';

/** Records Events on a target (like the HPA's `SuccessfulRescale`). Never throws; failures are logged. */
export interface EventSink {
  event(target: ScaleTarget, type: EventType, reason: string, message: string): Promise<void>;
}

/** The JSON that Ebb keeps in the target's status annotation. */
export interface TargetStatus {
  readonly desired: number;
  readonly current: number;
  /** Plugin id that won the combination, if any. */
  readonly winner?: string;
  readonly recommendations: Readonly<Record<string, { readonly kind: string; readonly replicas?: number; readonly reason: string }>>;
  /** Steps of the combination that changed the value (bounds, delay, ...). */
  readonly applied: readonly string[];
  /** ISO time of the last scale action. */
  readonly lastScaleTime?: string;
  /** Config problems, when the config is invalid. */
  readonly configErrors?: readonly string[];
  /** What plugins asked to keep across restarts (`RecommendOutput.persist`), by plugin id. */
  readonly persist?: Readonly<Record<string, string>>;
}

/** Writes the status annotation. */
export interface StatusWriter {
  write(target: ScaleTarget, status: TargetStatus): Promise<void>;
}
