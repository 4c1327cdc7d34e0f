import type { ReadinessTimings } from './group-pods.ts';
import type { CustomMetric } from './custom-metric.ts';
import type { MetricTarget } from './metric-target.ts';
import type { PodSample } from './pod-metrics-snapshot.ts';
import { calculateReplicas, type MetricProposal } from './replica-calculator.ts';
import type { Tolerances } from './tolerances.ts';

/** A metric of any source: CPU/memory, or Pods, Object, External. */
export type AnyMetric = MetricTarget | CustomMetric;

/** One metric and what it proposed. */
export interface MetricResult {
  readonly target: AnyMetric;
  readonly proposal: MetricProposal;
}

/** Inputs of {@link computeReplicasForMetrics}. */
export interface MetricsInput {
  readonly currentReplicas: number;
  readonly pods: readonly PodSample[];
  readonly targets: readonly MetricTarget[];
  readonly tolerances: Tolerances;
  readonly timings: ReadinessTimings;
  readonly nowMs: number;
}

/** The combined proposal of all metrics, or why there is none. */
export type MetricsOutcome =
  | {
      readonly ok: true;
      /** The highest proposal of the valid metrics. */
      readonly replicas: number;
      /** The metric that proposed it. */
      readonly winner: MetricResult & { readonly proposal: Extract<MetricProposal, { ok: true }> };
      readonly results: readonly MetricResult[];
    }
  | { readonly ok: false; readonly reason: string; readonly results: readonly MetricResult[] };

/**
 * Proposes a count from every metric and takes the highest (`computeReplicasForMetrics`). When every metric
 * is invalid, or some are and the valid ones would scale down, there is no proposal: a metric that cannot be
 * read must not let the target shrink. Example: CPU proposes 3 of current 5 while memory has no samples -> none.
 */
export function computeReplicasForMetrics(input: MetricsInput): MetricsOutcome {
  const results: MetricResult[] = input.targets.map((target) => ({
    target,
    proposal: calculateReplicas({ ...input, target }),
  }));
  return combineProposals(input.currentReplicas, results);
}

/**
 * The highest proposal of `results` (in their order, the first of equal ones), or none when every metric is
 * invalid or some are and the valid ones would go below `currentReplicas` (see {@link computeReplicasForMetrics}).
 */
export function combineProposals(currentReplicas: number, results: readonly MetricResult[]): MetricsOutcome {
  let winner: (MetricResult & { readonly proposal: Extract<MetricProposal, { ok: true }> }) | undefined;
  const errors: string[] = [];
  for (const result of results) {
    const { proposal } = result;
    if (!proposal.ok) errors.push(proposal.error);
    else if (winner === undefined || winner.proposal.replicas === 0 || proposal.replicas > winner.proposal.replicas) {
      winner = { target: result.target, proposal };
    }
  }
  const counts = `${errors.length} of ${results.length} metrics invalid`;
  if (winner === undefined) return { ok: false, reason: `${counts}, first error: ${errors[0]}`, results };
  if (errors.length > 0 && winner.proposal.replicas < currentReplicas) {
    return { ok: false, reason: `${counts} and the others would scale down; holding: ${errors[0]}`, results };
  }
  return { ok: true, replicas: winner.proposal.replicas, winner, results };
}
