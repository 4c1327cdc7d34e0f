import type { Decision } from '@ebb/core';
import type { Recorder } from './load.ts';
import type { LiveView, Snapshot, VersionsView } from './live-view.ts';
import type { PodCounts, PodServers } from './pod-servers.ts';
import { percentile } from './summary.ts';
import type { DemoStack } from './stack.ts';

/** One sample of the pods, for "time to scale". */
interface PodSample {
  readonly atMs: number;
  readonly ready: number;
  readonly replicas: number | undefined;
}

const numberOf = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

/**
 * Samples the demo every `refreshMs`: the scaler's live decision for the target, the gateway's figures, the pods
 * and the requests; draws the live view, reports changes of the Deployments' replicas as events, and keeps what
 * the summary needs (peaks, panic, winners, pod samples).
 */
export class Monitor {
  phase = 'set-up';
  /** Time the load began; the view counts seconds from it. */
  originMs = Date.now();
  peakPods = 0;
  peakReplicas = 0;
  panicSeen = false;
  readonly winners: Record<string, number> = {};
  /** The versions part's view, once it runs (shown under coffee's figures). */
  versions: (() => VersionsView) | undefined;
  private readonly samples: PodSample[] = [];
  private lastReplicas: number | undefined;
  private lastReserveReplicas: number | undefined;
  private lastPanic: boolean | undefined;
  private timer: NodeJS.Timeout | undefined;
  private sampling: Promise<unknown> | undefined;
  private readonly stack: DemoStack;
  private readonly pods: PodServers;
  private readonly recorder: Recorder;
  private readonly view: LiveView;
  private readonly key: string;

  constructor(stack: DemoStack, pods: PodServers, recorder: Recorder, view: LiveView, key: string) {
    this.stack = stack;
    this.pods = pods;
    this.recorder = recorder;
    this.view = view;
    this.key = key;
  }

  start(refreshMs: number): void {
    const loop = (): void => {
      this.sampling = this.sample().finally(() => {
        if (this.timer !== undefined) this.timer = setTimeout(loop, refreshMs);
      });
    };
    this.timer = setTimeout(loop, 0);
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.sampling;
    this.view.close();
  }

  /** A line above the live view, stamped with the seconds since the load began. */
  event(text: string): void {
    this.view.event(`[t=${((Date.now() - this.originMs) / 1000).toFixed(1)}s] ${text}`);
  }

  /** Seconds from `fromMs` until the first sample with at least `want` Ready pods (undefined: never). */
  readyAfter(fromMs: number, want: number): number | undefined {
    const hit = this.samples.find((s) => s.atMs >= fromMs && s.ready >= want);
    return hit ? (hit.atMs - fromMs) / 1000 : undefined;
  }

  /** Seconds from `fromMs` until the first sample whose replicas exceeded `above`. */
  replicasAbove(fromMs: number, above: number): number | undefined {
    const hit = this.samples.find((s) => s.atMs >= fromMs && (s.replicas ?? 0) > above);
    return hit ? (hit.atMs - fromMs) / 1000 : undefined;
  }

  async sample(): Promise<Snapshot> {
    const nowMs = Date.now();
    const counts = this.pods.counts();
    const decision = this.stack.decision(this.key);
    const stats = await this.stack.gatewayStats(this.key).catch(() => undefined);
    const recent = this.recorder.recent(nowMs, 1000);
    const kpa = decision?.recommendations.find((r) => r.pluginId === 'kpa')?.recommendation;
    const details = kpa?.kind === 'replicas' ? kpa.details : undefined;
    const panic = details ? details['inPanic'] === true : undefined;
    this.track(nowMs, counts, decision, panic);
    const snapshot: Snapshot = {
      phase: this.phase,
      elapsedS: (nowMs - this.originMs) / 1000,
      inFlight: stats?.inFlight,
      queued: stats?.queued,
      rps: recent.length,
      p50Ms: recent.length ? percentile(recent.map((r) => r.ms), 50) : undefined,
      desired: decision?.desired,
      replicas: counts.desired,
      ready: counts.ready,
      reserveReady: counts.reserveReady,
      panic,
      kpaStable: numberOf(details?.['observedStableValue']),
      kpaPanic: numberOf(details?.['observedPanicValue']),
      kpaPerPod: numberOf(details?.['targetPerPod']),
      winner: winnerText(decision),
      served: this.recorder.results.filter((r) => r.status === 200).length,
      errors: this.recorder.results.filter((r) => r.status !== 200).length,
      coldStarts: this.recorder.results.filter((r) => r.coldStartMs !== undefined).length,
      ...(this.versions ? { versions: this.versions() } : {}),
    };
    this.view.update(snapshot);
    return snapshot;
  }

  private track(nowMs: number, counts: PodCounts, decision: Decision | undefined, panic: boolean | undefined): void {
    this.samples.push({ atMs: nowMs, ready: counts.ready, replicas: counts.desired });
    this.peakPods = Math.max(this.peakPods, counts.ready);
    this.peakReplicas = Math.max(this.peakReplicas, counts.desired ?? 0);
    if (panic) this.panicSeen = true;
    if (decision?.winner) this.winners[decision.winner.pluginId] = (this.winners[decision.winner.pluginId] ?? 0) + 1;
    if (counts.desired !== this.lastReplicas && this.lastReplicas !== undefined) {
      this.event(`coffee scaled ${this.lastReplicas} -> ${counts.desired ?? 'gone'}${decision ? ` (${winnerText(decision) ?? 'no winner'})` : ''}`);
    }
    this.lastReplicas = counts.desired;
    if (counts.reserveDesired !== this.lastReserveReplicas) {
      const was = this.lastReserveReplicas;
      if (was === undefined) this.event(`reserve Deployment coffee-reserve created with ${counts.reserveDesired} pod`);
      else this.event(`coffee-reserve scaled ${was} -> ${counts.reserveDesired ?? 'gone'}`);
    }
    this.lastReserveReplicas = counts.reserveDesired;
    if (panic !== undefined && panic !== this.lastPanic && this.lastPanic !== undefined) this.event(panic ? 'KPA entered panic mode' : 'KPA left panic mode');
    if (panic !== undefined) this.lastPanic = panic;
  }
}

/** `plugin: reason` of the winning recommendation, with the combination steps that changed the count. */
export function winnerText(d: Decision | undefined): string | undefined {
  if (!d) return undefined;
  const base = d.winner ? `${d.winner.pluginId}: ${d.winner.reason}` : 'no plugin recommended a count';
  return d.applied.length ? `${base} [then ${d.applied.join(', ')}]` : base;
}
