import type { Clock, TimerHandle } from '@ebb/core';
import { DemandIntegral, type DemandTotals } from './demand-integral.ts';
import type { GatewayEndpoint } from './target-route.ts';
import { WaitQueue } from './wait-queue.ts';

/** The per-target bounds a {@link TargetDispatcher} enforces. */
export interface DispatchLimits {
  /** Most leases per endpoint at a time; 0 = unlimited. */
  readonly containerConcurrency: number;
  /** Most waiters in the queue (retries placed at the front do not count against it). */
  readonly queueLength: number;
  /** Longest wait for a lease, ms. */
  readonly queueTimeoutMs: number;
}

/** A slot on one endpoint, held while a request is forwarded there. */
export interface Lease {
  readonly endpoint: GatewayEndpoint;
  /** Time (ms) between the call to acquire and the lease. */
  readonly waitedMs: number;
  /** The request arrived while the target had no ready endpoint (it was held for a cold start). */
  readonly coldStart: boolean;
  /** Frees the slot; calling it again does nothing. */
  release(): void;
}

/** What {@link TargetDispatcher.acquire} resolves to. Refusals are results, not exceptions. */
export type AcquireResult =
  | { readonly kind: 'lease'; readonly lease: Lease }
  /** No free slot and the queue already holds `queueLength` waiters. */
  | { readonly kind: 'queue-full'; readonly queued: number }
  /** No slot became free within `queueTimeoutMs`. */
  | { readonly kind: 'timeout'; readonly waitedMs: number; readonly coldStart: boolean }
  /** The caller's signal aborted (the client went away). */
  | { readonly kind: 'aborted' }
  /** The dispatcher was closed (target no longer routed, or the gateway stopped). */
  | { readonly kind: 'closed'; readonly reason: string };

/** Options of one {@link TargetDispatcher.acquire} call. */
export interface AcquireOptions {
  /** Aborting it removes the waiter at once. */
  readonly signal?: AbortSignal;
  /** Endpoint ids to avoid if another endpoint has a free slot (a retry after a connection failure). */
  readonly avoid?: ReadonlySet<string>;
  /** Wait at the front of the queue, past the length bound (a retry keeps its turn). */
  readonly front?: boolean;
}

/** Options of a {@link TargetDispatcher} whose per-endpoint slots are shared with other gateway replicas. */
export interface DispatcherOptions {
  /**
   * Slots are granted by a coordinator ({@link TargetDispatcher.setAllowance}): an endpoint starts with none
   * instead of `containerConcurrency`. Unlimited targets (containerConcurrency 0) are never restricted.
   */
  readonly coordinated?: boolean;
  /**
   * Called (synchronously; keep it cheap) when a request starts waiting, when a lease is released on an endpoint
   * that may not use the slot again (over its allowance, or gone), and when the endpoints change.
   */
  readonly onChange?: () => void;
}

interface Slot {
  readonly endpoint: GatewayEndpoint;
  inFlight: number;
  /** Slots this replica may use on the endpoint: containerConcurrency, or less when coordinated. */
  limit: number;
  /** Slots the coordinator granted; undefined = containerConcurrency. */
  allowance: number | undefined;
  /** Sequence number of the last lease, to break ties towards the least recently used endpoint. */
  lastUsed: number;
  live: boolean;
}

interface Waiter {
  readonly startMs: number;
  readonly coldStart: boolean;
  readonly avoid: ReadonlySet<string> | undefined;
  readonly resolve: (r: AcquireResult) => void;
  readonly cleanup: () => void;
  timer?: TimerHandle;
}

/**
 * Per-target slots and FIFO queue. Each ready endpoint has `containerConcurrency` slots (unlimited when 0); a
 * request takes a slot on the least-loaded endpoint (ties: least recently used), or waits in arrival order until
 * one frees, an endpoint appears, its wait times out or its client goes away. With no ready endpoint every
 * request waits (hold at zero) and is marked as a cold start. No I/O: time comes from the injected clock.
 */
export class TargetDispatcher {
  private limits: DispatchLimits;
  private readonly clock: Clock;
  private readonly slots = new Map<string, Slot>();
  private readonly queue = new WaitQueue<Waiter>();
  private leases = 0;
  /** Endpoints that went away with leases still held (until released). */
  private readonly gone = new Set<Slot>();
  private sequence = 0;
  private closedReason: string | undefined;
  private readonly demand: DemandIntegral;
  private readonly coordinated: boolean;
  private readonly onChange: (() => void) | undefined;

  constructor(limits: DispatchLimits, clock: Clock, options: DispatcherOptions = {}) {
    this.limits = limits;
    this.clock = clock;
    this.demand = new DemandIntegral(clock.now());
    this.coordinated = options.coordinated ?? false;
    this.onChange = options.onChange;
  }

  /** Ready endpoints now. */
  get readyEndpoints(): number {
    return this.slots.size;
  }

  /** Leases held now (requests being forwarded), including on endpoints that went away meanwhile. */
  get inFlight(): number {
    return this.leases;
  }

  /** True once {@link close} was called. */
  get isClosed(): boolean {
    return this.closedReason !== undefined;
  }

  /** Waiters now. */
  get queued(): number {
    return this.queue.length;
  }

  get containerConcurrency(): number {
    return this.limits.containerConcurrency;
  }

  /** Integrals of in-flight + queued and of in-flight since the dispatcher was made, up to `nowMs` (request-ms). */
  demandTotals(nowMs: number = this.clock.now()): DemandTotals {
    return this.demand.totalsAt(nowMs);
  }

  /** In-flight leases per endpoint id, for tests and diagnostics. */
  load(): ReadonlyMap<string, number> {
    return new Map([...this.slots.values()].map((s) => [s.endpoint.id, s.inFlight]));
  }

  /**
   * In-flight leases per endpoint id including endpoints that went away but still have leases (`live` false),
   * and the allowance of live ones: what a coordinator must keep claimed.
   */
  usage(): Array<{ readonly id: string; readonly inFlight: number; readonly allowance: number; readonly live: boolean }> {
    const out = [...this.slots.values()].map((s) => ({ id: s.endpoint.id, inFlight: s.inFlight, allowance: s.allowance ?? this.limits.containerConcurrency, live: true }));
    for (const s of this.gone) if (s.inFlight > 0) out.push({ id: s.endpoint.id, inFlight: s.inFlight, allowance: 0, live: false });
    return out;
  }

  /**
   * Sets how many of an endpoint's `containerConcurrency` slots this replica may use (coordinated dispatch);
   * leases above a lowered allowance stay valid until released. Unknown endpoints are ignored.
   */
  setAllowance(endpointId: string, slots: number): void {
    for (const slot of this.slots.values()) {
      if (slot.endpoint.id !== endpointId) continue;
      slot.allowance = Math.max(0, slots);
      slot.limit = this.limitOf(slot.allowance);
    }
    this.pump();
  }

  /** Changes the bounds; waiters keep their places, and new free slots are handed out at once. */
  setLimits(limits: DispatchLimits): void {
    this.limits = limits;
    for (const slot of this.slots.values()) slot.limit = this.limitOf(slot.allowance);
    this.pump();
  }

  /**
   * Replaces the ready endpoints. An endpoint that stays keeps its load; one that goes away keeps its leases
   * until they are released, but gets no new ones. Waiters are served at once when slots appear.
   */
  setEndpoints(endpoints: readonly GatewayEndpoint[]): void {
    const next = new Map<string, Slot>();
    const start = this.coordinated ? 0 : undefined;
    for (const endpoint of endpoints) {
      const id = slotId(endpoint);
      const existing = this.slots.get(id) ?? this.revive(id);
      next.set(id, existing ?? { endpoint, inFlight: 0, limit: this.limitOf(start), allowance: start, lastUsed: -1, live: true });
    }
    for (const [id, slot] of this.slots) {
      if (next.has(id)) continue;
      slot.live = false;
      if (this.coordinated) slot.limit = this.limitOf((slot.allowance = 0));
      if (slot.inFlight > 0) this.gone.add(slot);
    }
    this.slots.clear();
    for (const [id, slot] of next) this.slots.set(id, slot);
    this.pump();
    this.onChange?.();
  }

  /**
   * Takes a free slot now, without waiting and without allocating a promise: the fast path of a request that
   * finds a slot. Undefined when it would have to wait (or was refused): then call {@link acquire}, which decides.
   * Only `avoid` and `front` of the options apply.
   */
  tryAcquire(options: AcquireOptions = {}): Lease | undefined {
    if (this.closedReason !== undefined || (this.queue.length > 0 && !options.front)) return undefined;
    const slot = this.pick(options.avoid);
    return slot ? this.grant(slot, this.clock.now(), false) : undefined;
  }

  /** Takes a slot now, or waits for one in arrival order (see {@link AcquireResult}). */
  acquire(options: AcquireOptions = {}): Promise<AcquireResult> {
    if (this.closedReason !== undefined) return Promise.resolve({ kind: 'closed', reason: this.closedReason });
    if (options.signal?.aborted) return Promise.resolve({ kind: 'aborted' });
    const startMs = this.clock.now();
    const coldStart = this.slots.size === 0;
    if (this.queue.length === 0 || options.front) {
      const slot = this.pick(options.avoid);
      if (slot) return Promise.resolve({ kind: 'lease', lease: this.grant(slot, startMs, coldStart) });
    }
    if (!options.front && this.queue.length >= this.limits.queueLength) {
      return Promise.resolve({ kind: 'queue-full', queued: this.queue.length });
    }
    return new Promise<AcquireResult>((resolve) => {
      const signal = options.signal;
      const waiter: Waiter = {
        startMs,
        coldStart,
        avoid: options.avoid,
        resolve,
        cleanup: () => {
          waiter.timer?.cancel();
          signal?.removeEventListener('abort', onAbort);
        },
      };
      const node = options.front ? this.queue.unshift(waiter) : this.queue.push(waiter);
      this.counted();
      this.onChange?.();
      const finish = (result: AcquireResult): void => {
        if (!node.linked) return;
        this.queue.remove(node);
        this.counted();
        waiter.cleanup();
        resolve(result);
      };
      const onAbort = (): void => finish({ kind: 'aborted' });
      waiter.timer = this.clock.setTimeout(
        () => finish({ kind: 'timeout', waitedMs: this.clock.now() - startMs, coldStart }),
        this.limits.queueTimeoutMs,
      );
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Refuses every waiter and every later acquire with `reason`; leases already held stay valid. */
  close(reason: string): void {
    this.closedReason ??= reason;
    for (let w = this.queue.shift(); w; w = this.queue.shift()) {
      w.cleanup();
      w.resolve({ kind: 'closed', reason });
    }
    this.counted();
  }

  /** Hands free slots to waiters, front first. */
  private pump(): void {
    while (this.queue.length > 0) {
      const head = this.queue.peek();
      const slot = head && this.pick(head.avoid);
      if (!head || !slot) return;
      this.queue.shift();
      head.cleanup();
      head.resolve({ kind: 'lease', lease: this.grant(slot, head.startMs, head.coldStart) });
    }
  }

  /** The least-loaded endpoint with a free slot (ties: least recently used), preferring ones not in `avoid`. */
  private pick(avoid: ReadonlySet<string> | undefined): Slot | undefined {
    const cc = this.limits.containerConcurrency;
    let best: Slot | undefined;
    let bestAvoided = true;
    for (const slot of this.slots.values()) {
      if (cc > 0 && slot.inFlight >= slot.limit) continue;
      const avoided = avoid?.has(slot.endpoint.id) ?? false;
      const better =
        !best ||
        (bestAvoided && !avoided) ||
        (bestAvoided === avoided && (slot.inFlight < best.inFlight || (slot.inFlight === best.inFlight && slot.lastUsed < best.lastUsed)));
      if (better) {
        best = slot;
        bestAvoided = avoided;
      }
    }
    return best;
  }

  private grant(slot: Slot, startMs: number, coldStart: boolean): Lease {
    slot.inFlight++;
    slot.lastUsed = this.sequence++;
    this.leases++;
    this.counted();
    let released = false;
    return {
      endpoint: slot.endpoint,
      waitedMs: Math.max(0, this.clock.now() - startMs),
      coldStart,
      release: () => {
        if (released) return;
        released = true;
        slot.inFlight--;
        this.leases--;
        this.counted();
        if (slot.live) {
          if (slot.inFlight < slot.limit || this.limits.containerConcurrency === 0) this.pump();
          else this.onChange?.();
        } else {
          if (slot.inFlight === 0) this.gone.delete(slot);
          this.onChange?.();
        }
      },
    };
  }

  /** An endpoint that went away with leases held and is back: it keeps counting them (and its allowance). */
  private revive(id: string): Slot | undefined {
    for (const slot of this.gone) {
      if (slotId(slot.endpoint) !== id) continue;
      this.gone.delete(slot);
      slot.live = true;
      return slot;
    }
    return undefined;
  }

  /** The per-replica limit of an endpoint with `allowance` (undefined: containerConcurrency). */
  private limitOf(allowance: number | undefined): number {
    const cc = this.limits.containerConcurrency;
    return allowance === undefined || cc === 0 ? cc : Math.min(cc, allowance);
  }

  /** In-flight or queued changed: the demand integral takes the new counts (a waiter `pump` shifts, at its grant). */
  private counted(): void {
    this.demand.set(this.clock.now(), this.leases, this.queue.length);
  }
}

function slotId(e: GatewayEndpoint): string {
  return `${e.id}@${e.address}:${e.port}`;
}
