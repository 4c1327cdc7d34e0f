/**
 * For comparison tests only: a line-by-line port of the Kubernetes HPA controller's code for Pods, Object and
 * External metrics, k8s.io/kubernetes v1.38.0-beta.0 `pkg/controller/podautoscaler`: `GetMetricReplicas`,
 * `GetObjectMetricReplicas`, `getUsageRatioReplicaCount`, `GetObjectPerPodMetricReplicas`, `getReadyPodsCount`,
 * `GetExternalMetricReplicas`, `GetExternalPerPodMetricReplicas`, `getPerPodReplicas` (replica_calculator.go) and
 * the choice and combination of `computeReplicasForMetric(s)` and `reconcileAutoscaler` from zero (horizontal.go,
 * with the HPAScaleToZero gate on and the ScaledToZero condition true). The metrics client's answers are given
 * as values: `undefined` is a failed request.
 */
import { calcPlainMetricReplicas, ceilToInt32, isErr, type CalculatorSettings, type PodMetricsInfo, type Result, type Tolerances, type UpstreamPod } from './upstream-replica-calculator.ts';

const isWithin = (t: Tolerances, usageRatio: number): boolean => 1.0 - t.scaleDown <= usageRatio && usageRatio <= 1.0 + t.scaleUp;

/** One metric spec and the metrics client's answer for it. */
export type UpstreamMetric =
  | { readonly type: 'Pods'; readonly averageValue: number; readonly metrics: PodMetricsInfo | undefined }
  | { readonly type: 'Object' | 'External'; readonly target: 'Value' | 'AverageValue'; readonly value: number; readonly usage: readonly number[] | undefined };

function getReadyPodsCount(podList: readonly UpstreamPod[]): Result<number> {
  if (podList.length === 0) return { err: 'no pods returned by selector while calculating replica count' };
  let readyPodCount = 0;
  for (const pod of podList) if (pod.phase === 'Running' && pod.readyCondition?.status === 'True') readyPodCount++;
  return readyPodCount;
}

function getUsageRatioReplicaCount(currentReplicas: number, usageRatio: number, tolerances: Tolerances, podList: readonly UpstreamPod[]): Result<number> {
  let replicaCount: number;
  if (currentReplicas !== 0) {
    if (isWithin(tolerances, usageRatio)) return currentReplicas;
    const readyPodCount = getReadyPodsCount(podList);
    if (isErr(readyPodCount)) return { err: `unable to calculate ready pods: ${readyPodCount.err}` };
    replicaCount = ceilToInt32(usageRatio * readyPodCount);
  } else {
    replicaCount = ceilToInt32(usageRatio);
  }
  return replicaCount;
}

function getPerPodReplicas(totalUsage: number, targetPerPod: number, statusReplicas: number, tolerances: Tolerances): number {
  if (statusReplicas !== 0) {
    const usageRatio = totalUsage / (targetPerPod * statusReplicas);
    if (isWithin(tolerances, usageRatio)) return statusReplicas;
  }
  return ceilToInt32(totalUsage / targetPerPod);
}

/** The state one reconcile sees. */
export interface UpstreamReconcile {
  readonly specReplicas: number;
  readonly statusReplicas: number;
  readonly tolerances: Tolerances;
  readonly podList: readonly UpstreamPod[];
  readonly settings: CalculatorSettings;
  readonly nowMs: number;
}

function computeReplicasForMetric(m: UpstreamMetric, r: UpstreamReconcile): Result<number> {
  if (m.type === 'Pods') {
    if (m.metrics === undefined) return { err: 'unable to get metric' };
    if (m.metrics.size === 0) return { err: 'no metrics returned from custom metrics API' };
    // GetMetricReplicas passes the resource "": only CPU differs in groupPods.
    return calcPlainMetricReplicas(new Map(m.metrics), r.specReplicas, m.averageValue, r.tolerances, r.podList, 'memory', r.settings, r.nowMs);
  }
  if (m.usage === undefined) return { err: 'unable to get metric' };
  if (m.type === 'External' && m.usage.length === 0) return { err: 'no metrics returned from external metrics API' };
  let usage = 0;
  for (const val of m.usage) usage = usage + val;
  if (m.target === 'Value') return getUsageRatioReplicaCount(r.specReplicas, usage / m.value, r.tolerances, r.podList);
  return getPerPodReplicas(usage, m.value, r.statusReplicas, r.tolerances);
}

/**
 * `computeReplicasForMetrics`: the highest proposal, or an error when all metrics are invalid or some are and the
 * rest would go below `specReplicas`. From zero replicas the controller computes only when the HPA has an Object
 * or External metric (`canScaleFromZero`); otherwise scaling is disabled (`undefined` here).
 */
export function upstreamComputeReplicasForMetrics(metricSpecs: readonly UpstreamMetric[], r: UpstreamReconcile): Result<number> | undefined {
  if (r.specReplicas === 0 && !metricSpecs.some((m) => m.type !== 'Pods')) return undefined;
  let replicas = 0;
  let invalidMetricsCount = 0;
  let invalidMetricError = '';
  for (const metricSpec of metricSpecs) {
    const replicaCountProposal = computeReplicasForMetric(metricSpec, r);
    if (isErr(replicaCountProposal)) {
      if (invalidMetricsCount <= 0) invalidMetricError = replicaCountProposal.err;
      invalidMetricsCount++;
      continue;
    }
    if (replicas === 0 || replicaCountProposal > replicas) replicas = replicaCountProposal;
  }
  if (invalidMetricsCount >= metricSpecs.length || (invalidMetricsCount > 0 && replicas < r.specReplicas)) return { err: invalidMetricError };
  return replicas;
}
