import type { RecommendInput, RecommendOutput, ScalingConfig } from '@ebb/core';
import { AGGREGATION_WEIGHTED_EXPONENTIAL, KPA_CLASS } from './knative-constants.ts';
import type { KpaConfig } from './kpa-config.ts';
import { decideKpa, type KpaDecisionInput } from './kpa-decider.ts';
import { describeKpaDecision } from './kpa-reason.ts';
import { initialKpaState, type KpaState } from './kpa-state.ts';

/**
 * The KPA plugin's `recommend`: pure, reads only `input`.
 *
 * Where each Knative behaviour lives in Ebb:
 * - here: class selection, the stable/panic observation (as `kpa-observe.ts` reads it), the decision
 *   (`kpa-decider.ts`: target per pod, rate limits, activation scale, panic mode, excess burst capacity), the panic
 *   state kept in {@link KpaState} and a new decider starting in panic (`kpa-state.ts`);
 * - core's combination step (ScalingConfig): min/max scale, initial scale, scale-down delay, enable-scale-to-zero,
 *   the scale-to-zero grace period and pod retention period; core also floors a scale-up from zero at the
 *   activation scale for every plugin, which agrees with the KPA's own (Knative's) activation rule;
 * - the gateway: the activator's role (holding requests at zero, staying in the path while the excess burst
 *   capacity reported in `details.excessBurstCapacity` is negative).
 *
 * A steady decision costs no allocation: when the target is not panicking and the previous decision (the one
 * that returned `input.state`) saw the same configuration, ready pods, scaling configuration and stable and panic
 * values, the answer cannot differ (outside panic mode nothing depends on the time), so that answer is returned
 * again, the same objects. Reading the windows allocates nothing either.
 */
export function recommendKpa(input: RecommendInput<KpaConfig, KpaState>): RecommendOutput<KpaState> {
  const { config, nowMs } = input;
  if (!config.selected) return notSelected(config);
  // A decider without history is created now, as Knative creates one when it first sees a revision.
  const state = input.state ?? initialKpaState(input.replicas.ready, nowMs);
  const window = input.metrics.window(config.metric);
  // Both windows end at now and are averaged alike; an empty panic window inside a non-empty stable one is 0.
  const weighted = config.aggregation === AGGREGATION_WEIGHTED_EXPONENTIAL;
  const stableValue = window && (weighted ? window.weightedAverage(nowMs, config.stableWindowMs) : window.average(nowMs, config.stableWindowMs));
  const ready = input.replicas.ready;
  // Knative's DeciderSpec.Reachable: false for a version no route sends requests to (no scale-down limit then).
  const reachable = input.reachable ?? true;
  const previous = input.state instanceof SteadyState ? input.state : undefined;
  if (stableValue === undefined) {
    const again = previous?.answerFor(config, input.scaling, ready, stableValue, 0, reachable);
    if (again) return again;
    const kept = state.panicTimeMs === undefined ? new SteadyState(state.maxPanicPods) : state;
    const output: RecommendOutput<KpaState> = {
      recommendation: { kind: 'no-data', reason: `no ${config.metric} data in the last ${config.stableWindowMs / 1000}s: no data to scale on yet` },
      state: kept,
    };
    if (kept instanceof SteadyState) kept.remember(config, input.scaling, ready, stableValue, 0, reachable, output);
    return output;
  }
  const panicValue = (weighted ? window?.weightedAverage(nowMs, config.panicWindowMs) : window?.average(nowMs, config.panicWindowMs)) ?? 0;
  const again = previous?.answerFor(config, input.scaling, ready, stableValue, panicValue, reachable);
  if (again) return again;
  const observation = { stableValue, panicValue };
  const decision = decideKpa({ nowMs, config, readyPods: ready, observation, activationScale: input.scaling.activationReplicas, state, reachable });
  const details: Record<string, number | string | boolean> = {
    metric: config.metric,
    metricSource: config.metricSource,
    observedStableValue: observation.stableValue,
    observedPanicValue: observation.panicValue,
    targetPerPod: config.targetPerPod,
    totalPerPod: config.totalPerPod,
    readyPods: ready,
    desiredStablePods: decision.desiredStablePodCount,
    desiredPanicPods: decision.desiredPanicPodCount,
    maxScaleUp: decision.maxScaleUp,
    maxScaleDown: decision.maxScaleDown,
    inPanic: decision.inPanic,
    excessBurstCapacity: decision.excessBurstCapacity,
  };
  if (decision.state.panicTimeMs !== undefined) details['panicTimeMs'] = decision.state.panicTimeMs;
  // Outside panic mode, with the state unchanged, the same inputs give this answer at any later time.
  const steady = state.panicTimeMs === undefined && decision.state.panicTimeMs === undefined && state.maxPanicPods === decision.state.maxPanicPods;
  const kept = steady ? new SteadyState(decision.state.maxPanicPods) : decision.state;
  const output: RecommendOutput<KpaState> = {
    recommendation: { kind: 'replicas', replicas: decision.desiredPodCount, reason: describeKpaDecision(config, observation, decision), details },
    state: kept,
  };
  if (kept instanceof SteadyState) kept.remember(config, input.scaling, ready, stableValue, panicValue, reachable, output);
  return output;
}

/**
 * A state outside panic mode that also carries what the decision that returned it saw, and its answer, for the
 * next decision to compare with. Those are private fields: JSON, spreads, copies and equality see only the two
 * state fields, so a state persisted and read back is a plain {@link KpaState} again (the next decision then
 * decides once more).
 */
class SteadyState implements KpaState {
  readonly panicTimeMs: undefined = undefined;
  readonly maxPanicPods: number;
  #config: KpaConfig | undefined;
  #scaling: ScalingConfig | undefined;
  #ready = 0;
  #stableValue: number | undefined;
  #panicValue = 0;
  #reachable = true;
  #output: RecommendOutput<KpaState> | undefined;

  constructor(maxPanicPods: number) {
    this.maxPanicPods = maxPanicPods;
  }

  /** Keeps what the decision that returns this state saw, and its answer. */
  remember(config: KpaConfig, scaling: ScalingConfig, ready: number, stableValue: number | undefined, panicValue: number, reachable: boolean, output: RecommendOutput<KpaState>): void {
    this.#reachable = reachable;
    this.#config = config;
    this.#scaling = scaling;
    this.#ready = ready;
    this.#stableValue = stableValue;
    this.#panicValue = panicValue;
    this.#output = output;
  }

  /** The remembered answer when a decision sees exactly the same, else undefined. */
  answerFor(config: KpaConfig, scaling: ScalingConfig, ready: number, stableValue: number | undefined, panicValue: number, reachable: boolean): RecommendOutput<KpaState> | undefined {
    const same = this.#reachable === reachable && this.#config === config && this.#scaling === scaling && this.#ready === ready && this.#stableValue === stableValue && this.#panicValue === panicValue;
    return same ? this.#output : undefined;
  }
}

/**
 * The inputs of `decideKpa` the memo covers: `config`, `readyPods` and `activationScale` (through `scaling`), the
 * observation, the state (which carries the memo), `reachable`; `nowMs` does not matter outside panic mode. Typecheck fails here when the decider
 * gains an input, so that the memo learns to compare it.
 */
type MemoisedDecisionInputs = 'nowMs' | 'config' | 'readyPods' | 'observation' | 'activationScale' | 'state' | 'reachable';
const _everyDecisionInputMemoised: [Exclude<keyof KpaDecisionInput, MemoisedDecisionInputs>] extends [never] ? true : never = true;

/** One answer per configuration for a target of another autoscaling class. */
const notSelectedOutputs = new WeakMap<KpaConfig, RecommendOutput<KpaState>>();

function notSelected(config: KpaConfig): RecommendOutput<KpaState> {
  let output = notSelectedOutputs.get(config);
  if (output === undefined) {
    output = {
      recommendation: { kind: 'no-opinion', reason: `autoscaling class is ${config.autoscalerClass}; the KPA acts only for ${KPA_CLASS}` },
    };
    notSelectedOutputs.set(config, output);
  }
  return output;
}
