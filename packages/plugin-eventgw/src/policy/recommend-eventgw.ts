import type { MetricNeed, RecommendInput, RecommendOutput } from '@ebb/core';
import type { EventGatewayConfig } from '../config/eventgw-config.ts';
import { EVENTGW_PREFIX } from '../config/eventgw-fields.ts';

/** The per-second window the gateway collector records: in-flight + queued requests, summed over gateway replicas. */
export const EVENTGW_DEMAND_METRIC = 'eventgw.demand';

/** Room for float error in the division, so 2.0000000001 requests over 1 per pod is 2 pods, not 3. */
const EPSILON = 1e-9;

/** Requests per pod the policy divides by: `containerConcurrency`, or `target` when that is 0 (unlimited). */
export function requestsPerPod(config: EventGatewayConfig): number {
  return config.containerConcurrency > 0 ? config.containerConcurrency : config.target;
}

/** The demand history the policy reads: the longer of the window and the idle period. */
export function eventGatewayMetricNeeds(config: EventGatewayConfig): readonly MetricNeed[] {
  return [{ metric: EVENTGW_DEMAND_METRIC, retentionMs: Math.max(config.windowMs, config.idlePeriodMs) }];
}

const seconds = (ms: number): string => `${ms / 1000}s`;

/**
 * The eventgw policy, pure. desired = ceil(max demand over the window / requests per pod), where demand is
 * in-flight + queued requests at the gateway (all replicas) and requests per pod is `containerConcurrency`
 * (or `target` when it is 0 = unlimited). Taking the max over the window keeps a burst that just ended from
 * scaling down at once. When the window shows no demand, one pod is kept until there was no demand for the idle
 * period (from a target that still has pods), then 0.
 *
 * Worked example, containerConcurrency 1, window 10 s: demand per second 3, 7, 20, 4 -> max 20 -> 20 pods;
 * containerConcurrency 0 with target 100: demand 250 -> ceil(2.5) = 3 pods.
 * No sample in the window (collector failing, or the gateway does not route the target) is "no data".
 */
export function recommendEventGateway(input: RecommendInput<EventGatewayConfig, undefined>): RecommendOutput<undefined> {
  const { config, nowMs, metrics, replicas } = input;
  const window = metrics.window(EVENTGW_DEMAND_METRIC);
  const demand = window?.max(nowMs, config.windowMs);
  if (!window || demand === undefined) {
    return {
      recommendation: {
        kind: 'no-data',
        reason: `no gateway stats in the last ${seconds(config.windowMs)} (is ${EVENTGW_PREFIX}host set, and the gateway stats collector configured?)`,
      },
    };
  }
  const perPod = requestsPerPod(config);
  const details = { demand, requestsPerPod: perPod, windowMs: config.windowMs };
  const desired = Math.max(0, Math.ceil(demand / perPod - EPSILON));
  if (desired > 0) {
    const reason = `demand ${demand} (in-flight + queued, max over ${seconds(config.windowMs)}) / ${perPod} per pod`;
    return { recommendation: { kind: 'replicas', replicas: desired, reason, details } };
  }
  const idleMs = Math.max(config.idlePeriodMs, config.windowMs);
  const recent = window.max(nowMs, idleMs) ?? 0;
  if (recent > 0 && replicas.current > 0) {
    const reason = `no demand for ${seconds(config.windowMs)}; keeping 1 pod until idle for ${seconds(idleMs)}`;
    return { recommendation: { kind: 'replicas', replicas: 1, reason, details } };
  }
  return { recommendation: { kind: 'replicas', replicas: 0, reason: `no demand for ${seconds(idleMs)}`, details } };
}
