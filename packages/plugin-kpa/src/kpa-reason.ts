import type { KpaConfig } from './kpa-config.ts';
import type { KpaDecision } from './kpa-decider.ts';
import type { KpaObservation } from './kpa-observe.ts';

/**
 * One line that says why the KPA recommends what it does, for Events and `ebb explain`.
 * Examples:
 * - `concurrency 50 over 60s / 7 per pod = 8 pods`
 * - `concurrency 1 over 60s / 10 per pod = 1 pod, kept at 10 by max-scale-down-rate 10`
 * - `panic: concurrency 1000 over 6s / 10 per pod = 100 pods, limited to 10 by max-scale-up-rate 10;
 *   concurrency 200 over 60s / 10 per pod = 20 pods, limited to 10 by max-scale-up-rate 10`
 * - `panic: concurrency 1 over 6s / 10 per pod = 1 pod; concurrency 1 over 60s / 10 per pod = 1 pod; holding 100,
 *   no scale-down while panicking`
 */
export function describeKpaDecision(
  config: Pick<KpaConfig, 'metric' | 'targetPerPod' | 'maxScaleUpRate' | 'maxScaleDownRate' | 'stableWindowMs' | 'panicWindowMs'>,
  observation: KpaObservation,
  decision: KpaDecision,
): string {
  const perPod = `${fmt(config.targetPerPod)} per pod`;
  const stable =
    `${config.metric} ${fmt(observation.stableValue)} over ${secs(config.stableWindowMs)} / ${perPod} = ${pods(decision.stablePodsNeeded)}` +
    limits(decision.stablePodsNeeded, decision.desiredStablePodCount, decision, config);
  if (!decision.inPanic) return stable;
  const panic =
    `${config.metric} ${fmt(observation.panicValue)} over ${secs(config.panicWindowMs)} / ${perPod} = ${pods(decision.panicPodsNeeded)}` +
    limits(decision.panicPodsNeeded, decision.desiredPanicPodCount, decision, config);
  const holding =
    decision.desiredPodCount > Math.max(decision.desiredStablePodCount, decision.desiredPanicPodCount)
      ? `; holding ${decision.desiredPodCount}, no scale-down while panicking`
      : '';
  return `panic: ${panic}; ${stable}${holding}`;
}

/** Explains the difference between the pods needed and the pods wanted after the rate limits and activation scale. */
function limits(
  needed: number,
  wanted: number,
  d: KpaDecision,
  c: Pick<KpaConfig, 'maxScaleUpRate' | 'maxScaleDownRate'>,
): string {
  if (wanted === needed) return '';
  if (wanted === d.maxScaleUp && needed > wanted) return `, limited to ${wanted} by max-scale-up-rate ${fmt(c.maxScaleUpRate)}`;
  if (wanted === d.maxScaleDown && needed < wanted) return `, kept at ${wanted} by max-scale-down-rate ${fmt(c.maxScaleDownRate)}`;
  return `, raised to ${wanted} by activation scale`;
}

function pods(n: number): string {
  return n === 1 ? '1 pod' : `${n} pods`;
}

function secs(ms: number): string {
  return `${fmt(ms / 1000)}s`;
}

/** Up to two decimals, without trailing zeros: 7 -> "7", 13.333 -> "13.33". */
function fmt(x: number): string {
  return String(Math.round(x * 100) / 100);
}
