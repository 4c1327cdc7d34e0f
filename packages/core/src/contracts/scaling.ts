/** The target-wide scaling configuration (keys `ebb.dev/<key>`, with Knative aliases), parsed by core. */
export interface ScalingConfig {
  /** Policy plugin ids enabled on the target (`ebb.dev/policies`). */
  readonly policies: readonly string[];
  /** Lower bound of replicas (`ebb.dev/min-replicas`, alias `autoscaling.knative.dev/min-scale`). */
  readonly minReplicas: number;
  /** Upper bound of replicas; 0 means unbounded (`ebb.dev/max-replicas`, alias `.../max-scale`). */
  readonly maxReplicas: number;
  /** Replicas when the target is first seen or scaled from zero (`ebb.dev/initial-replicas`, alias `.../initial-scale`). */
  readonly initialReplicas: number;
  /** Minimum replicas when scaling up from zero (`ebb.dev/activation-replicas`, alias `.../activation-scale`). */
  readonly activationReplicas: number;
  /** Scale-down happens only to the max desired count over this window, in ms (`ebb.dev/scale-down-delay`). */
  readonly scaleDownDelayMs: number;
  /** Whether the target may go to zero replicas (`ebb.dev/scale-to-zero`). */
  readonly scaleToZero: boolean;
  /** After the last non-zero desired count, wait this long (ms) before zero (`ebb.dev/scale-to-zero-grace-period`). */
  readonly scaleToZeroGracePeriodMs: number;
  /** Keep the last pod at least this long (ms) after traffic stops (`ebb.dev/scale-to-zero-pod-retention-period`). */
  readonly scaleToZeroPodRetentionMs: number;
}
