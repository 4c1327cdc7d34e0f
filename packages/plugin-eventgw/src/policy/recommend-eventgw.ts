import type { MetricNeed, RecommendInput, RecommendOutput } from '@ebb/core';
import type { EventGatewayConfig } from '../config/eventgw-config.ts';
import { EVENTGW_PREFIX } from '../config/eventgw-fields.ts';

/**
 * What the gateway collector records each second: the time-weighted average of in-flight + queued requests since
 * the previous poll, summed over gateway replicas (a 200 ms request counts 0.2 in its second).
 */
export const EVENTGW_DEMAND_METRIC = 'eventgw.demand';

/**
 * What the gateway collector records each second besides the average: in-flight + queued at the instant of the
 * poll when some request was waiting for a slot then (the target is short of pods right now), else 0. Summed
 * over gateway replicas.
 */
export const EVENTGW_CONGESTED_METRIC = 'eventgw.congested-demand';

/** Room for float error in the division, so 2.0000000001 requests over 1 per pod is 2 pods, not 3. */
const EPSILON = 1e-9;

/** Requests per pod the policy divides by: `containerConcurrency`, or `target` when that is 0 (unlimited). */
export function requestsPerPod(config: EventGatewayConfig): number {
  return config.containerConcurrency > 0 ? config.containerConcurrency : config.target;
}

/** The demand history the policy reads (both metrics): the longer of the window and the idle period. */
export function eventGatewayMetricNeeds(config: EventGatewayConfig): readonly MetricNeed[] {
  const retentionMs = Math.max(config.windowMs, config.idlePeriodMs);
  return [
    { metric: EVENTGW_DEMAND_METRIC, retentionMs },
    { metric: EVENTGW_CONGESTED_METRIC, retentionMs },
  ];
}

const seconds = (ms: number): string => `${ms / 1000}s`;
const figure = (n: number): number => Math.round(n * 100) / 100;

/**
 * The eventgw policy, pure. desired = ceil(max demand over the window / requests per pod), where demand is
 * in-flight + queued requests at the gateway (all replicas) and requests per pod is `containerConcurrency`
 * (or `target` when it is 0 = unlimited). Taking the max over the window keeps a burst that just ended from
 * scaling down at once. When the window shows no demand, one pod is kept until there was no demand for the idle
 * period (from a target that still has pods), then 0.
 *
 * Each second's demand is the larger of {@link EVENTGW_DEMAND_METRIC} (the time-weighted average since the
 * previous poll: short requests count in proportion to their duration, so steady traffic of short requests
 * never reads as 0) and {@link EVENTGW_CONGESTED_METRIC} (everything at the gateway at the poll instant, when
 * requests were waiting for a slot then). The second keeps the one-request-per-pod promise without the average's
 * lag: a burst that arrived late in the second, or requests held at zero, need their pods now, in full.
 *
 * Worked example, containerConcurrency 1, window 10 s: demand per second 3, 7, 20, 4 -> max 20 -> 20 pods;
 * 3 requests of 200 ms per second -> 0.6 -> 1 pod (a sample at one instant would read 0 most of the time);
 * containerConcurrency 0 with target 100: demand 250 -> ceil(2.5) = 3 pods.
 * No sample of the average in the window (collector failing, or the gateway does not route the target) is "no
 * data"; no sample of the congested demand reads as 0 (a collector that records only the average).
 */
export function recommendEventGateway(input: RecommendInput<EventGatewayConfig, undefined>): RecommendOutput<undefined> {
  const { config, nowMs, metrics, replicas } = input;
  const window = metrics.window(EVENTGW_DEMAND_METRIC);
  const average = window?.max(nowMs, config.windowMs);
  if (!window || average === undefined) {
    return {
      recommendation: {
        kind: 'no-data',
        reason: `no gateway stats in the last ${seconds(config.windowMs)} (is ${EVENTGW_PREFIX}host set, and the gateway stats collector configured?)`,
      },
    };
  }
  const congestedWindow = metrics.window(EVENTGW_CONGESTED_METRIC);
  const congested = congestedWindow?.max(nowMs, config.windowMs) ?? 0;
  const demand = Math.max(average, congested);
  const perPod = requestsPerPod(config);
  const details = { demand: figure(demand), averageDemand: figure(average), congestedDemand: figure(congested), requestsPerPod: perPod, windowMs: config.windowMs };
  const desired = Math.max(0, Math.ceil(demand / perPod - EPSILON));
  if (desired > 0) {
    const what = congested > average ? 'in-flight + queued while requests waited for a slot' : 'average in-flight + queued per second';
    const reason = `demand ${figure(demand)} (${what}, max over ${seconds(config.windowMs)}) / ${perPod} per pod`;
    return { recommendation: { kind: 'replicas', replicas: desired, reason, details } };
  }
  const idleMs = Math.max(config.idlePeriodMs, config.windowMs);
  const recent = Math.max(window.max(nowMs, idleMs) ?? 0, congestedWindow?.max(nowMs, idleMs) ?? 0);
  if (recent > 0 && replicas.current > 0) {
    const reason = `no demand for ${seconds(config.windowMs)}; keeping 1 pod until idle for ${seconds(idleMs)}`;
    return { recommendation: { kind: 'replicas', replicas: 1, reason, details } };
  }
  return { recommendation: { kind: 'replicas', replicas: 0, reason: `no demand for ${seconds(idleMs)}`, details } };
}
