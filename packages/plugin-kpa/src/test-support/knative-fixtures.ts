import type { KpaConfig } from '../kpa-config.ts';
import { decideKpa, type KpaDecision } from '../kpa-decider.ts';
import { initialKpaState, type KpaState } from '../kpa-state.ts';

/** A fixed start time for tests: 2026-01-01T00:00:00Z, in ms. */
export const T0 = Date.UTC(2026, 0, 1);
/** Seconds to ms. */
export const s = (seconds: number): number => seconds * 1000;

/** Knative's autoscaler_test.go presumes a 75 % utilization: total value = target value / 0.75. */
export const KNATIVE_TEST_UTILIZATION = 0.75;

/**
 * The decider spec of Knative's `newTestAutoscaler(targetValue, targetBurstCapacity, ...)`: panic threshold 2,
 * rates 10 both ways, stable window 60 s, total value = target / 0.75; `overrides` for `prepFunc`-like changes.
 */
export function knativeTestConfig(targetPerPod: number, targetBurstCapacity: number, overrides: Partial<KpaConfig> = {}): KpaConfig {
  return {
    autoscalerClass: 'kpa.autoscaling.knative.dev',
    selected: true,
    metric: 'concurrency',
    targetPerPod,
    totalPerPod: targetPerPod / KNATIVE_TEST_UTILIZATION,
    targetBurstCapacity,
    panicThreshold: 2,
    maxScaleUpRate: 10,
    maxScaleDownRate: 10,
    stableWindowMs: s(60),
    panicWindowMs: s(6),
    aggregation: 'linear',
    metricSource: 'external',
    prometheusQuery: undefined,
    ...overrides,
  };
}

/** Knative's `expectedEBC(totCap, targetBC, recordedConcurrency, numPods)`: floor(target / 0.75 x pods - tbc - panic). */
export function expectedEbc(targetPerPod: number, targetBurstCapacity: number, panicValue: number, readyPods: number): number {
  return Math.floor((targetPerPod / KNATIVE_TEST_UTILIZATION) * readyPods - targetBurstCapacity - panicValue);
}

/**
 * A decider with memory, like Knative's `autoscaler` object: created with the ready pods seen at creation
 * (Knative's test pod counter starts at 1), then `scale` as often as needed; the config may change between calls
 * (Knative's `Update`).
 */
export class TestDecider {
  config: KpaConfig;
  state: KpaState;
  activationScale = 1;

  constructor(config: KpaConfig, readyAtCreation = 1, createdMs = T0) {
    this.config = config;
    this.state = initialKpaState(readyAtCreation, createdMs);
  }

  scale(nowMs: number, readyPods: number, stableValue: number, panicValue: number): KpaDecision {
    const decision = decideKpa({
      nowMs,
      config: this.config,
      readyPods,
      observation: { stableValue, panicValue },
      activationScale: this.activationScale,
      state: this.state,
    });
    this.state = decision.state;
    return decision;
  }
}
