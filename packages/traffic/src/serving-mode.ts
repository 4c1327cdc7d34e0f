/**
 * Where a target's Service sends requests: `proxy` = the gateway's pods (it holds, queues and forwards),
 * `serve` = the target's Ready pods (the gateway is out of the path). Knative's SKS operation modes.
 */
export type ServingMode = 'proxy' | 'serve';

/** The panic-window load and per-pod capacity behind the burst-capacity rule (the KPA's figures). */
export interface BurstFigures {
  /** Metric value one pod can take (Knative `TotalValue`). */
  readonly totalPerPod: number;
  /** Observed panic-window value of the whole target. */
  readonly panicValue: number;
}

/** Everything {@link decideServingMode} reads. */
export interface ServingModeInput {
  /** The loop's desired replicas. */
  readonly desired: number;
  /** Ready pods of the target now. */
  readonly readyPods: number;
  /** -1 (gateway always in the path), 0 (only at zero) or the spare capacity to keep, metric units. */
  readonly targetBurstCapacity: number;
  /** The KPA's figures; `pending` while the KPA decides the target but has no data yet; undefined without the KPA. */
  readonly burst: BurstFigures | 'pending' | undefined;
  /** The gateway's per-pod concurrency limit for the target (`ebb.dev/eventgw.container-concurrency`). */
  readonly containerConcurrency: number;
  /** The user lets a target with container-concurrency 1 leave the gateway's enforcement. */
  readonly serveWithConcurrencyLimit: boolean;
  /**
   * The target's demand is measured only by the gateway (the `eventgw` policy, or the KPA reading the gateway's
   * figures): in Serve mode the gateway would see none of it, and the target would scale down under load.
   */
  readonly demandSeenOnlyByGateway: boolean;
}

/** The mode and the sentence that explains it (for Events, logs and `ebb explain`). */
export interface ServingModeDecision {
  readonly mode: ServingMode;
  readonly reason: string;
  /** Knative's excess burst capacity, when it was computed. */
  readonly excessBurstCapacity?: number;
}

/**
 * Knative's rule (`pkg/reconciler/autoscaling/kpa/kpa.go`): the activator is in the path when the revision wants
 * no pods or its excess burst capacity is negative; EBC = floor(ready x capacity per pod - TBC - panic-window load),
 * with TBC 0 meaning "only at zero" and -1 "always". Ebb adds three cases that keep the gateway where it is needed:
 * no Ready pod yet (Knative's SKS keeps the activator until the private endpoints are ready), container-concurrency 1
 * (the one-request-per-pod promise is the gateway's), and a demand only the gateway measures.
 * Without the KPA's figures (a target scaled by the HPA or cron) there is no panic window, so a positive TBC acts
 * as 0: Serve whenever a pod is Ready.
 * Examples: desired 3, 3 ready x 100 per pod, TBC 211, panic load 50 -> EBC 39 -> serve; panic load 120 -> -31 -> proxy.
 */
export function decideServingMode(i: ServingModeInput): ServingModeDecision {
  if (i.targetBurstCapacity === -1) return { mode: 'proxy', reason: 'target-burst-capacity is -1: the gateway always stays in the path' };
  if (i.containerConcurrency === 1 && !i.serveWithConcurrencyLimit) {
    return { mode: 'proxy', reason: 'container-concurrency 1 is enforced by the gateway (ebb.dev/activator.serve-with-concurrency-limit is false)' };
  }
  if (i.demandSeenOnlyByGateway) return { mode: 'proxy', reason: "the target's demand is measured by the gateway only: Serve mode would hide it" };
  if (i.desired === 0) return { mode: 'proxy', reason: 'the target wants no pods: the gateway holds requests at zero' };
  if (i.readyPods === 0) return { mode: 'proxy', reason: 'no Ready pod yet: the gateway holds requests until one is' };
  if (i.burst === 'pending' && i.targetBurstCapacity !== 0) return { mode: 'proxy', reason: 'the KPA has no panic-window figures yet: the gateway stays until it has' };
  if (i.targetBurstCapacity === 0 || i.burst === undefined || i.burst === 'pending') {
    return { mode: 'serve', reason: i.burst === undefined ? `${i.readyPods} Ready pods and no panic-window figures: the gateway is needed only at zero` : 'target-burst-capacity 0: the gateway is needed only at zero' };
  }
  const ebc = Math.floor(i.readyPods * i.burst.totalPerPod - i.targetBurstCapacity - i.burst.panicValue);
  const sums = `${i.readyPods} ready x ${i.burst.totalPerPod} - burst capacity ${i.targetBurstCapacity} - panic load ${round(i.burst.panicValue)} = ${ebc}`;
  return ebc >= 0
    ? { mode: 'serve', reason: `excess burst capacity ${sums} >= 0`, excessBurstCapacity: ebc }
    : { mode: 'proxy', reason: `excess burst capacity ${sums} < 0: the gateway buffers the burst`, excessBurstCapacity: ebc };
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}
