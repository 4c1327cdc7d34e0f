import type { PodSet } from './pod-set.ts';

/**
 * Idle time of one target, accrued exactly between the model's changes (call {@link IdleTime.accrue} before every
 * change of its pods or requests, with the time of the change):
 * - `podMs`: pod-time with no request in flight on the pod (every pod, starting ones included, standard and
 *   reserve): what a policy pays for and does not use;
 * - `warmMs`: time the target has at least one pod and no request in flight or queued: the time a keep-alive or
 *   a pre-warm keeps it warm for nothing (the "wasted memory time" of Shahrad et al., one instance per function).
 * Both are clipped to `[fromMs, toMs)`, the billed span.
 * Example: one pod from 0 s to 600 s serving one request from 10 s to 11 s -> podMs 599 s, warmMs 599 s; two pods
 * over that span, one of them serving it -> podMs 1199 s, warmMs 599 s.
 */
export class IdleTime {
  podMs = 0;
  warmMs = 0;
  private lastMs: number;
  private readonly pods: PodSet;
  private readonly toMs: number;

  constructor(pods: PodSet, fromMs: number, toMs: number) {
    this.pods = pods;
    this.lastMs = fromMs;
    this.toMs = toMs;
  }

  /** Adds the time since the previous call, in the state before the change at `nowMs`. */
  accrue(nowMs: number, requests: number): void {
    const until = Math.min(nowMs, this.toMs);
    if (until <= this.lastMs) return;
    const ms = until - this.lastMs;
    this.lastMs = until;
    const pods = this.pods.pods;
    if (pods.length === 0) return;
    let idlePods = 0;
    for (const p of pods) if (p.inFlight === 0) idlePods++;
    this.podMs += idlePods * ms;
    if (requests === 0) this.warmMs += ms;
  }
}
