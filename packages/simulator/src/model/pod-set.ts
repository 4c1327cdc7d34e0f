import type { Random } from '../trace/seeded-random.ts';

/** A standard pod of the target, or a cheaper reserve pod (sibling `<name>-reserve` Deployment). */
export type PodKind = 'standard' | 'reserve';

/** One modelled pod. */
export interface ModelledPod {
  readonly id: number;
  readonly kind: PodKind;
  /** When it was created (billing starts), ms. */
  readonly createdMs: number;
  /** When it turns (or turned) Ready, ms. */
  readonly readyAtMs: number;
  ready: boolean;
  /** Deleted: receives no new request; billed until its in-flight requests finish. */
  terminating: boolean;
  inFlight: number;
  /** Last time a request was dispatched to it (least-recently-used tie-break), ms. */
  lastUsedMs: number;
}

/** Pod start-up time: `meanMs ± jitterMs`, uniform, drawn from a seeded stream; at least 0. */
export interface StartupModel {
  readonly meanMs: number;
  readonly jitterMs: number;
}

/** Billing of ended pods, in pod-ms within the billed span. */
export interface PodBilling {
  standardMs: number;
  reserveMs: number;
}

/**
 * The pods of one target: creation with a seeded start-up time, dispatch choice, deletion in the ReplicaSet
 * controller's order, and billing of pod time clipped to `[billFromMs, billToMs)`.
 */
export class PodSet {
  readonly pods: ModelledPod[] = [];
  readonly billing: PodBilling = { standardMs: 0, reserveMs: 0 };
  private nextId = 0;
  private readonly startup: StartupModel;
  private readonly rng: Random;
  private readonly billFromMs: number;
  private readonly billToMs: number;
  /** Per-pod concurrency; 0 = unlimited. */
  readonly concurrency: number;

  constructor(o: { startup: StartupModel; rng: Random; concurrency: number; billFromMs: number; billToMs: number }) {
    this.startup = o.startup;
    this.rng = o.rng;
    this.concurrency = o.concurrency;
    this.billFromMs = o.billFromMs;
    this.billToMs = o.billToMs;
  }

  /** Creates a pod at `nowMs`; `startupMs` overrides the drawn start-up time (0 for pods Ready at once). */
  create(kind: PodKind, nowMs: number, startupMs?: number): ModelledPod {
    const s = startupMs ?? Math.max(0, this.startup.meanMs + (this.startup.jitterMs > 0 ? this.rng.uniform(-1, 1) * this.startup.jitterMs : 0));
    const pod: ModelledPod = { id: this.nextId++, kind, createdMs: nowMs, readyAtMs: nowMs + s, ready: s === 0, terminating: false, inFlight: 0, lastUsedMs: -Infinity };
    this.pods.push(pod);
    return pod;
  }

  get(id: number): ModelledPod | undefined {
    return this.pods.find((p) => p.id === id);
  }

  /** Live (not terminating) pods of `kind`. */
  live(kind: PodKind): number {
    let n = 0;
    for (const p of this.pods) if (p.kind === kind && !p.terminating) n++;
    return n;
  }

  /** Ready live pods of `kind`. */
  readyCount(kind: PodKind): number {
    let n = 0;
    for (const p of this.pods) if (p.kind === kind && p.ready && !p.terminating) n++;
    return n;
  }

  /**
   * The pod a request goes to now: a Ready live pod with a free slot, standard pods before reserve pods, then the
   * fewest in flight, then least recently used, then oldest; undefined when every slot is taken.
   */
  pick(): ModelledPod | undefined {
    let best: ModelledPod | undefined;
    for (const p of this.pods) {
      if (!p.ready || p.terminating || (this.concurrency > 0 && p.inFlight >= this.concurrency)) continue;
      if (!best || better(p, best)) best = p;
    }
    return best;
  }

  /**
   * Deletes `count` live pods of `kind` as the ReplicaSet controller would: not-Ready pods first (newest first),
   * then Ready pods that turned Ready most recently. Pods without requests end at once; others drain.
   */
  remove(kind: PodKind, count: number, nowMs: number): void {
    const victims = this.pods
      .filter((p) => p.kind === kind && !p.terminating)
      .sort((a, b) => Number(a.ready) - Number(b.ready) || (a.ready ? b.readyAtMs - a.readyAtMs : b.createdMs - a.createdMs) || b.id - a.id)
      .slice(0, count);
    for (const p of victims) {
      p.terminating = true;
      if (p.inFlight === 0) this.end(p, nowMs);
    }
  }

  /** A terminating pod whose last request finished ends now. */
  drained(pod: ModelledPod, nowMs: number): void {
    if (pod.terminating && pod.inFlight === 0) this.end(pod, nowMs);
  }

  /** Bills every pod still running up to the end of the billed span (call once, at the end). */
  billRemaining(): void {
    for (const p of this.pods) this.bill(p, this.billToMs);
  }

  private end(pod: ModelledPod, nowMs: number): void {
    const i = this.pods.indexOf(pod);
    if (i >= 0) this.pods.splice(i, 1);
    this.bill(pod, nowMs);
  }

  private bill(pod: ModelledPod, endMs: number): void {
    const ms = Math.max(0, Math.min(endMs, this.billToMs) - Math.max(pod.createdMs, this.billFromMs));
    if (pod.kind === 'standard') this.billing.standardMs += ms;
    else this.billing.reserveMs += ms;
  }
}

function better(a: ModelledPod, b: ModelledPod): boolean {
  if (a.kind !== b.kind) return a.kind === 'standard';
  if (a.inFlight !== b.inFlight) return a.inFlight < b.inFlight;
  if (a.lastUsedMs !== b.lastUsedMs) return a.lastUsedMs < b.lastUsedMs;
  return a.id < b.id;
}
