import { groupPods, type PodGroups, type ReadinessTimings, type ResourceName } from './group-pods.ts';
import type { MetricTarget } from './metric-target.ts';
import type { PodSample, PodUsage } from './pod-metrics-snapshot.ts';
import { isWithinTolerance, type Tolerances } from './tolerances.ts';

/** Everything one metric's proposal depends on. */
export interface ReplicaCalcInput {
  /** `spec.replicas` of the target. */
  readonly currentReplicas: number;
  readonly pods: readonly PodSample[];
  readonly target: MetricTarget;
  readonly tolerances: Tolerances;
  readonly timings: ReadinessTimings;
  readonly nowMs: number;
}

/**
 * Why a proposal is what it is:
 * - `scaled`: ceil(usage ratio x pods counted);
 * - `within-tolerance`: the usage ratio is inside the tolerance band, so the count stays;
 * - `rebalanced-within-tolerance`: counting missing and unready pods conservatively puts the ratio inside the
 *   band, so the count stays;
 * - `rebalanced-flips`: counting them conservatively turns the ratio to the other side of 1, so the count stays;
 * - `count-flips`: the recomputed count would move the other way, so the count stays.
 */
export type ProposalBasis = 'scaled' | 'within-tolerance' | 'rebalanced-within-tolerance' | 'rebalanced-flips' | 'count-flips';

/** One metric's proposal, or why the metric is invalid this time. */
export type MetricProposal =
  | {
      readonly ok: true;
      readonly replicas: number;
      /** Current utilization in percent, or current average per pod (millicores / bytes), before any fill-in. */
      readonly currentValue: number;
      /** Current value over target, before any fill-in (1.8 = 80 % above target). */
      readonly usageRatio: number;
      readonly basis: ProposalBasis;
      /** The value with missing and unready pods counted conservatively, when they were (same unit as `currentValue`). */
      readonly rebalancedValue?: number;
      /** The current value for people when `currentValue` alone would mislead (a total with no pods to share it). */
      readonly valueText?: string;
      readonly groups: PodGroups;
    }
  | { readonly ok: false; readonly error: string };

/** A ratio and the value it was formed from (percent, or milli-units per pod). */
export interface Ratio {
  readonly ratio: number;
  readonly value: number;
}

/** Whole milli-units, summed exactly (the controller sums int64 milli-values with big.Int). */
export const exact = (milli: number): bigint => BigInt(Math.round(milli));

/**
 * Utilization like `GetResourceUtilizationRatio`: total usage over total requests of the pods with a sample,
 * truncated to a whole percent, over the target. Example: usages 600m + 1000m + 1400m over requests 3 x 2000m
 * -> 50 %; target 30 % -> ratio 50 / 30 = 1.667.
 */
function utilizationRatio(values: ReadonlyMap<string, bigint>, requests: ReadonlyMap<string, bigint>, targetPercent: number): Ratio | undefined {
  let usageTotal = 0n;
  let requestTotal = 0n;
  for (const [name, value] of values) {
    const request = requests.get(name);
    if (request === undefined) continue;
    usageTotal += value;
    requestTotal += request;
  }
  if (requestTotal === 0n) return undefined;
  const utilization = Number((usageTotal * 100n) / requestTotal);
  return { ratio: utilization / targetPercent, value: utilization };
}

/**
 * Average like `GetMetricUsageRatio`: total over pods with a sample, truncated to a whole milli-unit, over the
 * target. Example: 12000m x 5 pods = 12000m average; target 20000m -> ratio 0.6.
 */
export function averageRatio(values: ReadonlyMap<string, bigint>, targetMilli: number): Ratio {
  let total = 0n;
  for (const value of values.values()) total += value;
  const average = Number(total / BigInt(values.size));
  return { ratio: average / targetMilli, value: average };
}

/** Usage in milli-units, as the controller's metrics client reads it: millicores, milli-bytes. */
function usageOf(usage: PodUsage, resource: ResourceName): bigint {
  return resource === 'cpu' ? exact(usage.cpuMilli) : exact(usage.memoryBytes) * 1000n;
}

/** A request in the same milli-units, or undefined. */
function requestOf(pod: PodSample, resource: ResourceName): bigint | undefined {
  const request = resource === 'cpu' ? pod.requests.cpuMilli : pod.requests.memoryBytes;
  if (request === undefined) return undefined;
  return resource === 'cpu' ? exact(request) : exact(request) * 1000n;
}

/**
 * The desired replica count for one resource metric, following `GetResourceReplicas` (utilization) and
 * `GetRawResourceReplicas` / `calcPlainMetricReplicas` (average value), in whole milli-units like the controller:
 *
 * 1. Group the pods ({@link groupPods}); drop the samples of ignored and unready pods.
 * 2. usageRatio = current / target over the remaining samples.
 * 3. No unready pods on a scale-up and no missing pods: inside the tolerance keep `currentReplicas`, else
 *    `ceil(usageRatio x readyPods)`. Example: ratio 1.667 x 3 ready pods = 5.
 * 4. Otherwise rebalance conservatively: on a scale-down, missing pods count as 100 % of their request (or the
 *    target when it is above 100 %; the target itself for average values); on a scale-up, missing and unready
 *    pods count as 0. Recompute the ratio; if it is now within tolerance or points the other way, keep
 *    `currentReplicas`; else `ceil(newRatio x pods counted)`, unless that count itself moves the other way.
 */
export function calculateReplicas(input: ReplicaCalcInput): MetricProposal {
  const { currentReplicas, pods, target, tolerances, timings, nowMs } = input;
  const { resource } = target;
  if (pods.length === 0) return { ok: false, error: 'no pods matched the target selector' };
  const groups = groupPods(pods, resource, timings, nowMs);
  const dropped = new Set([...groups.ignored, ...groups.unready]);
  const utilization = target.kind === 'utilization';
  const values = new Map<string, bigint>();
  for (const pod of pods) {
    if (pod.usage !== undefined && !dropped.has(pod.name)) values.set(pod.name, usageOf(pod.usage, resource));
  }
  if (values.size === 0) return { ok: false, error: `no ${resource} metrics for any ready pod (pods might be unready)` };

  const requests = new Map<string, bigint>();
  if (utilization) {
    for (const pod of pods) {
      const request = requestOf(pod, resource);
      if (request === undefined) return { ok: false, error: `missing ${resource} request on pod ${pod.name}` };
      requests.set(pod.name, request);
    }
  }
  const targetValue = target.kind === 'utilization' ? target.averageUtilization : resource === 'cpu' ? target.averageValue : target.averageValue * 1000;
  const ratioOf = (v: ReadonlyMap<string, bigint>): Ratio | undefined =>
    utilization ? utilizationRatio(v, requests, targetValue) : averageRatio(v, targetValue);

  return rebalancedProposal({
    currentReplicas,
    groups,
    values,
    tolerances,
    ratioOf,
    inUnit: (value) => (utilization || resource === 'cpu' ? value : value / 1000),
    // Scale-down: a missing pod uses 100 % of its request (or the target above 100 %); for average values the target.
    missingFill: (name) => (utilization ? ((requests.get(name) ?? 0n) * BigInt(Math.max(100, targetValue))) / 100n : exact(targetValue)),
    noRatio: `no ${resource} metrics matched the pods' requests`,
  });
}

/** What {@link rebalancedProposal} needs: the samples kept after grouping and how to form a ratio from them. */
export interface RebalanceInput {
  readonly currentReplicas: number;
  readonly groups: PodGroups;
  /** Samples of the ready pods, by pod name, in milli-units; filled in (mutated) for missing and unready pods. */
  readonly values: Map<string, bigint>;
  readonly tolerances: Tolerances;
  readonly ratioOf: (values: ReadonlyMap<string, bigint>) => Ratio | undefined;
  /** A ratio's value in the proposal's unit. */
  readonly inUnit: (value: number) => number;
  /** The value a missing pod counts with on a scale-down. */
  readonly missingFill: (name: string) => bigint;
  /** The error when no ratio can be formed. */
  readonly noRatio: string;
}

/**
 * Steps 2-4 of the controller's calculation, shared by resource metrics and Pods metrics
 * (`calcPlainMetricReplicas`): the usage ratio over the ready pods' samples, and the conservative rebalancing of
 * missing and unready pods.
 */
export function rebalancedProposal(input: RebalanceInput): MetricProposal {
  const { currentReplicas, groups, values, tolerances, ratioOf, inUnit } = input;
  const first = ratioOf(values);
  if (first === undefined) return { ok: false, error: input.noRatio };
  const usageRatio = first.ratio;
  const currentValue = inUnit(first.value);
  const ok = (replicas: number, basis: ProposalBasis, rebalanced?: Ratio): MetricProposal => ({
    ok: true,
    replicas,
    currentValue,
    usageRatio,
    basis,
    ...(rebalanced === undefined ? {} : { rebalancedValue: inUnit(rebalanced.value) }),
    groups,
  });

  const scaleUpWithUnready = groups.unready.length > 0 && usageRatio > 1;
  if (!scaleUpWithUnready && groups.missing.length === 0) {
    if (isWithinTolerance(tolerances, usageRatio)) return ok(currentReplicas, 'within-tolerance');
    return ok(Math.ceil(usageRatio * groups.readyPodCount), 'scaled');
  }

  if (groups.missing.length > 0 && usageRatio !== 1) {
    // Scale-down: a missing pod counts as busy (missingFill); scale-up: as idle.
    for (const name of groups.missing) values.set(name, usageRatio > 1 ? 0n : input.missingFill(name));
  }
  if (scaleUpWithUnready) {
    for (const name of groups.unready) values.set(name, 0n);
  }

  const rebalanced = ratioOf(values) ?? first;
  const newUsageRatio = rebalanced.ratio;
  if (isWithinTolerance(tolerances, newUsageRatio)) return ok(currentReplicas, 'rebalanced-within-tolerance', rebalanced);
  const flips = (usageRatio < 1 && newUsageRatio > 1) || (usageRatio > 1 && newUsageRatio < 1);
  if (flips) return ok(currentReplicas, 'rebalanced-flips', rebalanced);
  const newReplicas = Math.ceil(newUsageRatio * values.size);
  if ((newUsageRatio < 1 && newReplicas > currentReplicas) || (newUsageRatio > 1 && newReplicas < currentReplicas)) {
    return ok(currentReplicas, 'count-flips', rebalanced);
  }
  return ok(newReplicas, 'scaled', rebalanced);
}
