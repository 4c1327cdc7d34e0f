import { formatMilli, type CustomMetric } from './custom-metric.ts';
import type { CustomMetricReading } from './custom-metrics-snapshot.ts';
import { groupPods, type PodGroups, type ReadinessTimings } from './group-pods.ts';
import type { PodSample } from './pod-metrics-snapshot.ts';
import { averageRatio, exact, rebalancedProposal, type MetricProposal } from './replica-calculator.ts';
import { isWithinTolerance, type Tolerances } from './tolerances.ts';

/** Everything one Pods, Object or External metric's proposal depends on. */
export interface CustomCalcInput {
  /** `spec.replicas` of the target (0 when scaling from zero). */
  readonly currentReplicas: number;
  /** Every pod the target's selector matches. */
  readonly pods: readonly PodSample[];
  readonly metric: CustomMetric;
  readonly reading: CustomMetricReading;
  readonly tolerances: Tolerances;
  readonly timings: ReadinessTimings;
  readonly nowMs: number;
}

const noGroups = (readyPodCount: number): PodGroups => ({ readyPodCount, unready: [], missing: [], ignored: [] });

/** Pods that are not finished or being deleted: the Deployment's `status.replicas` as the pod list shows it. */
export function activePodCount(pods: readonly PodSample[]): number {
  return pods.filter((p) => !p.deleted && p.phase !== 'Failed' && p.phase !== 'Succeeded').length;
}

/** `getReadyPodsCount`: running pods whose Ready condition is True; undefined when the selector matches none. */
function readyPodCount(pods: readonly PodSample[]): number | undefined {
  if (pods.length === 0) return undefined;
  return pods.filter((p) => p.phase === 'Running' && p.ready).length;
}

/**
 * A Pods metric, like `GetMetricReplicas` / `calcPlainMetricReplicas`: the per-pod values of the ready pods
 * averaged (truncated to a whole milli-unit) over the per-pod target, with the same grouping and conservative
 * rebalancing as an average-value resource metric, except that a running pod that is not Ready still counts.
 * Example: 3 pods at 15, 20, 25 requests/s, target 10 per pod -> average 20, ratio 2 -> ceil(2 x 3) = 6.
 */
function podsMetricReplicas(input: CustomCalcInput, targetMilli: number, valuesMilli: Readonly<Record<string, number>>): MetricProposal {
  const { pods, timings, nowMs } = input;
  if (pods.length === 0) return { ok: false, error: 'no pods matched the target selector' };
  const has = (name: string): boolean => Object.hasOwn(valuesMilli, name);
  const groups = groupPods(pods, undefined, timings, nowMs, (pod) => has(pod.name));
  const dropped = new Set([...groups.ignored, ...groups.unready]);
  const values = new Map<string, bigint>();
  for (const pod of pods) if (has(pod.name) && !dropped.has(pod.name)) values.set(pod.name, exact(valuesMilli[pod.name] ?? 0));
  if (values.size === 0) return { ok: false, error: `no values of ${input.metric.metric.name} for the targeted pods (pods might be unready)` };
  return rebalancedProposal({
    currentReplicas: input.currentReplicas,
    groups,
    values,
    tolerances: input.tolerances,
    ratioOf: (v) => averageRatio(v, targetMilli),
    inUnit: (value) => value,
    missingFill: () => exact(targetMilli),
    noRatio: `no values of ${input.metric.metric.name}`,
  });
}

/**
 * A total against a total target (Object `Value`, External `Value`), like `getUsageRatioReplicaCount`: within the
 * tolerance the count stays, else `ceil(ratio x ready pods)`; from zero replicas `ceil(ratio)`, without tolerance.
 * Example: queue length 90, target 30, 2 ready pods -> ratio 3 -> 6; from zero -> 3.
 */
function valueReplicas(input: CustomCalcInput, usageMilli: number, targetMilli: number): MetricProposal {
  const usageRatio = usageMilli / targetMilli;
  const ok = (replicas: number, basis: 'scaled' | 'within-tolerance', ready: number): MetricProposal => ({
    ok: true,
    replicas,
    currentValue: usageMilli,
    usageRatio,
    basis,
    groups: noGroups(ready),
  });
  if (input.currentReplicas === 0) return ok(Math.ceil(usageRatio), 'scaled', 0);
  if (isWithinTolerance(input.tolerances, usageRatio)) return ok(input.currentReplicas, 'within-tolerance', readyPodCount(input.pods) ?? 0);
  const ready = readyPodCount(input.pods);
  if (ready === undefined) return { ok: false, error: 'unable to calculate ready pods: no pods matched the target selector' };
  return ok(Math.ceil(usageRatio * ready), 'scaled', ready);
}

/**
 * A total against a per-pod target (Object and External `AverageValue`), like `getPerPodReplicas`: the ratio is
 * total / (target x pods), pods being the Deployment's current pods (`status.replicas`); within the tolerance the
 * count stays at that number of pods, else `ceil(total / target)`. With no pods there is no ratio: `ceil(total /
 * target)`. The value shown is the total per pod, rounded up. Example: 95 messages, 30 per pod, 3 pods -> ratio
 * 1.06, keeps 3; 150 messages -> 5.
 */
function perPodReplicas(input: CustomCalcInput, usageMilli: number, targetMilli: number): MetricProposal {
  const statusReplicas = activePodCount(input.pods);
  const desired = Math.ceil(usageMilli / targetMilli);
  const usageRatio = statusReplicas === 0 ? usageMilli / targetMilli : usageMilli / (targetMilli * statusReplicas);
  const within = statusReplicas !== 0 && isWithinTolerance(input.tolerances, usageRatio);
  return {
    ok: true,
    replicas: within ? statusReplicas : desired,
    currentValue: statusReplicas === 0 ? 0 : Math.ceil(usageMilli / statusReplicas),
    // With no pods the per-pod value is 0 (as the controller reports it); the reason shows the total instead.
    ...(statusReplicas === 0 ? { valueText: `${formatMilli(usageMilli)} in total` } : {}),
    usageRatio,
    basis: within ? 'within-tolerance' : 'scaled',
    groups: noGroups(statusReplicas),
  };
}

/**
 * One Pods, Object or External metric's proposal from the collector's reading, following the controller's
 * `GetMetricReplicas`, `GetObjectMetricReplicas`, `GetObjectPerPodMetricReplicas`, `GetExternalMetricReplicas`
 * and `GetExternalPerPodMetricReplicas`. A failed reading is an invalid metric (its error).
 */
export function calculateCustomReplicas(input: CustomCalcInput): MetricProposal {
  const { metric, reading } = input;
  if (!reading.ok) return { ok: false, error: reading.error };
  if (metric.source === 'Pods') {
    if (reading.kind !== 'pods') return { ok: false, error: `expected per-pod values of ${metric.metric.name}` };
    return podsMetricReplicas(input, metric.averageValueMilli, reading.valuesMilli);
  }
  if (reading.kind !== 'total') return { ok: false, error: `expected a value of ${metric.metric.name}` };
  const { target } = metric;
  return target.type === 'Value'
    ? valueReplicas(input, reading.valueMilli, target.valueMilli)
    : perPodReplicas(input, reading.valueMilli, target.averageValueMilli);
}
