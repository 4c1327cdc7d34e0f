/**
 * The data the HPA plugin decides on: every pod the target's selector matches, joined with its resource
 * requests, readiness and its latest `metrics.k8s.io` PodMetrics sample. A collector publishes it per target
 * through `MetricSink.snapshot(target, POD_METRICS_SNAPSHOT, value, timeMs)`; the plugin reads it with
 * `metrics.snapshot<PodMetricsSnapshot>(POD_METRICS_SNAPSHOT)`.
 */

/** Snapshot name under which the pod metrics are published. */
export const POD_METRICS_SNAPSHOT = 'pods';

/** `status.phase` of a pod. */
export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';

/** One PodMetrics sample, summed over the pod's containers. */
export interface PodUsage {
  /** CPU usage in millicores (nanocores rounded up, like `Quantity.MilliValue()`). */
  readonly cpuMilli: number;
  /** Memory working set in bytes. */
  readonly memoryBytes: number;
  /** Length of the window the sample was averaged over (`PodMetrics.window`), in ms. */
  readonly windowMs: number;
  /** End of that window (`PodMetrics.timestamp`), in ms since the epoch. */
  readonly timestampMs: number;
}

/** Resource requests of a pod. */
export interface PodRequests {
  /**
   * CPU request in millicores: pod-level requests when set, else the sum over containers and restartable init
   * containers. Absent when some container has no CPU request.
   */
  readonly cpuMilli?: number;
  /** Memory request in bytes, summed the same way; absent when some container has no memory request. */
  readonly memoryBytes?: number;
}

/** `status` of a pod's Ready condition. */
export type ReadyStatus = 'True' | 'False' | 'Unknown';

/** One pod as the replica calculator sees it. */
export interface PodSample {
  readonly name: string;
  readonly phase: PodPhase;
  /** True when the pod's Ready condition is `True` (`False` and `Unknown` read as false). */
  readonly ready: boolean;
  /**
   * The Ready condition's status when the pod has one. The controller treats only `False` as not ready (a node
   * that stopped reporting leaves its pods `Unknown`, and their samples still count). When absent, `ready`
   * decides (`false` reads as `False`).
   */
  readonly readyStatus?: ReadyStatus;
  /** True when the pod has a `deletionTimestamp`. */
  readonly deleted: boolean;
  /** `status.startTime` in ms since the epoch; absent while the kubelet has not started the pod. */
  readonly startTimeMs?: number;
  /** `lastTransitionTime` of the Ready condition in ms; absent when the pod has no Ready condition. */
  readonly readyTransitionMs?: number;
  readonly requests: PodRequests;
  /** The latest PodMetrics sample; absent when metrics.k8s.io has none (or an incomplete one) for the pod. */
  readonly usage?: PodUsage;
}

/**
 * What the collector publishes for one target. `pods` lists every pod the selector matches, including pods
 * without metrics; metrics of pods that are not in the list are dropped by the collector.
 */
export interface PodMetricsSnapshot {
  readonly pods: readonly PodSample[];
}
