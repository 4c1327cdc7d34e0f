import type { TargetFloor, TargetKey } from '@ebb/core';
import type { ClusterModel } from '../model/cluster-model.ts';
import type { ModelledTarget } from '../model/modelled-target.ts';
import { percentiles } from '../run/percentile.ts';
import type { VirtualClock } from '../run/virtual-clock.ts';
import type { RolloutHooks } from './rollout-hooks.ts';
import { RolloutRouter } from './rollout-router.ts';
import type { RolloutStand, RolloutStepper, VersionNow } from './rollout-steppers.ts';

/** The scaler feeds the rollout the gateways' demand averaged over this many seconds. */
const DEMAND_AVERAGE_S = 3;

/** Options of {@link SimulatedRollout}. */
export interface SimulatedRolloutOptions {
  readonly stepper: RolloutStepper;
  /** When the rollout begins, ms since the epoch. */
  readonly startMs: number;
  /** End of the trace's span: no steps after it. */
  readonly endMs: number;
  /** Requests of the replayed function (both versions see each). */
  readonly requests: number;
  readonly seed: number;
}

/** What the rollout did within a window from its start (pods sampled on the virtual clock once a second). */
export interface RolloutTimeline {
  /** Both versions' pods (starting and Ready, or their spec if higher) just before the rollout. */
  readonly prePods: number;
  /** Pod-seconds within the window, and those above `prePods`. */
  readonly podSeconds: number;
  readonly podSecondsAbovePre: number;
  /** Most pods of both versions at one sample within the window. */
  readonly peakPods: number;
  /** When the new version got all traffic (null: never), ms since the epoch. */
  readonly doneAtMs: number | null;
  readonly stalled?: string;
  /** Requests each version took within the window (old, new). */
  readonly taken: readonly [number, number];
  /** Requests the old version took after the rollout was done, to the end of the span (0: all on the new one). */
  readonly oldAfterDone: number;
  /** Requests that arrived at a version with no Ready pod (a cold start: they wait for a start-up). */
  readonly coldStarts: readonly [number, number];
  /** Requests that waited in the gateway's queue until a pod turned Ready and took them (waited for a start-up). */
  readonly startupWaits: readonly [number, number];
  /** Requests that waited for a pod at the gateway (no Ready pod, or every slot taken). */
  readonly waited: readonly [number, number];
  /** Waits summed, s, and the p99 wait over every request in the window (both versions), ms. */
  readonly waitTotalS: number;
  readonly waitP99Ms: number | null;
}

/**
 * A rollout v1 -> v2 during one configuration's run: from `startMs` it asks the stepper once a second where the
 * split stands (reading both versions from the modelled cluster), routes each arriving request by that split,
 * hands the stepper's floors to the control loop, and records pods, cold starts and when the rollout was done.
 */
export class SimulatedRollout implements RolloutHooks {
  private readonly o: SimulatedRolloutOptions;
  private readonly router: RolloutRouter;
  private readonly floorByKey = new Map<TargetKey, TargetFloor>();
  private stand: RolloutStand | undefined;
  private prePods = 0;
  /** Both versions' pods at each whole second from the start (index 0: the start). */
  private readonly podSamples: number[] = [];
  private readonly coldAtMs: [number[], number[]] = [[], []];
  /** Each version's start-up waits so far, at each whole second from the start. */
  private readonly startupWaitSamples: [number[], number[]] = [[], []];
  private doneAtMs: number | null = null;
  private model: ClusterModel | undefined;

  constructor(o: SimulatedRolloutOptions) {
    this.o = o;
    this.router = new RolloutRouter(o.requests, o.seed);
  }

  readonly accepts = (target: number, ref: number, timeMs: number): boolean => {
    if (!this.router.accepts(target, ref)) return false;
    const t = this.model?.targets[target];
    if (t && timeMs >= this.o.startMs && t.d.pods.readyCount('standard') + t.d.pods.readyCount('reserve') === 0) this.coldAtMs[target]?.push(timeMs);
    return true;
  };

  readonly floors = { floor: (key: TargetKey): TargetFloor | undefined => this.floorByKey.get(key) };

  attach(clock: VirtualClock, model: ClusterModel): void {
    this.model = model;
    const [from, to] = model.targets as [ModelledTarget, ModelledTarget];
    // The demand the rollout reads, as the scaler feeds it: in flight and queued, averaged over the last 3 s.
    const demandMs: [number[], number[]] = [[], []];
    const now = (t: ModelledTarget, i: 0 | 1): VersionNow => {
      const past = demandMs[i];
      const average = past.length > DEMAND_AVERAGE_S ? (past.at(-1)! - past.at(-1 - DEMAND_AVERAGE_S)!) / (DEMAND_AVERAGE_S * 1000) : t.inFlight + t.queued;
      return { readyPods: t.readyReplicas, specPods: t.spec, inFlight: average };
    };
    const step = (): void => {
      const t = clock.now();
      demandMs[0].push(from.demandTotals(t).demandMs);
      demandMs[1].push(to.demandTotals(t).demandMs);
      if (t < this.o.startMs) {
        clock.setTimeout(step, 1000);
        return;
      }
      const pods = from.d.pods.live('standard') + to.d.pods.live('standard');
      if (this.stand === undefined) this.prePods = Math.max(pods, from.spec + to.spec);
      this.podSamples.push(pods);
      this.startupWaitSamples[0].push(from.startupWaits);
      this.startupWaitSamples[1].push(to.startupWaits);
      if (this.stand === undefined || (!this.stand.done && this.stand.stalled === undefined)) {
        this.stand = this.o.stepper(t, now(from, 0), now(to, 1));
        this.router.toPercent = this.stand.toPercent;
        this.floorByKey.clear();
        for (const [key, replicas] of this.stand.floors) this.floorByKey.set(key, { replicas, reason: `rollout: ${this.stand.toPercent} % on the new version` });
        if (this.stand.done) this.doneAtMs = t;
      }
      if (t + 1000 < this.o.endMs) clock.setTimeout(step, 1000);
    };
    // Demand is sampled from a few seconds before the start, for the first step's average.
    clock.setTimeout(step, Math.max(0, this.o.startMs - DEMAND_AVERAGE_S * 1000 - clock.now()));
  }

  /** The figures within [start, `windowEndMs`), once the run has finished. */
  timeline(windowEndMs: number): RolloutTimeline {
    const { startMs } = this.o;
    const targets = (this.model?.targets ?? []) as ModelledTarget[];
    const arrivals = targets[0]?.d.fn.arrivalsMs ?? new Float64Array(0);
    const waits: number[] = [];
    const taken: [number, number] = [0, 0];
    const waited: [number, number] = [0, 0];
    let oldAfterDone = 0;
    for (let i = 0; i < arrivals.length; i++) {
      const at = arrivals[i]!;
      const v = this.router.versionOf(i) as 0 | 1 | undefined;
      if (at < startMs || v === undefined) continue;
      if (v === 0 && this.doneAtMs !== null && at >= this.doneAtMs) oldAfterDone++;
      if (at >= windowEndMs) continue;
      taken[v]++;
      const w = targets[v]!.waitsMs[i]!;
      if (Number.isNaN(w)) continue;
      waits.push(w);
      if (w > 0) waited[v]++;
    }
    const seconds = Math.max(1, Math.ceil((windowEndMs - startMs) / 1000));
    const samples = this.podSamples.slice(0, seconds);
    // Start-up waits between the first sample and the first one at or after the window's end (or the last).
    const startupWaits = this.startupWaitSamples.map((x) => (x.length ? x[Math.min(seconds, x.length - 1)]! - x[0]! : 0));
    const [p99] = percentiles(waits, [99]);
    const inWindow = (times: readonly number[]): number => times.filter((t) => t < windowEndMs).length;
    return {
      prePods: this.prePods,
      podSeconds: samples.reduce((a, n) => a + n, 0),
      podSecondsAbovePre: samples.reduce((a, n) => a + Math.max(0, n - this.prePods), 0),
      peakPods: Math.max(0, ...samples),
      doneAtMs: this.doneAtMs,
      ...(this.stand?.stalled !== undefined ? { stalled: this.stand.stalled } : {}),
      taken,
      oldAfterDone,
      coldStarts: [inWindow(this.coldAtMs[0]), inWindow(this.coldAtMs[1])],
      startupWaits: [startupWaits[0] ?? 0, startupWaits[1] ?? 0],
      waited,
      waitTotalS: waits.reduce((a, b) => a + b, 0) / 1000,
      waitP99Ms: p99 ?? null,
    };
  }
}
