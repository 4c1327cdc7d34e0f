/**
 * For comparison tests only: a line-by-line port of the Kubernetes HPA controller's reconcile decision,
 * k8s.io/kubernetes v1.38.0-beta.0 `pkg/controller/podautoscaler/horizontal.go` (`reconcileAutoscaler` up to the
 * scale update, `computeReplicasForMetrics`, `normalizeDesiredReplicas[WithBehaviors]`, the stabilization with
 * slot reuse, `convertDesiredReplicasWith*`, the scale limits and `storeScaleEvent`), with the behavior defaults of
 * `pkg/apis/autoscaling/v2/defaults.go` and the controller's `tolerancesForHpa` (HPAConfigurableTolerance on).
 * One {@link UpstreamController} is one HPA's in-memory state; `nowMs` replaces `time.Now()`; the scale update
 * always succeeds. The scale limits are in `upstream-scale-limits.ts`.
 */
import type { HpaBehaviorSpec, HpaScalingRulesSpec } from '../behavior.ts';
import {
  calculateScaleDownLimitWithBehaviors,
  calculateScaleUpLimitWithScalingRules,
  convertDesiredReplicasWithRules,
  getLongestPolicyPeriod,
  markScaleEventsOutdated,
  type Rules,
  type TimestampedScaleEvent,
} from './upstream-scale-limits.ts';
import {
  GetResourceReplicas,
  calcPlainMetricReplicas,
  isErr,
  type CalculatorSettings,
  type PodMetricsInfo,
  type Tolerances,
  type UpstreamPod,
  type UpstreamResource,
} from './upstream-replica-calculator.ts';

/** A `Resource` metric spec: `averageUtilization` (percent) or `averageValue` (milli-units). */
export type UpstreamMetricSpec =
  | { readonly resource: UpstreamResource; readonly averageUtilization: number }
  | { readonly resource: UpstreamResource; readonly averageValueMilli: number };

export interface UpstreamHpa {
  readonly minReplicas?: number;
  readonly maxReplicas: number;
  readonly metrics: readonly UpstreamMetricSpec[];
  readonly behavior?: HpaBehaviorSpec;
}

/** `copyHPAScalingRules`: the fields set in `from` over the defaults. */
function copyHPAScalingRules(from: HpaScalingRulesSpec | undefined, to: Rules): Rules {
  if (from === undefined) return to;
  return {
    ...to,
    ...(from.selectPolicy !== undefined ? { selectPolicy: from.selectPolicy } : {}),
    ...(from.stabilizationWindowSeconds !== undefined ? { stabilizationWindowSeconds: from.stabilizationWindowSeconds } : {}),
    ...(from.policies !== undefined ? { policies: from.policies } : {}),
    ...(from.tolerance !== undefined ? { tolerance: from.tolerance } : {}),
  };
}

const GenerateHPAScaleUpRules = (r: HpaScalingRulesSpec | undefined): Rules =>
  copyHPAScalingRules(r, {
    stabilizationWindowSeconds: 0,
    selectPolicy: 'Max',
    policies: [
      { type: 'Pods', value: 4, periodSeconds: 15 },
      { type: 'Percent', value: 100, periodSeconds: 15 },
    ],
  });

const GenerateHPAScaleDownRules = (r: HpaScalingRulesSpec | undefined): Rules =>
  copyHPAScalingRules(r, { selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] });

interface TimestampedRecommendation {
  recommendation: number;
  timestampMs: number;
}

/** The outcome of one reconcile: the count set on the scale (current when not rescaled), or the metrics error. */
export type ReconcileResult = { readonly desiredReplicas: number; readonly rescale: boolean } | { readonly err: string };

/** One HPA as the controller keeps it in memory, and its reconcile. */
export class UpstreamController {
  recommendations: TimestampedRecommendation[] | undefined;
  scaleUpEvents: TimestampedScaleEvent[] = [];
  scaleDownEvents: TimestampedScaleEvent[] = [];

  private readonly tolerance: number;
  private readonly calc: CalculatorSettings;
  private readonly downscaleStabilisationWindowMs: number;

  constructor(tolerance: number, calc: CalculatorSettings, downscaleStabilisationWindowMs = 300_000) {
    this.tolerance = tolerance;
    this.calc = calc;
    this.downscaleStabilisationWindowMs = downscaleStabilisationWindowMs;
  }

  reconcile(hpa: UpstreamHpa, currentReplicas: number, pods: readonly UpstreamPod[], metricsOf: (r: UpstreamResource) => PodMetricsInfo, nowMs: number): ReconcileResult {
    const behavior = hpa.behavior === undefined ? undefined : { scaleUp: GenerateHPAScaleUpRules(hpa.behavior.scaleUp), scaleDown: GenerateHPAScaleDownRules(hpa.behavior.scaleDown) };
    if (this.recommendations === undefined) this.recommendations = [{ recommendation: currentReplicas, timestampMs: nowMs }];
    let desiredReplicas = 0;
    const minReplicas = hpa.minReplicas ?? 1;
    let rescale = true;
    let needsMetricComputation = true;
    if (currentReplicas === 0) {
      desiredReplicas = 0;
      rescale = false;
      needsMetricComputation = false;
    } else if (currentReplicas > hpa.maxReplicas) {
      desiredReplicas = hpa.maxReplicas;
      needsMetricComputation = false;
    } else if (currentReplicas < minReplicas) {
      desiredReplicas = minReplicas;
      needsMetricComputation = false;
    }
    if (needsMetricComputation) {
      const tolerances = this.tolerancesForHpa(behavior);
      const metricDesiredReplicas = this.computeReplicasForMetrics(hpa, currentReplicas, pods, metricsOf, tolerances, nowMs);
      if (metricDesiredReplicas === -1) return { err: 'failed to compute desired number of replicas based on listed metrics' };
      if (metricDesiredReplicas > desiredReplicas) desiredReplicas = metricDesiredReplicas;
      desiredReplicas =
        behavior === undefined
          ? this.normalizeDesiredReplicas(hpa, currentReplicas, desiredReplicas, minReplicas, nowMs)
          : this.normalizeDesiredReplicasWithBehaviors(hpa, behavior, currentReplicas, desiredReplicas, minReplicas, nowMs);
      rescale = desiredReplicas !== currentReplicas;
    }
    if (rescale) {
      this.storeScaleEvent(behavior, currentReplicas, desiredReplicas, nowMs);
    } else {
      desiredReplicas = currentReplicas;
    }
    return { desiredReplicas, rescale };
  }

  private tolerancesForHpa(behavior: { scaleUp: Rules; scaleDown: Rules } | undefined): Tolerances {
    const t = { scaleDown: this.tolerance, scaleUp: this.tolerance };
    if (behavior === undefined) return t;
    if (behavior.scaleDown.tolerance !== undefined) t.scaleDown = behavior.scaleDown.tolerance;
    if (behavior.scaleUp.tolerance !== undefined) t.scaleUp = behavior.scaleUp.tolerance;
    return t;
  }

  private computeReplicasForMetrics(
    hpa: UpstreamHpa,
    specReplicas: number,
    pods: readonly UpstreamPod[],
    metricsOf: (r: UpstreamResource) => PodMetricsInfo,
    tolerances: Tolerances,
    nowMs: number,
  ): number {
    let replicas = 0;
    let invalidMetricsCount = 0;
    for (const spec of hpa.metrics) {
      const metrics = metricsOf(spec.resource);
      const proposal =
        'averageValueMilli' in spec
          ? calcPlainMetricReplicas(metrics, specReplicas, spec.averageValueMilli, tolerances, pods, spec.resource, this.calc, nowMs)
          : GetResourceReplicas(specReplicas, spec.averageUtilization, spec.resource, tolerances, pods, metrics, this.calc, nowMs);
      if (isErr(proposal)) {
        invalidMetricsCount++;
        continue;
      }
      if (replicas === 0 || proposal > replicas) replicas = proposal;
    }
    if (invalidMetricsCount >= hpa.metrics.length || (invalidMetricsCount > 0 && replicas < specReplicas)) return -1;
    return replicas;
  }

  private stabilizeRecommendation(prenormalizedDesiredReplicas: number, nowMs: number): number {
    let maxRecommendation = prenormalizedDesiredReplicas;
    let foundOldSample = false;
    let oldSampleIndex = 0;
    const cutoff = nowMs - this.downscaleStabilisationWindowMs;
    const recs = this.recommendations ?? [];
    recs.forEach((rec, i) => {
      if (rec.timestampMs < cutoff) {
        foundOldSample = true;
        oldSampleIndex = i;
      } else if (rec.recommendation > maxRecommendation) {
        maxRecommendation = rec.recommendation;
      }
    });
    if (foundOldSample) recs[oldSampleIndex] = { recommendation: prenormalizedDesiredReplicas, timestampMs: nowMs };
    else recs.push({ recommendation: prenormalizedDesiredReplicas, timestampMs: nowMs });
    return maxRecommendation;
  }

  private normalizeDesiredReplicas(hpa: UpstreamHpa, currentReplicas: number, prenormalizedDesiredReplicas: number, minReplicas: number, nowMs: number): number {
    const stabilizedRecommendation = this.stabilizeRecommendation(prenormalizedDesiredReplicas, nowMs);
    return convertDesiredReplicasWithRules(currentReplicas, stabilizedRecommendation, minReplicas, hpa.maxReplicas);
  }

  private normalizeDesiredReplicasWithBehaviors(
    hpa: UpstreamHpa,
    behavior: { scaleUp: Rules; scaleDown: Rules },
    currentReplicas: number,
    prenormalizedDesiredReplicas: number,
    minReplicas: number,
    nowMs: number,
  ): number {
    // maybeInitScaleDownStabilizationWindow
    if (behavior.scaleDown.stabilizationWindowSeconds === undefined) behavior.scaleDown.stabilizationWindowSeconds = this.downscaleStabilisationWindowMs / 1000;
    const stabilized = this.stabilizeRecommendationWithBehaviors(behavior, currentReplicas, prenormalizedDesiredReplicas, nowMs);
    return this.convertDesiredReplicasWithBehaviorRate(behavior, minReplicas, hpa.maxReplicas, currentReplicas, stabilized, nowMs);
  }

  private storeScaleEvent(behavior: { scaleUp: Rules; scaleDown: Rules } | undefined, prevReplicas: number, newReplicas: number, nowMs: number): void {
    if (behavior === undefined) return;
    const up = newReplicas > prevReplicas;
    const events = up ? this.scaleUpEvents : this.scaleDownEvents;
    const longestPolicyPeriod = getLongestPolicyPeriod(up ? behavior.scaleUp : behavior.scaleDown);
    markScaleEventsOutdated(events, longestPolicyPeriod, nowMs);
    const replicaChange = up ? newReplicas - prevReplicas : prevReplicas - newReplicas;
    let foundOldSample = false;
    let oldSampleIndex = 0;
    events.forEach((event, i) => {
      if (event.outdated) {
        foundOldSample = true;
        oldSampleIndex = i;
      }
    });
    const newEvent = { replicaChange, timestampMs: nowMs, outdated: false };
    if (foundOldSample) events[oldSampleIndex] = newEvent;
    else events.push(newEvent);
  }

  private stabilizeRecommendationWithBehaviors(behavior: { scaleUp: Rules; scaleDown: Rules }, currentReplicas: number, desiredReplicas: number, nowMs: number): number {
    let foundOldSample = false;
    let oldSampleIndex = 0;
    let upRecommendation = desiredReplicas;
    const upCutoff = nowMs - (behavior.scaleUp.stabilizationWindowSeconds ?? 0) * 1000;
    let downRecommendation = desiredReplicas;
    const downCutoff = nowMs - (behavior.scaleDown.stabilizationWindowSeconds ?? 0) * 1000;
    const recs = this.recommendations ?? [];
    recs.forEach((rec, i) => {
      if (rec.timestampMs > upCutoff) upRecommendation = Math.min(rec.recommendation, upRecommendation);
      if (rec.timestampMs > downCutoff) downRecommendation = Math.max(rec.recommendation, downRecommendation);
      if (rec.timestampMs < upCutoff && rec.timestampMs < downCutoff) {
        foundOldSample = true;
        oldSampleIndex = i;
      }
    });
    let recommendation = currentReplicas;
    if (recommendation < upRecommendation) recommendation = upRecommendation;
    if (recommendation > downRecommendation) recommendation = downRecommendation;
    if (foundOldSample) recs[oldSampleIndex] = { recommendation: desiredReplicas, timestampMs: nowMs };
    else recs.push({ recommendation: desiredReplicas, timestampMs: nowMs });
    return recommendation;
  }

  private convertDesiredReplicasWithBehaviorRate(
    behavior: { scaleUp: Rules; scaleDown: Rules },
    minReplicas: number,
    maxReplicas: number,
    currentReplicas: number,
    desiredReplicas: number,
    nowMs: number,
  ): number {
    if (desiredReplicas > currentReplicas) {
      let scaleUpLimit = calculateScaleUpLimitWithScalingRules(currentReplicas, this.scaleUpEvents, this.scaleDownEvents, behavior.scaleUp, nowMs);
      if (scaleUpLimit < currentReplicas) scaleUpLimit = currentReplicas;
      let maximumAllowedReplicas = maxReplicas;
      if (maximumAllowedReplicas > scaleUpLimit) maximumAllowedReplicas = scaleUpLimit;
      if (desiredReplicas > maximumAllowedReplicas) return maximumAllowedReplicas;
    } else if (desiredReplicas < currentReplicas) {
      let scaleDownLimit = calculateScaleDownLimitWithBehaviors(currentReplicas, this.scaleUpEvents, this.scaleDownEvents, behavior.scaleDown, nowMs);
      if (scaleDownLimit > currentReplicas) scaleDownLimit = currentReplicas;
      let minimumAllowedReplicas = minReplicas;
      if (minimumAllowedReplicas < scaleDownLimit) minimumAllowedReplicas = scaleDownLimit;
      if (desiredReplicas < minimumAllowedReplicas) return minimumAllowedReplicas;
    }
    return desiredReplicas;
  }
}
