import type { RecommendInput, RecommendOutput, Recommendation } from '@ebb/core';
import { longestPolicyPeriodSeconds, resolveBehavior, type HpaBehavior } from './behavior.ts';
import { computeReplicasForMetrics } from './compute-metrics.ts';
import { describeDecision } from './decision-reason.ts';
import type { HpaConfig } from './hpa-fields.ts';
import { INITIAL_HPA_STATE, recordObservedScale, type HpaState } from './hpa-state.ts';
import { metricTargets } from './metric-target.ts';
import { normalizeDesiredReplicas } from './normalize.ts';
import { POD_METRICS_SNAPSHOT, type PodMetricsSnapshot } from './pod-metrics-snapshot.ts';
import type { Tolerances } from './tolerances.ts';

/** Where the decision finds its data and how old that data may be. */
export interface HpaDecisionOptions {
  /** Snapshot name of the pod metrics (default {@link POD_METRICS_SNAPSHOT}). */
  readonly snapshotName: string;
  /** A snapshot older than this (ms) is no data: the collector has stopped delivering (default 120 000). */
  readonly maxSnapshotAgeMs: number;
}

/** Defaults of {@link HpaDecisionOptions}. */
export const DEFAULT_HPA_DECISION_OPTIONS: HpaDecisionOptions = { snapshotName: POD_METRICS_SNAPSHOT, maxSnapshotAgeMs: 120_000 };

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
 * The HPA decision for one target, pure: the controller's reconcile step with the pods snapshot as its
 * metrics client and {@link HpaState} as its memory.
 *
 * - 0 current replicas: no opinion (the HPA does not scale from zero).
 * - Current count outside [max(1, min), max]: the nearest bound.
 * - No snapshot, or a stale one: no data (blocks scale-down).
 * - Otherwise every metric proposes a count ({@link computeReplicasForMetrics}); the highest is stabilized and
 *   limited ({@link normalizeDesiredReplicas}). All metrics invalid, or some invalid while the rest would scale
 *   down: no data.
 */
export function recommendHpa(
  input: RecommendInput<HpaConfig, HpaState>,
  options: HpaDecisionOptions = DEFAULT_HPA_DECISION_OPTIONS,
): RecommendOutput<HpaState> {
  const { nowMs, config, scaling } = input;
  const current = input.replicas.current;
  const minReplicas = Math.max(1, scaling.minReplicas);
  const maxReplicas = scaling.maxReplicas > 0 ? scaling.maxReplicas : Infinity;
  const behavior = config.behavior === undefined ? undefined : resolveBehavior(config.behavior);
  const state = prepareState(input.state, current, behavior, nowMs);
  const out = (recommendation: Recommendation, next: HpaState = state): RecommendOutput<HpaState> => ({ recommendation, state: next });

  if (current === 0) return out({ kind: 'no-opinion', reason: 'the target has 0 replicas; the HPA algorithm does not scale from zero' });
  // A change to a bound is a scale event like any other (the controller stores it when it rescales).
  if (current > maxReplicas) {
    const reason = `current replicas ${current} above max-replicas ${maxReplicas}`;
    return out({ kind: 'replicas', replicas: maxReplicas, reason }, withProposal(state, behavior, current, maxReplicas, nowMs));
  }
  if (current < minReplicas) {
    const reason = `current replicas ${current} below min-replicas ${minReplicas}`;
    return out({ kind: 'replicas', replicas: minReplicas, reason }, withProposal(state, behavior, current, minReplicas, nowMs));
  }

  const snapshot = input.metrics.snapshot<PodMetricsSnapshot>(options.snapshotName);
  if (snapshot === undefined) return out({ kind: 'no-data', reason: `no pod metrics yet (snapshot "${options.snapshotName}")` });
  const ageMs = nowMs - snapshot.timeMs;
  if (ageMs > options.maxSnapshotAgeMs) {
    return out({ kind: 'no-data', reason: `pod metrics are ${Math.round(ageMs / 1000)}s old (limit ${Math.round(options.maxSnapshotAgeMs / 1000)}s)` });
  }

  const outcome = computeReplicasForMetrics({
    currentReplicas: current,
    pods: snapshot.value.pods,
    targets: metricTargets(config),
    tolerances: tolerancesOf(config, behavior),
    timings: { cpuInitializationPeriodMs: config.cpuInitializationPeriodMs, initialReadinessDelayMs: config.initialReadinessDelayMs },
    nowMs,
  });
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
