import { DemandIntegral, type DemandTotals } from '@ebb/plugin-eventgw';
import type { TraceFunction } from '../trace/trace.ts';
import type { EventQueue } from './event-queue.ts';
import { IdleTime } from './idle-time.ts';
import type { PodSet } from './pod-set.ts';
import { CountSeries, StepSeries } from './step-series.ts';
import type { TargetModelConfig } from './target-model-config.ts';

/** State of one request. */
export const RequestState = { pending: 0, queued: 1, dispatched: 2, timedOut: 3, rejected: 4 } as const;

/** Dependencies of {@link ModelledTarget}. */
export interface ModelledTargetDeps {
  readonly index: number;
  readonly fn: TraceFunction;
  readonly config: TargetModelConfig;
  readonly pods: PodSet;
  readonly events: EventQueue;
  /** End of the span, ms: idle time is counted until then. */
  readonly spanEndMs: number;
  /** End of the warm-up at the start of the span, ms: cold starts before it are also counted apart. */
  readonly warmupEndMs: number;
  /** Series for charts: start, bucket length (ms) and count. */
  readonly series: { readonly startMs: number; readonly bucketMs: number; readonly buckets: number };
  /** spec or Ready pods changed: the Deployment's status moved. */
  readonly changed: () => void;
  /** A request found no Ready pod: the gateway pokes the scaler (at most once per second per target). */
  readonly poke: () => void;
}

/**
 * One target as the modelled cluster and gateway see it: its Deployment (spec, Ready pods), its reserve's pods
 * (the reserve Deployment itself is written by core's reserve swap through `ModelledReserveApi`), and the gateway's per-target dispatch: a request goes to a Ready pod with a free slot, else waits in a FIFO
 * queue (bounded by `queueLength`, `queueTimeoutMs`); a request arriving while no pod is Ready is a cold start.
 */
export class ModelledTarget {
  readonly d: ModelledTargetDeps;
  spec = 0;
  version = 1;
  inFlight = 0;
  /** Requests received (a counter, as the gateway reports it). */
  requestCount = 0;
  coldStarts = 0;
  /** Requests that waited in the queue until a pod turned Ready and took them (they waited for a start-up). */
  startupWaits = 0;
  /** Cold starts before the end of the warm-up. */
  coldStartsWarmup = 0;
  timedOut = 0;
  rejected = 0;
  /** Writes of the target's replicas that changed them. */
  scaleActions = 0;
  /** Writes of the reserve's replicas that changed them (create, scale, delete). */
  reserveActions = 0;
  maxSpec = 0;
  /** Last time the number of requests in flight or queued changed, ms (the start of the span before any). */
  lastActiveMs: number;
  readonly state: Uint8Array;
  /** Wait of each request before a pod took it (ms); NaN for rejected or never-dispatched requests. */
  readonly waitsMs: Float64Array;
  readonly ready: StepSeries;
  readonly reserve: StepSeries;
  readonly cold: CountSeries;
  private queue: number[] = [];
  private head = 0;
  private lastPokeMs = -Infinity;
  /** The gateway's integral of in-flight + queued (the same code as the real gateway's). */
  private readonly demand: DemandIntegral;
  /** Pod-time and target-time with no request (see {@link IdleTime}). */
  readonly idle: IdleTime;

  constructor(deps: ModelledTargetDeps) {
    this.d = deps;
    this.demand = new DemandIntegral(deps.series.startMs);
    this.lastActiveMs = deps.series.startMs;
    this.idle = new IdleTime(deps.pods, deps.series.startMs, deps.spanEndMs);
    const n = deps.fn.arrivalsMs.length;
    this.state = new Uint8Array(n);
    this.waitsMs = new Float64Array(n).fill(NaN);
    const { startMs, bucketMs, buckets } = deps.series;
    this.ready = new StepSeries(startMs, bucketMs, buckets);
    this.reserve = new StepSeries(startMs, bucketMs, buckets);
    this.cold = new CountSeries(startMs, bucketMs, buckets);
  }

  /** Requests waiting in the gateway's queue. */
  get queued(): number {
    return this.queue.length - this.head;
  }

  /** The gateway's `demandMsTotal` and `inFlightMsTotal` at `nowMs` (request-ms since the start of the run). */
  demandTotals(nowMs: number): DemandTotals {
    return this.demand.totalsAt(nowMs);
  }

  /** Ready standard pods: the Deployment's `status.readyReplicas`. */
  get readyReplicas(): number {
    return this.d.pods.readyCount('standard');
  }

  /** Starts with `replicas` pods Ready at once. */
  init(nowMs: number, replicas: number): void {
    for (let i = 0; i < replicas; i++) this.d.pods.create('standard', nowMs, 0);
    this.spec = replicas;
    this.maxSpec = replicas;
    this.track(nowMs);
  }

  /** The target's scale subresource is written: `spec.replicas` becomes `replicas`. */
  scale(replicas: number, nowMs: number): void {
    this.idle.accrue(nowMs, this.inFlight + this.queued);
    if (replicas === this.spec) return;
    this.scaleActions++;
    this.setSpec(replicas, nowMs);
  }

  /**
   * The reserve Deployment's replicas become `replicas` (0 when it is deleted): its ReplicaSet starts or deletes
   * reserve pods. `startupMs` overrides the drawn start-up time (0: Ready at once, for the initial state, which
   * is not counted as an action).
   */
  scaleReserve(replicas: number, nowMs: number, startupMs?: number): void {
    this.idle.accrue(nowMs, this.inFlight + this.queued);
    const pods = this.d.pods;
    const live = pods.live('reserve');
    if (replicas === live) return;
    if (startupMs === undefined) this.reserveActions++;
    if (replicas > live) {
      for (let k = live; k < replicas; k++) {
        const pod = pods.create('reserve', nowMs, startupMs);
        if (!pod.ready) this.d.events.push(pod.readyAtMs, 'ready', this.d.index, pod.id);
      }
    } else pods.remove('reserve', live - replicas, nowMs);
    this.track(nowMs);
  }

  arrive(i: number, nowMs: number): void {
    this.idle.accrue(nowMs, this.inFlight + this.queued);
    this.requestCount++;
    const noPod = this.d.pods.readyCount('standard') + this.d.pods.readyCount('reserve') === 0;
    if (noPod) {
      this.coldStarts++;
      if (nowMs < this.d.warmupEndMs) this.coldStartsWarmup++;
      this.cold.add(nowMs);
    }
    const pod = this.queued === 0 ? this.d.pods.pick() : undefined;
    if (pod) this.dispatch(i, pod.id, nowMs);
    else if (this.queued >= this.d.config.queueLength) {
      this.state[i] = RequestState.rejected;
      this.rejected++;
    } else {
      this.state[i] = RequestState.queued;
      this.queue.push(i);
      this.counted(nowMs);
      this.d.events.push(nowMs + this.d.config.queueTimeoutMs, 'timeout', this.d.index, i);
    }
    if (noPod && nowMs - this.lastPokeMs >= 1000) {
      this.lastPokeMs = nowMs;
      this.d.poke();
    }
  }

  complete(i: number, podId: number, nowMs: number): void {
    this.idle.accrue(nowMs, this.inFlight + this.queued);
    const pod = this.d.pods.get(podId);
    if (!pod) throw new Error(`request ${i} of ${this.d.fn.id} completed on unknown pod ${podId}`);
    pod.inFlight--;
    this.inFlight--;
    this.counted(nowMs);
    this.d.pods.drained(pod, nowMs);
    this.drainQueue(nowMs);
  }

  podReady(podId: number, nowMs: number): void {
    this.idle.accrue(nowMs, this.inFlight + this.queued);
    const pod = this.d.pods.get(podId);
    if (!pod || pod.terminating || pod.ready) return;
    pod.ready = true;
    const queued = this.queued;
    this.drainQueue(nowMs);
    this.startupWaits += queued - this.queued;
    this.track(nowMs);
    if (pod.kind === 'reserve') return;
    this.version++;
    this.d.changed();
  }

  timeout(i: number, nowMs: number): void {
    this.idle.accrue(nowMs, this.inFlight + this.queued);
    if (this.state[i] !== RequestState.queued) return;
    // FIFO with one timeout per target: the request timing out is the oldest waiting, i.e. the head.
    const at = this.queue.indexOf(i, this.head);
    this.queue.splice(at, 1);
    this.counted(nowMs);
    this.state[i] = RequestState.timedOut;
    this.waitsMs[i] = nowMs - this.d.fn.arrivalsMs[i]!;
    this.timedOut++;
  }

  /** Ends the run: bills running pods up to the end of the span and closes the series. */
  finish(endMs: number): void {
    this.idle.accrue(endMs, this.inFlight + this.queued);
    this.d.pods.billRemaining();
    this.ready.advance(endMs);
    this.reserve.advance(endMs);
  }

  private dispatch(i: number, podId: number, nowMs: number): void {
    const pod = this.d.pods.get(podId)!;
    pod.inFlight++;
    pod.lastUsedMs = nowMs;
    this.inFlight++;
    this.counted(nowMs);
    this.state[i] = RequestState.dispatched;
    this.waitsMs[i] = nowMs - this.d.fn.arrivalsMs[i]!;
    this.d.events.push(nowMs + this.d.fn.durationsMs[i]!, 'complete', this.d.index, i, pod.id);
  }

  private drainQueue(nowMs: number): void {
    while (this.queued > 0) {
      const pod = this.d.pods.pick();
      if (!pod) break;
      const i = this.queue[this.head++]!;
      this.dispatch(i, pod.id, nowMs);
    }
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }

  private setSpec(replicas: number, nowMs: number): void {
    const live = this.d.pods.live('standard');
    if (replicas > live) {
      for (let k = live; k < replicas; k++) {
        const pod = this.d.pods.create('standard', nowMs);
        this.d.events.push(pod.readyAtMs, 'ready', this.d.index, pod.id);
      }
    } else if (replicas < live) this.d.pods.remove('standard', live - replicas, nowMs);
    this.spec = replicas;
    this.maxSpec = Math.max(this.maxSpec, replicas);
    this.version++;
    this.track(nowMs);
    this.d.changed();
  }

  /** In-flight or queued changed (a request `drainQueue` takes from the queue is counted at its dispatch). */
  private counted(nowMs: number): void {
    this.lastActiveMs = nowMs;
    this.demand.set(nowMs, this.inFlight, this.queued);
  }

  private track(nowMs: number): void {
    this.ready.set(nowMs, this.d.pods.readyCount('standard'));
    this.reserve.set(nowMs, this.d.pods.readyCount('reserve'));
  }
}
