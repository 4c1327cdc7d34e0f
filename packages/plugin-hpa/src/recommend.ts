import type { RecommendInput, RecommendOutput, Recommendation } from '@ebb/core';
import { longestPolicyPeriodSeconds, resolveBehavior, type HpaBehavior } from './behavior.ts';
import { combineProposals, type MetricResult, type MetricsOutcome } from './compute-metrics.ts';
import { scalesFromZero } from './custom-metric.ts';
import { calculateCustomReplicas } from './custom-replica-calculator.ts';
import { CUSTOM_METRICS_SNAPSHOT, type CustomMetricsSnapshot } from './custom-metrics-snapshot.ts';
import { customMetricId } from './custom-metric.ts';
import { describeDecision } from './decision-reason.ts';
import type { HpaConfig } from './hpa-fields.ts';
import { INITIAL_HPA_STATE, recordObservedScale, type HpaState } from './hpa-state.ts';
import { metricTargets } from './metric-target.ts';
import { normalizeDesiredReplicas } from './normalize.ts';
import { POD_METRICS_SNAPSHOT, type PodMetricsSnapshot } from './pod-metrics-snapshot.ts';
import { calculateReplicas } from './replica-calculator.ts';
import type { Tolerances } from './tolerances.ts';

/** Where the decision finds its data and how old that data may be. */
export interface HpaDecisionOptions {
  /** Snapshot name of the pod metrics (default {@link POD_METRICS_SNAPSHOT}). */
  readonly snapshotName: string;
  /** Snapshot name of the Pods/Object/External readings (default {@link CUSTOM_METRICS_SNAPSHOT}). */
  readonly customSnapshotName: string;
  /** A snapshot older than this (ms) is no data: the collector has stopped delivering (default 120 000). */
  readonly maxSnapshotAgeMs: number;
}

/** Defaults of {@link HpaDecisionOptions}. */
export const DEFAULT_HPA_DECISION_OPTIONS: HpaDecisionOptions = {
  snapshotName: POD_METRICS_SNAPSHOT,
  customSnapshotName: CUSTOM_METRICS_SNAPSHOT,
  maxSnapshotAgeMs: 120_000,
};

/** The tolerances of a target: `ebb.dev/hpa.tolerance` both ways, overridden per direction by the behavior. */
export function tolerancesOf(config: HpaConfig, behavior: HpaBehavior | undefined): Tolerances {
  return {
    scaleUp: behavior?.scaleUp.tolerance ?? config.tolerance,
    scaleDown: behavior?.scaleDown.tolerance ?? config.tolerance,
  };
}

/**
 * Updates the remembered history before a decision: attributes the previous decision's observed change (stored
 * in the controller's slots, see `storeScaleEvent`), and records the current count as the first recommendation
 * (as the controller does for a new HPA, which delays a first scale-down by the scale-down window).
 */
function prepareState(previous: HpaState | undefined, current: number, behavior: HpaBehavior | undefined, nowMs: number): HpaState {
  let state = previous ?? INITIAL_HPA_STATE;
  if (behavior === undefined) {
    // Without a behavior the controller stores no scale events; nothing reads them.
    if (state.proposed !== undefined) state = { recommendations: state.recommendations, scaleUpEvents: state.scaleUpEvents, scaleDownEvents: state.scaleDownEvents };
  } else {
    state = recordObservedScale(state, current, {
      scaleUpMs: longestPolicyPeriodSeconds(behavior.scaleUp) * 1000,
      scaleDownMs: longestPolicyPeriodSeconds(behavior.scaleDown) * 1000,
    });
  }
  if (state.recommendations.length === 0) state = { ...state, recommendations: [{ replicas: current, timeMs: nowMs }] };
  return state;
}

/** The change a decision asks for, to be observed at the next one; only rate limits (a behavior) read it. */
function withProposal(state: HpaState, behavior: HpaBehavior | undefined, current: number, replicas: number, nowMs: number): HpaState {
  return behavior && replicas !== current ? { ...state, proposed: { fromReplicas: current, toReplicas: replicas, timeMs: nowMs } } : state;
}

/**
 * The HPA's lowest count: `max(1, min-replicas)`, or 0 when `min-replicas` is 0, scale-to-zero is allowed and
 * the target has an Object or External metric (an HPA with `minReplicas: 0`, KEP-2021).
 */
export function hpaMinReplicas(config: HpaConfig, scaling: RecommendInput<HpaConfig, HpaState>['scaling']): number {
  const zero = scaling.minReplicas === 0 && scaling.scaleToZero && (config.metrics?.custom ?? []).some(scalesFromZero);
  return zero ? 0 : Math.max(1, scaling.minReplicas);
}

/** A fresh enough snapshot, or the reason there is none. */
function freshSnapshot<T>(input: RecommendInput<HpaConfig, HpaState>, name: string, what: string, maxAgeMs: number): { value: T } | { noData: string } {
  const snapshot = input.metrics.snapshot<T>(name);
  if (snapshot === undefined) return { noData: `no ${what} yet (snapshot "${name}")` };
  const ageMs = input.nowMs - snapshot.timeMs;
  if (ageMs > maxAgeMs) return { noData: `${what} are ${Math.round(ageMs / 1000)}s old (limit ${Math.round(maxAgeMs / 1000)}s)` };
  return { value: snapshot.value };
}

/**
 * Every metric's proposal, in the order resource targets, then Pods/Object/External metrics. From zero replicas
 * only Object and External metrics propose (the others have no pods to read and are invalid, as in the
 * controller, which does not hold a scale-up from zero for them).
 */
export function evaluateHpaMetrics(input: RecommendInput<HpaConfig, HpaState>, options: HpaDecisionOptions, tolerances: Tolerances): MetricsOutcome | { noData: string } {
  const { config, nowMs } = input;
  const current = input.replicas.current;
  const timings = { cpuInitializationPeriodMs: config.cpuInitializationPeriodMs, initialReadinessDelayMs: config.initialReadinessDelayMs };
  const atZero = (what: string) => ({ ok: false as const, error: `${what} cannot be read at 0 replicas` });
  const results: MetricResult[] = [];
  const targets = metricTargets(config);
  if (targets.length > 0 && current > 0) {
    const pods = freshSnapshot<PodMetricsSnapshot>(input, options.snapshotName, 'pod metrics', options.maxSnapshotAgeMs);
    if ('noData' in pods) return pods;
    for (const target of targets) results.push({ target, proposal: calculateReplicas({ currentReplicas: current, pods: pods.value.pods, target, tolerances, timings, nowMs }) });
  } else {
    for (const target of targets) results.push({ target, proposal: atZero(`${target.resource} usage`) });
  }
  const custom = config.metrics?.custom ?? [];
  if (custom.length > 0) {
    const data = freshSnapshot<CustomMetricsSnapshot>(input, options.customSnapshotName, 'custom and external metrics', options.maxSnapshotAgeMs);
    if ('noData' in data) return data;
    for (const metric of custom) {
      if (current === 0 && !scalesFromZero(metric)) {
        results.push({ target: metric, proposal: atZero(`pods metric ${metric.metric.name}`) });
        continue;
      }
      const reading = data.value.readings[customMetricId(metric)] ?? { ok: false, error: `no reading of ${customMetricId(metric)} yet` };
      results.push({ target: metric, proposal: calculateCustomReplicas({ currentReplicas: current, pods: data.value.pods, metric, reading, tolerances, timings, nowMs }) });
    }
  }
  return combineProposals(current, results);
}

/**
 * The HPA decision for one target, pure: the controller's reconcile step with the snapshots as its metrics
 * client and {@link HpaState} as its memory.
 *
 * - 0 current replicas: with an Object or External metric, scale from zero as the controller does (KEP-2021):
 *   those metrics propose `ceil(value / target)` without tolerance; without one, no opinion.
 * - Current count outside [{@link hpaMinReplicas}, max]: the nearest bound.
 * - No snapshot, or a stale one: no data (blocks scale-down).
 * - Otherwise every metric proposes a count; the highest is stabilized and limited
 *   ({@link normalizeDesiredReplicas}). All metrics invalid, or some invalid while the rest would scale down:
 *   no data.
 */
export function recommendHpa(
  input: RecommendInput<HpaConfig, HpaState>,
  options: HpaDecisionOptions = DEFAULT_HPA_DECISION_OPTIONS,
): RecommendOutput<HpaState> {
  const { nowMs, config, scaling } = input;
  const current = input.replicas.current;
  const minReplicas = hpaMinReplicas(config, scaling);
  const maxReplicas = scaling.maxReplicas > 0 ? scaling.maxReplicas : Infinity;
  const behavior = config.behavior === undefined ? undefined : resolveBehavior(config.behavior);
  const state = prepareState(input.state, current, behavior, nowMs);
  const out = (recommendation: Recommendation, next: HpaState = state): RecommendOutput<HpaState> => ({ recommendation, state: next });

  const fromZero = current === 0 && (config.metrics?.custom ?? []).some(scalesFromZero);
  if (current === 0 && !fromZero) {
    return out({ kind: 'no-opinion', reason: 'the target has 0 replicas; the HPA algorithm scales from zero only on Object or External metrics' });
  }
  // A change to a bound is a scale event like any other (the controller stores it when it rescales).
  if (current > maxReplicas) {
    const reason = `current replicas ${current} above max-replicas ${maxReplicas}`;
    return out({ kind: 'replicas', replicas: maxReplicas, reason }, withProposal(state, behavior, current, maxReplicas, nowMs));
  }
  if (current < minReplicas && !fromZero) {
    const reason = `current replicas ${current} below min-replicas ${minReplicas}`;
    return out({ kind: 'replicas', replicas: minReplicas, reason }, withProposal(state, behavior, current, minReplicas, nowMs));
  }

  const outcome = evaluateHpaMetrics(input, options, tolerancesOf(config, behavior));
  if ('noData' in outcome) return out({ kind: 'no-data', reason: outcome.noData });
  if (!outcome.ok) return out({ kind: 'no-data', reason: outcome.reason });

  const normalized = normalizeDesiredReplicas({
    currentReplicas: current,
    desiredReplicas: outcome.replicas,
    minReplicas,
    maxReplicas,
    behavior,
    recommendations: state.recommendations,
    history: state,
    nowMs,
  });
  const next = withProposal({ ...state, recommendations: normalized.recommendations }, behavior, current, normalized.replicas, nowMs);
  const { reason, details } = describeDecision(current, outcome, normalized);
  return out({ kind: 'replicas', replicas: normalized.replicas, reason, details }, next);
}
