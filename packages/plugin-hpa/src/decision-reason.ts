import type { MetricsOutcome } from './compute-metrics.ts';
import { anyMetricLabel, formatAnyTarget, formatAnyValue, targetNumber } from './metric-format.ts';
import type { Normalized } from './normalize.ts';

type Success = Extract<MetricsOutcome, { ok: true }>;

/** A human reason and structured details for a replica recommendation. */
export interface DecisionText {
  readonly reason: string;
  readonly details: Readonly<Record<string, number | string | boolean>>;
}

type Proposal = Success['winner']['proposal'];

/**
 * How the winning metric stands against its target, in words that are true for the proposal: "above" and
 * "below" by the side of 1 its usage ratio is on, "near" only inside the tolerance band, and what counting
 * missing or unready pods conservatively changed. Example: `cpu utilization 90% above target 50%, but 45% with
 * 1 unready pod counted as idle`.
 */
function comparison(target: Success['winner']['target'], proposal: Proposal, proposed: number, currentReplicas: number): string {
  const metric = `${anyMetricLabel(target)} ${proposal.valueText ?? formatAnyValue(target, proposal.currentValue)}`;
  const goal = `target ${formatAnyTarget(target)}`;
  if (proposed < currentReplicas) return `all metrics below target (${metric}, ${goal})`;
  if (proposal.basis === 'within-tolerance') return `${metric} near ${goal}`;
  if (proposal.usageRatio === 1) return `${metric} at ${goal}`;
  const scaleUp = proposal.usageRatio > 1;
  const side = `${metric} ${scaleUp ? 'above' : 'below'} ${goal}`;
  if (proposal.rebalancedValue === undefined || proposed > currentReplicas) return side;
  const { unready, missing } = proposal.groups;
  const pods = (n: number): string => `${n} ${n === 1 ? 'pod' : 'pods'}`;
  const counted = [
    ...(scaleUp && unready.length ? [`${unready.length} unready ${unready.length === 1 ? 'pod' : 'pods'}`] : []),
    ...(missing.length ? [`${pods(missing.length)} without metrics`] : []),
  ].join(' and ');
  return `${side}, but ${formatAnyValue(target, proposal.rebalancedValue)} with ${counted} counted as ${scaleUp ? 'idle' : 'busy'}`;
}

/**
 * Explains a decision: the winning metric against its target, the pods that did not count as ready, and what
 * stabilization and limits changed. Example:
 * `cpu utilization 90% above target 50% (4 ready pods): 8 replicas, limited to 6 (ScaleUpLimit)`.
 */
export function describeDecision(currentReplicas: number, outcome: Success, normalized: Normalized): DecisionText {
  const { target, proposal } = outcome.winner;
  const { groups } = proposal;
  const compared = comparison(target, proposal, outcome.replicas, currentReplicas);
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
      metric: anyMetricLabel(target),
      current: proposal.currentValue,
      target: targetNumber(target),
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
