import type { MetricsView, RecommendInput, ScalingConfig } from '@ebb/core';
import type { KpaConfig } from '../kpa-config.ts';
import type { KpaState } from '../kpa-state.ts';
import { fakeMetrics } from './fake-metrics.ts';
import { T0 } from './knative-fixtures.ts';

/** Core's scaling defaults for a target (no bounds, activation 1, scale to zero allowed). */
export const DEFAULT_SCALING: ScalingConfig = {
  policies: ['kpa'],
  minReplicas: 0,
  maxReplicas: 0,
  initialReplicas: 1,
  activationReplicas: 1,
  scaleDownDelayMs: 0,
  scaleToZero: true,
  scaleToZeroGracePeriodMs: 30_000,
  scaleToZeroPodRetentionMs: 0,
};

/** A {@link RecommendInput} for the KPA with sensible defaults; override what the test is about. */
export function recommendInput(
  config: KpaConfig,
  parts: { nowMs?: number; ready?: number; metrics?: MetricsView; state?: KpaState; scaling?: Partial<ScalingConfig> } = {},
): RecommendInput<KpaConfig, KpaState> {
  const ready = parts.ready ?? 1;
  return {
    nowMs: parts.nowMs ?? T0,
    target: { namespace: 'default', name: 'web' },
    config,
    scaling: { ...DEFAULT_SCALING, ...parts.scaling },
    replicas: { current: ready, ready },
    metrics: parts.metrics ?? fakeMetrics(),
    state: parts.state,
  };
}
