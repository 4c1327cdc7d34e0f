/**
 * For comparison tests only: a line-by-line port of the Kubernetes HPA controller's replica calculator,
 * k8s.io/kubernetes v1.38.0-beta.0 `pkg/controller/podautoscaler/replica_calculator.go` (`GetResourceReplicas`,
 * `GetRawResourceReplicas` / `calcPlainMetricReplicas`, `groupPods`, `calculateRequests`) and
 * `metrics/utilization.go`. Names follow the Go code; `time.Now()` is `nowMs`; int64 totals use BigInt as the Go
 * code uses big.Int. Errors are returned as `{ err }`.
 */
import type { PodPhase } from '../pod-metrics-snapshot.ts';

export type ConditionStatus = 'True' | 'False' | 'Unknown';
export type UpstreamResource = 'cpu' | 'memory';

/** A pod as the controller's pod lister returns it (only what the calculator reads). */
export interface UpstreamPod {
  readonly name: string;
  readonly phase: PodPhase;
  /** `DeletionTimestamp != nil`. */
  readonly deleted: boolean;
  readonly startTimeMs?: number;
  readonly readyCondition?: { readonly status: ConditionStatus; readonly lastTransitionTimeMs: number };
  /** `MilliValue()` of the pod's summed requests; absent when a container has none. */
  readonly requests: { readonly cpu?: number; readonly memory?: number };
}

/** `metricsclient.PodMetric`: a value in milli-units, its timestamp and window. */
export interface PodMetric {
  readonly value: number;
  readonly timestampMs: number;
  readonly windowMs: number;
}

export type PodMetricsInfo = Map<string, PodMetric>;

export interface Tolerances {
  readonly scaleDown: number;
  readonly scaleUp: number;
}

export type Result<T> = T | { readonly err: string };

export const isErr = <T>(r: Result<T>): r is { readonly err: string } => typeof r === 'object' && r !== null && 'err' in r;

const isWithin = (t: Tolerances, usageRatio: number): boolean => 1.0 - t.scaleDown <= usageRatio && usageRatio <= 1.0 + t.scaleUp;

const MAX_INT32 = 2 ** 31 - 1;
const MIN_INT32 = -(2 ** 31);

export function ceilToInt32(f: number): number {
  const c = Math.ceil(f);
  if (c > MAX_INT32) return MAX_INT32;
  if (c < MIN_INT32) return MIN_INT32;
  return c;
}

export function GetResourceUtilizationRatio(metrics: PodMetricsInfo, requests: Map<string, number>, targetUtilization: number): Result<{ ratio: number; utilization: number }> {
  let metricsTotal = 0n;
  let requestsTotal = 0n;
  for (const [podName, metric] of metrics) {
    const request = requests.get(podName);
    if (request === undefined) continue;
    metricsTotal += BigInt(metric.value);
    requestsTotal += BigInt(request);
  }
  if (requestsTotal === 0n) return { err: 'no metrics returned matched known pods' };
  const percentage = (metricsTotal * 100n) / requestsTotal;
  let currentUtilization: number;
  if (percentage > BigInt(MAX_INT32)) currentUtilization = MAX_INT32;
  else if (percentage < BigInt(MIN_INT32)) currentUtilization = MIN_INT32;
  else currentUtilization = Number(percentage);
  return { ratio: currentUtilization / targetUtilization, utilization: currentUtilization };
}

export function GetMetricUsageRatio(metrics: PodMetricsInfo, targetUsage: number): { ratio: number; usage: number } {
  let metricsTotal = 0n;
  for (const metric of metrics.values()) metricsTotal += BigInt(metric.value);
  const currentUsage = Number(metricsTotal / BigInt(metrics.size));
  return { ratio: currentUsage / targetUsage, usage: currentUsage };
}

export interface Groups {
  readyPodCount: number;
  unreadyPods: Set<string>;
  missingPods: Set<string>;
  ignoredPods: Set<string>;
}

export function groupPods(
  pods: readonly UpstreamPod[],
  metrics: PodMetricsInfo,
  resource: UpstreamResource,
  cpuInitializationPeriodMs: number,
  delayOfInitialReadinessStatusMs: number,
  nowMs: number,
): Groups {
  const g: Groups = { readyPodCount: 0, unreadyPods: new Set(), missingPods: new Set(), ignoredPods: new Set() };
  for (const pod of pods) {
    if (pod.deleted || pod.phase === 'Failed' || pod.phase === 'Succeeded') {
      g.ignoredPods.add(pod.name);
      continue;
    }
    if (pod.phase === 'Pending') {
      g.unreadyPods.add(pod.name);
      continue;
    }
    const metric = metrics.get(pod.name);
    if (metric === undefined) {
      g.missingPods.add(pod.name);
      continue;
    }
    if (resource === 'cpu') {
      let unready: boolean;
      const condition = pod.readyCondition;
      if (condition === undefined || pod.startTimeMs === undefined) {
        unready = true;
      } else if (pod.startTimeMs + cpuInitializationPeriodMs > nowMs) {
        unready = condition.status === 'False' || metric.timestampMs < condition.lastTransitionTimeMs + metric.windowMs;
      } else {
        unready = condition.status === 'False' && pod.startTimeMs + delayOfInitialReadinessStatusMs > condition.lastTransitionTimeMs;
      }
      if (unready) {
        g.unreadyPods.add(pod.name);
        continue;
      }
    }
    g.readyPodCount++;
  }
  return g;
}

function calculateRequests(pods: readonly UpstreamPod[], resource: UpstreamResource): Result<Map<string, number>> {
  const requests = new Map<string, number>();
  for (const pod of pods) {
    const request = pod.requests[resource];
    if (request === undefined) return { err: `missing request for ${resource} in Pod ${pod.name}` };
    requests.set(pod.name, request);
  }
  return requests;
}

const removeMetricsForPods = (metrics: PodMetricsInfo, pods: Set<string>): void => pods.forEach((p) => metrics.delete(p));

/** The calculator's settings (controller flags). */
export interface CalculatorSettings {
  readonly cpuInitializationPeriodMs: number;
  readonly delayOfInitialReadinessStatusMs: number;
}

export function GetResourceReplicas(
  currentReplicas: number,
  targetUtilization: number,
  resource: UpstreamResource,
  tolerances: Tolerances,
  podList: readonly UpstreamPod[],
  metrics: PodMetricsInfo,
  c: CalculatorSettings,
  nowMs: number,
): Result<number> {
  if (podList.length === 0) return { err: 'no pods returned by selector while calculating replica count' };
  const { readyPodCount, unreadyPods, missingPods, ignoredPods } = groupPods(podList, metrics, resource, c.cpuInitializationPeriodMs, c.delayOfInitialReadinessStatusMs, nowMs);
  removeMetricsForPods(metrics, ignoredPods);
  removeMetricsForPods(metrics, unreadyPods);
  if (metrics.size === 0) return { err: 'did not receive metrics for targeted pods (pods might be unready)' };
  const requests = calculateRequests(podList, resource);
  if (isErr(requests)) return requests;
  const first = GetResourceUtilizationRatio(metrics, requests, targetUtilization);
  if (isErr(first)) return first;
  const usageRatio = first.ratio;

  const scaleUpWithUnready = unreadyPods.size > 0 && usageRatio > 1.0;
  if (!scaleUpWithUnready && missingPods.size === 0) {
    if (isWithin(tolerances, usageRatio)) return currentReplicas;
    return ceilToInt32(usageRatio * readyPodCount);
  }
  if (missingPods.size > 0) {
    if (usageRatio < 1.0) {
      const fallbackUtilization = BigInt(Math.max(100, targetUtilization));
      for (const podName of missingPods) {
        metrics.set(podName, { value: Number((BigInt(requests.get(podName) ?? 0) * fallbackUtilization) / 100n), timestampMs: 0, windowMs: 0 });
      }
    } else if (usageRatio > 1.0) {
      for (const podName of missingPods) metrics.set(podName, { value: 0, timestampMs: 0, windowMs: 0 });
    }
  }
  if (scaleUpWithUnready) {
    for (const podName of unreadyPods) metrics.set(podName, { value: 0, timestampMs: 0, windowMs: 0 });
  }
  const second = GetResourceUtilizationRatio(metrics, requests, targetUtilization);
  if (isErr(second)) return second;
  const newUsageRatio = second.ratio;
  if (isWithin(tolerances, newUsageRatio) || (usageRatio < 1.0 && newUsageRatio > 1.0) || (usageRatio > 1.0 && newUsageRatio < 1.0)) {
    return currentReplicas;
  }
  const newReplicas = ceilToInt32(newUsageRatio * metrics.size);
  if ((newUsageRatio < 1.0 && newReplicas > currentReplicas) || (newUsageRatio > 1.0 && newReplicas < currentReplicas)) {
    return currentReplicas;
  }
  return newReplicas;
}

export function calcPlainMetricReplicas(
  metrics: PodMetricsInfo,
  currentReplicas: number,
  targetUsage: number,
  tolerances: Tolerances,
  podList: readonly UpstreamPod[],
  resource: UpstreamResource,
  c: CalculatorSettings,
  nowMs: number,
): Result<number> {
  if (podList.length === 0) return { err: 'no pods returned by selector while calculating replica count' };
  const { readyPodCount, unreadyPods, missingPods, ignoredPods } = groupPods(podList, metrics, resource, c.cpuInitializationPeriodMs, c.delayOfInitialReadinessStatusMs, nowMs);
  removeMetricsForPods(metrics, ignoredPods);
  removeMetricsForPods(metrics, unreadyPods);
  if (metrics.size === 0) return { err: 'did not receive metrics for targeted pods (pods might be unready)' };
  const usageRatio = GetMetricUsageRatio(metrics, targetUsage).ratio;

  const scaleUpWithUnready = unreadyPods.size > 0 && usageRatio > 1.0;
  if (!scaleUpWithUnready && missingPods.size === 0) {
    if (isWithin(tolerances, usageRatio)) return currentReplicas;
    return ceilToInt32(usageRatio * readyPodCount);
  }
  if (missingPods.size > 0) {
    if (usageRatio < 1.0) {
      for (const podName of missingPods) metrics.set(podName, { value: targetUsage, timestampMs: 0, windowMs: 0 });
    } else if (usageRatio > 1.0) {
      for (const podName of missingPods) metrics.set(podName, { value: 0, timestampMs: 0, windowMs: 0 });
    }
  }
  if (scaleUpWithUnready) {
    for (const podName of unreadyPods) metrics.set(podName, { value: 0, timestampMs: 0, windowMs: 0 });
  }
  const newUsageRatio = GetMetricUsageRatio(metrics, targetUsage).ratio;
  if (isWithin(tolerances, newUsageRatio) || (usageRatio < 1.0 && newUsageRatio > 1.0) || (usageRatio > 1.0 && newUsageRatio < 1.0)) {
    return currentReplicas;
  }
  const newReplicas = ceilToInt32(newUsageRatio * metrics.size);
  if ((newUsageRatio < 1.0 && newReplicas > currentReplicas) || (newUsageRatio > 1.0 && newReplicas < currentReplicas)) {
    return currentReplicas;
  }
  return newReplicas;
}
