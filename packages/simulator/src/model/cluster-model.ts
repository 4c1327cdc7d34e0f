import { SELECTION_LABEL, STATUS_ANNOTATION, targetKey, type Actuator, type Clock, type ScaleTarget, type TargetEvent, type TargetKey, type TargetSource } from '@ebb/core';
import type { Random } from '../trace/seeded-random.ts';
import type { Trace } from '../trace/trace.ts';
import { EventQueue, type ModelEvent } from './event-queue.ts';
import { ModelledReserveApi } from './modelled-reserve.ts';
import { ModelledTarget } from './modelled-target.ts';
import { PodSet, type StartupModel } from './pod-set.ts';
import type { TargetModelConfig } from './target-model-config.ts';

/** Options of {@link ClusterModel}. */
export interface ClusterModelOptions {
  readonly trace: Trace;
  /** The virtual clock the loop runs on; scale writes happen at its time. */
  readonly clock: Clock;
  /** Namespace of the modelled Deployments (one per trace function, named after it). */
  readonly namespace: string;
  /** Annotations every modelled Deployment carries (the configuration under test). */
  readonly annotations: Readonly<Record<string, string>>;
  readonly config: TargetModelConfig;
  readonly startup: StartupModel;
  readonly rng: Random;
  /** Replicas (Ready at once) each target has at the start. */
  readonly initialReplicas: number;
  /** Chart buckets, ms. */
  readonly bucketMs: number;
  /** Length of the warm-up at the start of the span, ms (figures of it are kept apart). */
  readonly warmupMs: number;
  /** Whether target `target` takes request `ref` of its function (a rollout replay's router); default: yes. */
  readonly accepts?: (target: number, ref: number, timeMs: number) => boolean;
}

/**
 * The modelled cluster and gateway: one Deployment per trace function, its pods (start-up time, per-pod
 * concurrency, graceful drain), its reserve Deployment and the gateway's queue. It plays the informer cache
 * ({@link ClusterModel.source}) and the scale subresource ({@link ClusterModel.actuator}) for the real control
 * loop, and advances by {@link ClusterModel.handle}-ing events in time order. Each Deployment carries Ebb's status
 * annotation: the run starts from targets Ebb already manages (so Knative's initial-scale, which applies to a
 * target the scaler sees for the first time, does not).
 */
export class ClusterModel {
  readonly targets: ModelledTarget[] = [];
  /** Highest sum of spec.replicas over targets at one moment. */
  maxTotalSpec = 0;
  /** The same within the warm-up (the first `warmupMs` of the span), and after it. */
  maxTotalSpecWarmup = 0;
  maxTotalSpecAfterWarmup = 0;
  /** Sum of spec.replicas over targets now. */
  private totalSpec = 0;
  /** Each target's spec.replicas as last counted in `totalSpec`. */
  private readonly counted: Int32Array;
  /** Target keys, same index as `targets`. */
  readonly keys: TargetKey[] = [];
  readonly events = new EventQueue();
  readonly source: TargetSource;
  /** Writes the targets' scale subresource (core's reserve swap wraps it). */
  readonly actuator: Actuator;
  /** The reserve Deployments, for core's reserve swap. */
  readonly reserveApi: ModelledReserveApi;
  /** Set by the driver: runs a tick for the target at once (the gateway's poke). */
  poke: (key: TargetKey) => void = () => undefined;
  private readonly o: ClusterModelOptions;
  private readonly snapshots: ScaleTarget[] = [];
  private readonly byKey = new Map<TargetKey, number>();
  private readonly listeners = new Set<(e: TargetEvent, t: ScaleTarget) => void>();
  /** The configuration's annotations plus a status: every target is one Ebb managed before the run started. */
  private readonly annotations: Readonly<Record<string, string>>;

  constructor(o: ClusterModelOptions) {
    this.o = o;
    const status = { desired: o.initialReplicas, current: o.initialReplicas, recommendations: {}, applied: [] };
    this.annotations = { ...o.annotations, [STATUS_ANNOTATION]: JSON.stringify(status) };
    const buckets = Math.ceil((o.trace.endMs - o.trace.startMs) / o.bucketMs);
    this.counted = new Int32Array(o.trace.functions.length);
    o.trace.functions.forEach((fn, index) => {
      const key = targetKey({ namespace: o.namespace, name: fn.id });
      const pods = new PodSet({ startup: o.startup, rng: o.rng.fork(`pods:${fn.id}`), concurrency: o.config.podConcurrency, billFromMs: o.trace.startMs, billToMs: o.trace.endMs });
      const target = new ModelledTarget({
        index,
        fn,
        config: o.config,
        pods,
        events: this.events,
        series: { startMs: o.trace.startMs, bucketMs: o.bucketMs, buckets },
        spanEndMs: o.trace.endMs,
        warmupEndMs: o.trace.startMs + o.warmupMs,
        changed: () => this.changed(index),
        poke: () => this.poke(key),
      });
      this.targets.push(target);
      this.byKey.set(key, index);
      this.keys.push(key);
      target.init(o.trace.startMs, o.initialReplicas);
      this.snapshots.push(this.snapshotOf(index));
      if (fn.arrivalsMs.length) this.events.push(fn.arrivalsMs[0]!, 'arrival', index, 0);
    });
    this.targets.forEach((t, i) => (this.counted[i] = t.spec));
    this.totalSpec = this.targets.reduce((n, t) => n + t.spec, 0);
    this.maxTotalSpec = this.totalSpec;
    this.maxTotalSpecWarmup = this.totalSpec;
    this.reserveApi = new ModelledReserveApi(this.targets, () => o.clock.now());
    this.source = {
      list: () => [...this.snapshots],
      get: (key) => {
        const i = this.byKey.get(key);
        return i === undefined ? undefined : this.snapshots[i];
      },
      subscribe: (listener) => {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
      },
      start: async () => undefined,
      stop: async () => undefined,
    };
    this.actuator = {
      scale: async (target, replicas) => {
        const i = this.byKey.get(target.key);
        if (i === undefined) throw new Error(`no modelled target ${target.key}`);
        this.targets[i]!.scale(replicas, o.clock.now());
      },
    };
  }

  /** Index of the target with `key` in `targets`, if modelled. */
  indexOf(key: TargetKey): number | undefined {
    return this.byKey.get(key);
  }

  /** The target with `key`, if modelled. */
  target(key: TargetKey): ModelledTarget | undefined {
    const i = this.byKey.get(key);
    return i === undefined ? undefined : this.targets[i];
  }

  /** Applies one event (the clock must already be at its time). */
  handle(e: ModelEvent): void {
    const t = this.targets[e.target]!;
    switch (e.kind) {
      case 'arrival': {
        if (!this.o.accepts || this.o.accepts(e.target, e.ref, e.timeMs)) t.arrive(e.ref, e.timeMs);
        const next = e.ref + 1;
        if (next < t.d.fn.arrivalsMs.length) this.events.push(t.d.fn.arrivalsMs[next]!, 'arrival', e.target, next);
        return;
      }
      case 'complete':
        return t.complete(e.ref, e.pod, e.timeMs);
      case 'ready':
        return t.podReady(e.ref, e.timeMs);
      case 'timeout':
        return t.timeout(e.ref, e.timeMs);
    }
  }

  /** Requests still waiting in a queue, over all targets. */
  queuedTotal(): number {
    return this.targets.reduce((n, t) => n + t.queued, 0);
  }

  /** Ends the run at the end of the span. */
  finish(): void {
    for (const t of this.targets) t.finish(this.o.trace.endMs);
  }

  private changed(index: number): void {
    const spec = this.targets[index]!.spec;
    this.totalSpec += spec - this.counted[index]!;
    this.counted[index] = spec;
    const total = this.totalSpec;
    if (total > this.maxTotalSpec) this.maxTotalSpec = total;
    if (this.o.clock.now() < this.o.trace.startMs + this.o.warmupMs) this.maxTotalSpecWarmup = Math.max(this.maxTotalSpecWarmup, total);
    else this.maxTotalSpecAfterWarmup = Math.max(this.maxTotalSpecAfterWarmup, total);
    const snapshot = this.snapshotOf(index);
    this.snapshots[index] = snapshot;
    for (const l of this.listeners) l('upsert', snapshot);
  }

  private snapshotOf(index: number): ScaleTarget {
    const t = this.targets[index]!;
    const name = t.d.fn.id;
    const ref = { namespace: this.o.namespace, name };
    return {
      ref,
      key: targetKey(ref),
      uid: `sim-${index}`,
      resourceVersion: String(t.version),
      labels: { [SELECTION_LABEL]: 'true' },
      annotations: this.annotations,
      selector: { app: name },
      specReplicas: t.spec,
      readyReplicas: t.readyReplicas,
      observed: true,
    };
  }
}
