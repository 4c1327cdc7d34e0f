/**
 * Knative's excess burst capacity (EBC): the spare capacity of the ready pods beyond the current load and the
 * burst the operator wants to absorb, in metric units. Knative puts the activator in the request path while it
 * is negative; Ebb exposes it for the gateway to make the same choice.
 *
 * EBC = floor(ready pods x capacity per pod - target burst capacity - observed panic value)
 * - target burst capacity 0: always 0 (the gateway is needed only at zero pods);
 * - target burst capacity -1: always -1 (the gateway always stays in the path);
 * - it uses the ready pods as counted (0 stays 0), and the panic value, to avoid knee-jerk path changes.
 * Example: 10 ready pods x 100 per pod - 211 - 500 in flight = 289 spare; with 6 pods: 600 - 211 - 500 = -111.
 *
 * @param targetBurstCapacity metric units; -1, 0 or positive
 * @param readyPods ready pods as counted, >= 0
 * @param totalPerPod metric value one pod can take (Knative `TotalValue`)
 * @param panicValue the observed panic-window value of the whole target
 */
export function excessBurstCapacity(targetBurstCapacity: number, readyPods: number, totalPerPod: number, panicValue: number): number {
  if (targetBurstCapacity === 0) return 0;
  if (targetBurstCapacity < 0) return -1;
  return Math.floor(readyPods * totalPerPod - targetBurstCapacity - panicValue);
}
