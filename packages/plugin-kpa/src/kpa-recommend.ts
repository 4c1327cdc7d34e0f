import type { RecommendInput, RecommendOutput } from '@ebb/core';
import { KPA_CLASS } from './knative-constants.ts';
import type { KpaConfig } from './kpa-config.ts';
import { decideKpa } from './kpa-decider.ts';
import { observeKpaMetric } from './kpa-observe.ts';
import { describeKpaDecision } from './kpa-reason.ts';
import { initialKpaState, type KpaState } from './kpa-state.ts';

/**
 * The KPA plugin's `recommend`: pure, reads only `input`.
 *
 * Where each Knative behaviour lives in Ebb:
 * - here: class selection, the stable/panic observation (`kpa-observe.ts`), the decision (`kpa-decider.ts`:
 *   target per pod, rate limits, activation scale, panic mode, excess burst capacity), the panic state kept in
 *   {@link KpaState} and a new decider starting in panic (`kpa-state.ts`);
 * - core's combination step (ScalingConfig): min/max scale, initial scale, scale-down delay, enable-scale-to-zero,
 *   the scale-to-zero grace period and pod retention period; core also floors a scale-up from zero at the
 *   activation scale for every plugin, which agrees with the KPA's own (Knative's) activation rule;
 * - the gateway: the activator's role (holding requests at zero, staying in the path while the excess burst
 *   capacity reported in `details.excessBurstCapacity` is negative).
 */
export function recommendKpa(input: RecommendInput<KpaConfig, KpaState>): RecommendOutput<KpaState> {
  const { config, nowMs } = input;
  if (!config.selected) {
    return {
      recommendation: {
        kind: 'no-opinion',
        reason: `autoscaling class is ${config.autoscalerClass}; the KPA acts only for ${KPA_CLASS}`,
      },
    };
  }
  // A decider without history is created now, as Knative creates one when it first sees a revision.
  const state = input.state ?? initialKpaState(input.replicas.ready, nowMs);
  const observation = observeKpaMetric(input.metrics, config, nowMs);
  if (observation === undefined) {
    return {
      recommendation: {
        kind: 'no-data',
        reason: `no ${config.metric} data in the last ${config.stableWindowMs / 1000}s: no data to scale on yet`,
      },
      state,
    };
  }
  const decision = decideKpa({
    nowMs,
    config,
    readyPods: input.replicas.ready,
    observation,
    activationScale: input.scaling.activationReplicas,
    state,
  });
  const details: Record<string, number | string | boolean> = {
    metric: config.metric,
    observedStableValue: observation.stableValue,
    observedPanicValue: observation.panicValue,
    targetPerPod: config.targetPerPod,
    readyPods: input.replicas.ready,
    desiredStablePods: decision.desiredStablePodCount,
    desiredPanicPods: decision.desiredPanicPodCount,
    maxScaleUp: decision.maxScaleUp,
    maxScaleDown: decision.maxScaleDown,
    inPanic: decision.inPanic,
    excessBurstCapacity: decision.excessBurstCapacity,
  };
  if (decision.state.panicTimeMs !== undefined) details['panicTimeMs'] = decision.state.panicTimeMs;
  return {
    recommendation: {
      kind: 'replicas',
      replicas: decision.desiredPodCount,
      reason: describeKpaDecision(config, observation, decision),
      details,
    },
    state: decision.state,
  };
}
