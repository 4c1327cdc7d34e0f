import type { MetricsView, RecommendInput, ScalingConfig, Snapshot } from '@ebb/core';
import { CUSTOM_METRICS_SNAPSHOT, type CustomMetricsSnapshot } from '../custom-metrics-snapshot.ts';
import { DEFAULT_HPA_CONFIG, type HpaConfig } from '../hpa-fields.ts';
import type { HpaState } from '../hpa-state.ts';
import { POD_METRICS_SNAPSHOT, type PodMetricsSnapshot, type PodSample } from '../pod-metrics-snapshot.ts';
import { NOW_MS } from './pods.ts';

/** Target-wide settings of the decision tests: 1..10 replicas. */
export const SCALING: ScalingConfig = {
  policies: ['hpa'],
  minReplicas: 1,
  maxReplicas: 10,
  initialReplicas: 1,
  activationReplicas: 1,
  scaleDownDelayMs: 0,
  scaleToZero: false,
  scaleToZeroGracePeriodMs: 30_000,
  scaleToZeroPodRetentionMs: 0,
};

/** A metrics view holding only a pods snapshot taken at `timeMs` (or nothing when `pods` is undefined). */
export function podsView(pods: readonly PodSample[] | undefined, timeMs = NOW_MS, name = POD_METRICS_SNAPSHOT): MetricsView {
  return {
    window: () => undefined,
    snapshot<T>(wanted: string): Snapshot<T> | undefined {
      if (pods === undefined || wanted !== name) return undefined;
      const value: PodMetricsSnapshot = { pods };
      return { timeMs, value: value as T };
    },
  };
}

/** A metrics view with a pods snapshot (when `pods` is given) and a custom metrics snapshot (when `custom` is). */
export function snapshotsView(pods: readonly PodSample[] | undefined, custom: CustomMetricsSnapshot | undefined, timeMs = NOW_MS): MetricsView {
  const podsOnly = podsView(pods, timeMs);
  return {
    window: () => undefined,
    snapshot<T>(wanted: string): Snapshot<T> | undefined {
      if (wanted === CUSTOM_METRICS_SNAPSHOT) return custom === undefined ? undefined : { timeMs, value: custom as T };
      return podsOnly.snapshot<T>(wanted);
    },
  };
}

/** What a decision test varies. */
export interface DecisionSetup {
  readonly config?: Partial<HpaConfig>;
  readonly scaling?: Partial<ScalingConfig>;
  readonly current?: number;
  readonly pods?: readonly PodSample[];
  /** The custom metrics snapshot (its pods count as the current replicas when `pods` and `current` are unset). */
  readonly custom?: CustomMetricsSnapshot;
  readonly snapshotTimeMs?: number;
  readonly state?: HpaState;
  readonly nowMs?: number;
}

/** A decision input: defaults of {@link SCALING} and {@link DEFAULT_HPA_CONFIG} with the setup on top. */
export function decisionInput(setup: DecisionSetup): RecommendInput<HpaConfig, HpaState> {
  const nowMs = setup.nowMs ?? NOW_MS;
  const current = setup.current ?? setup.pods?.length ?? setup.custom?.pods.length ?? 0;
  return {
    nowMs,
    target: { namespace: 'shop', name: 'web' },
    config: { ...DEFAULT_HPA_CONFIG, ...setup.config },
    scaling: { ...SCALING, ...setup.scaling },
    replicas: { current, ready: current },
    metrics: snapshotsView(setup.pods, setup.custom, setup.snapshotTimeMs ?? nowMs),
    state: setup.state,
  };
}
