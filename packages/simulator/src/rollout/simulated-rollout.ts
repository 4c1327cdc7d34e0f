import type { TargetFloor, TargetKey } from '@ebb/core';
import type { ClusterModel } from '../model/cluster-model.ts';
import type { ModelledTarget } from '../model/modelled-target.ts';
import { percentiles } from '../run/percentile.ts';
import type { VirtualClock } from '../run/virtual-clock.ts';
import type { RolloutHooks } from './rollout-hooks.ts';
import { RolloutRouter } from './rollout-router.ts';
import type { RolloutStand, RolloutStepper, VersionNow } from './rollout-steppers.ts';

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

/** What the rollout did, sampled on the virtual clock once a second from its start. */
export interface RolloutTimeline {
  /** Both versions' pods (starting and Ready, or their spec if higher) just before the rollout. */
  readonly prePods: number;
  /** Pod-seconds from the rollout's start to the end of the span, and those above `prePods`. */
  readonly podSeconds: number;
  readonly podSecondsAbovePre: number;
  /** Most pods of both versions at one sample after the start. */
  readonly peakPods: number;
  /** When the new version got all traffic (null: never), ms since the epoch. */
  readonly doneAtMs: number | null;
  readonly stalled?: string;
  /** Requests each version took from the rollout's start on (old, new). */
  readonly taken: readonly [number, number];
  /** Requests the old version took after the rollout was done (0: all traffic on the new version). */
  readonly oldAfterDone: number;
  /** Of those, the requests that waited for a pod at the gateway (every free slot taken: a pod was starting). */
  readonly waited: readonly [number, number];
  /** Requests that arrived at a version with no Ready pod (old, new), from the rollout's start on. */
  readonly coldStarts: readonly [number, number];
  /** Their waits summed, s, and the p99 wait over every request from the start on (both versions), ms. */
  readonly waitTotalS: number;
  readonly waitP99Ms: number | null;
  readonly timedOut: number;
}

/**
 * A rollout v1 -> v2 during one configuration's run: from `startMs` it asks the stepper once a second where the
 * split stands (reading both versions from the modelled cluster), routes each arriving request by that split,
 * hands the stepper's floors to the control loop, and records pods and the time the rollout took.
 */
export class SimulatedRollout implements RolloutHooks {
  private readonly o: SimulatedRolloutOptions;
  private readonly router: RolloutRouter;
  private readonly floorByKey = new Map<TargetKey, TargetFloor>();
  private stand: RolloutStand | undefined;
  private takenAtStart: [number, number] = [0, 0];
  private prePods = 0;
  private podMs = 0;
  private aboveMs = 0;
  private peakPods = 0;
  private doneAtMs: number | null = null;
  private model: ClusterModel | undefined;
  private coldAtStart: [number, number] = [0, 0];
  private oldAtDone = 0;

  constructor(o: SimulatedRolloutOptions) {
    this.o = o;
    this.router = new RolloutRouter(o.requests, o.seed);
  }

  readonly accepts = (target: number, ref: number): boolean => this.router.accepts(target, ref);

  readonly floors = { floor: (key: TargetKey): TargetFloor | undefined => this.floorByKey.get(key) };

  attach(clock: VirtualClock, model: ClusterModel): void {
    this.model = model;
    const [from, to] = model.targets as [ModelledTarget, ModelledTarget];
    const now = (t: ModelledTarget): VersionNow => ({ readyPods: t.readyReplicas, specPods: t.spec, inFlight: t.inFlight + t.queued });
    const pods = (): number => from.d.pods.live('standard') + to.d.pods.live('standard');
    const step = (): void => {
      const t = clock.now();
      if (this.stand === undefined) {
        this.prePods = Math.max(pods(), from.spec + to.spec);
        this.takenAtStart = [this.router.taken[0]!, this.router.taken[1]!];
        this.coldAtStart = [from.coldStarts, to.coldStarts];
      } else {
        const n = pods();
        this.podMs += n * 1000;
        this.aboveMs += Math.max(0, n - this.prePods) * 1000;
        this.peakPods = Math.max(this.peakPods, n);
      }
      if (this.stand === undefined || (!this.stand.done && this.stand.stalled === undefined)) {
        this.stand = this.o.stepper(t, now(from), now(to));
        this.router.toPercent = this.stand.toPercent;
        this.floorByKey.clear();
        for (const [key, replicas] of this.stand.floors) this.floorByKey.set(key, { replicas, reason: `rollout: ${this.stand.toPercent} % on the new version` });
        if (this.stand.done) {
          this.doneAtMs = t;
          this.oldAtDone = this.router.taken[0]!;
        }
      }
      if (t + 1000 < this.o.endMs) clock.setTimeout(step, 1000);
    };
    clock.setTimeout(step, Math.max(0, this.o.startMs - clock.now()));
  }

  /** The figures once the run has finished. */
  timeline(): RolloutTimeline {
    const targets = (this.model?.targets ?? []) as ModelledTarget[];
    const waits: number[] = [];
    const waited = targets.map((t) => {
      let n = 0;
      const arrivals = t.d.fn.arrivalsMs;
      for (let i = 0; i < arrivals.length; i++) {
        const w = t.waitsMs[i]!;
        if (arrivals[i]! < this.o.startMs || Number.isNaN(w)) continue;
        waits.push(w);
        if (w > 0) n++;
      }
      return n;
    });
    const [p99] = percentiles(waits, [99]);
    return {
      prePods: this.prePods,
      podSeconds: this.podMs / 1000,
      podSecondsAbovePre: this.aboveMs / 1000,
      peakPods: this.peakPods,
      doneAtMs: this.doneAtMs,
      ...(this.stand?.stalled !== undefined ? { stalled: this.stand.stalled } : {}),
      taken: [this.router.taken[0]! - this.takenAtStart[0], this.router.taken[1]! - this.takenAtStart[1]],
      oldAfterDone: this.doneAtMs === null ? 0 : this.router.taken[0]! - this.oldAtDone,
      waited: [waited[0] ?? 0, waited[1] ?? 0],
      coldStarts: [(targets[0]?.coldStarts ?? 0) - this.coldAtStart[0], (targets[1]?.coldStarts ?? 0) - this.coldAtStart[1]],
      waitTotalS: waits.reduce((a, b) => a + b, 0) / 1000,
      waitP99Ms: p99 ?? null,
      timedOut: targets.reduce((n, t) => n + t.timedOut, 0),
    };
  }
}
