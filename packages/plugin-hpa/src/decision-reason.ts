import type { MetricsOutcome } from './compute-metrics.ts';
import { formatMetricValue, formatTargetValue, metricLabel } from './metric-target.ts';
import type { Normalized } from './normalize.ts';

type Success = Extract<MetricsOutcome, { ok: true }>;

/** A human reason and structured details for a replica recommendation. */
export interface DecisionText {
  readonly reason: string;
  readonly details: Readonly<Record<string, number | string | boolean>>;
}

/**
 * Explains a decision: the winning metric against its target, the pods that did not count as ready, and what
 * stabilization and limits changed. Example:
 * `cpu utilization 90% above target 50% (4 ready pods): 8 replicas, limited to 6 (ScaleUpLimit)`.
 */
export function describeDecision(currentReplicas: number, outcome: Success, normalized: Normalized): DecisionText {
  const { target, proposal } = outcome.winner;
  const { groups } = proposal;
  const value = formatMetricValue(target, proposal.currentValue);
  const metric = `${metricLabel(target)} ${value}`;
  const goal = `target ${formatTargetValue(target)}`;
  const compared =
    outcome.replicas > currentReplicas
      ? `${metric} above ${goal}`
      : outcome.replicas < currentReplicas
        ? `all metrics below target (${metric}, ${goal})`
        : `${metric} near ${goal}`;
  const pods = [`${groups.readyPodCount} ready`];
  if (groups.unready.length) pods.push(`${groups.unready.length} unready`);
  if (groups.missing.length) pods.push(`${groups.missing.length} without metrics`);
  if (groups.ignored.length) pods.push(`${groups.ignored.length} ignored`);
  let reason = `${compared} (${pods.join(', ')} pods): ${outcome.replicas} replicas`;
  if (normalized.stabilized !== outcome.replicas) reason += `, stabilized to ${normalized.stabilized}`;
  if (normalized.limit !== 'DesiredWithinRange') reason += `, limited to ${normalized.replicas} (${normalized.limit})`;
  return {
    reason,
    details: {
      metric: metricLabel(target),
      current: proposal.currentValue,
      target: target.kind === 'utilization' ? target.averageUtilization : target.averageValue,
      proposed: outcome.replicas,
      stabilized: normalized.stabilized,
      limit: normalized.limit,
      readyPods: groups.readyPodCount,
      unreadyPods: groups.unready.length,
      missingPods: groups.missing.length,
      ignoredPods: groups.ignored.length,
    },
  };
}
