import type { KubeConfig } from '@kubernetes/client-node';
import { errorText, type Clock, type Logger, type TargetKey, type TimerHandle } from '@ebb/core';
import { TargetDispatcher } from '../gateway/dispatcher.ts';
import type { TargetRoute } from '../gateway/target-route.ts';
import { LeaseMembership } from './lease-membership.ts';
import { encodeRecord, type TargetClaims } from './member-record.ts';
import { MemberView } from './member-view.ts';
import { heldSlots, planSlots, type PodUse } from './slot-plan.ts';
import { slotShares, type MemberDemand } from './slot-shares.ts';
import { withTimeout } from './with-timeout.ts';

/** How gateway replicas share the slots of their pods (option `coordination` of `startGateway`). */
export interface SlotCoordinationOptions {
  /** Namespace of the replicas' Leases (in a cluster: the gateway's own namespace). */
  readonly namespace: string;
  /** Replicas with the same group share slots; one group per set of replicas routing the same targets (default `ebb-gateway`). */
  readonly group?: string;
  /** Default: the gateway's `kubeConfig`. */
  readonly kubeConfig?: KubeConfig;
  /** Others take over this replica's slots this long after its last renewal, ms (default 5000, >= 2000). */
  readonly leaseDurationMs?: number;
  /** Renewal period, ms (default 1000; < leaseDurationMs / 2). */
  readonly renewIntervalMs?: number;
}

const MIN_GAP_MS = 50;
const WANT_WRITE_GAP_MS = 200;
const WRITE_TIMEOUT_MS = 2000;
const STALE_LEASE_MS = 60_000;

interface Entry {
  readonly key: TargetKey;
  readonly dispatcher: TargetDispatcher;
}

/**
 * Keeps the requests in flight on a pod within its containerConcurrency however many gateway replicas run: each
 * replica holds a number of each pod's slots and publishes them (with its demand) in its membership Lease; see
 * "Several gateway replicas" in the package README for the protocol and its failure cases. Dispatch itself stays
 * local and synchronous: this class only moves each dispatcher's per-pod allowances.
 */
export class SlotCoordinator {
  private readonly membership: LeaseMembership;
  private readonly view: MemberView;
  private readonly entries = new Set<Entry>();
  private readonly leaseDurationMs: number;
  private readonly renewIntervalMs: number;
  private lastRenewOkMs = -Infinity;
  private lastWriteAttemptMs = -Infinity;
  private lastCleanupMs = 0;
  private lastListMs = -Infinity;
  /** This replica wanted more slots than it held at the last round. */
  private wanting = false;
  private written = { holds: '', wants: '' };
  private timer: TimerHandle | undefined;
  private dueMs = Infinity;
  private fenceTimer: TimerHandle | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private lastRunMs = -Infinity;
  private readonly id: string;
  private readonly clock: Clock;
  private readonly logger: Logger;

  /** @param id this replica's member id (the gateway id: unique among running replicas) */
  constructor(kc: KubeConfig, options: SlotCoordinationOptions, id: string, clock: Clock, logger: Logger) {
    this.id = id;
    this.clock = clock;
    this.logger = logger;
    this.leaseDurationMs = Math.max(2000, options.leaseDurationMs ?? 5000);
    this.renewIntervalMs = Math.min(options.renewIntervalMs ?? 1000, this.leaseDurationMs / 2);
    this.view = new MemberView(id, this.leaseDurationMs, (m, f) => logger.warn(m, f));
    this.membership = new LeaseMembership(
      kc,
      { namespace: options.namespace, group: options.group ?? 'ebb-gateway', id, leaseDurationMs: this.leaseDurationMs, clock, logger },
      (lease, deleted) => {
        if (deleted) this.view.forget(lease.id);
        else if (!this.view.observe(lease, this.clock.now())) return;
        this.poke();
      },
    );
  }

  /** A dispatcher whose slots this coordinator grants (for `GatewayTargets`). */
  createDispatcher(route: TargetRoute): TargetDispatcher {
    const dispatcher = new TargetDispatcher(route, this.clock, { coordinated: true, onChange: () => this.poke() });
    this.entries.add({ key: route.key, dispatcher });
    this.poke();
    return dispatcher;
  }

  /** Ids of the live replicas of the group as this one sees them, itself included. */
  liveMembers(): string[] {
    return [this.id, ...this.view.live(this.clock.now()).map((m) => m.id)];
  }

  /** Joins the group: watches the other replicas and writes this one's Lease and first claims. */
  async start(): Promise<void> {
    await this.membership.start();
    await this.run(); // renews (nothing is claimed before the first renewal)
    await this.run(); // claims
  }

  /** Leaves: stops renewing and deletes this replica's Lease, releasing its slots at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    this.fenceTimer?.cancel();
    await this.running;
    await this.membership.stop();
    await this.withTimeout(this.membership.remove(this.membership.ownName)).catch((e: unknown) => this.logger.warn('could not delete the gateway Lease', { error: errorText(e) }));
  }

  /** Asks for a round soon (coalesced; at most one round per 50 ms). */
  private poke(delayMs = 0): void {
    if (this.stopped) return;
    const due = Math.max(this.clock.now() + delayMs, this.lastRunMs + MIN_GAP_MS);
    if (due >= this.dueMs) return;
    this.timer?.cancel();
    this.dueMs = due;
    this.timer = this.clock.setTimeout(() => {
      this.dueMs = Infinity;
      void this.run();
    }, due - this.clock.now());
  }

  private async run(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.round()
      .catch((e: unknown) => this.logger.warn('slot coordination round failed', { error: errorText(e) }))
      .finally(() => {
        this.running = undefined;
        this.lastRunMs = this.clock.now();
        if (this.again) {
          this.again = false;
          this.poke();
        } else this.poke(this.renewIntervalMs);
      });
    return this.running;
  }

  private fenced(nowMs: number): boolean {
    return nowMs - this.lastRenewOkMs >= this.leaseDurationMs - this.renewIntervalMs;
  }

  /** Stops every new grant: this replica's Lease may have expired for the others. */
  private fence(): void {
    for (const e of this.entries) for (const u of e.dispatcher.usage()) if (u.live) e.dispatcher.setAllowance(u.id, 0);
  }

  /** The use of each pod of `key` over its dispatchers (one routed now, others retired with requests in flight). */
  private uses(key: TargetKey): PodUse[] {
    const byId = new Map<string, { allowance: number; inFlight: number; live: boolean }>();
    for (const e of this.entries) {
      if (e.key !== key) continue;
      for (const u of e.dispatcher.usage()) {
        const b = byId.get(u.id) ?? { allowance: 0, inFlight: 0, live: false };
        b.inFlight += u.inFlight;
        if (u.live && !e.dispatcher.isClosed) {
          b.live = true;
          b.allowance = u.allowance;
        }
        byId.set(u.id, b);
      }
    }
    return [...byId].map(([id, b]) => ({ id, ...b }));
  }

  private async round(): Promise<void> {
    let startMs = this.clock.now();
    const fenced = this.fenced(startMs);
    if (fenced) this.fence();
    // Short of slots: read the others' claims at least once a second, not only from the watch (which may be
    // down and reconnecting with backoff), so a slot released elsewhere is seen.
    if (this.wanting && !fenced && startMs - this.lastListMs >= this.renewIntervalMs) {
      await this.refresh().catch((e: unknown) => this.logger.warn('could not list the gateway Leases', { error: errorText(e) }));
      startMs = this.clock.now();
    }
    let wanting = false;
    for (const e of [...this.entries]) if (e.dispatcher.isClosed && e.dispatcher.inFlight === 0) this.entries.delete(e);
    const record = new Map<TargetKey, TargetClaims>();
    const wants: Record<string, number> = {};
    const claims: Array<{ entry: Entry; pod: string; slots: number; cc: number }> = [];
    let short = false;
    for (const key of new Set([...this.entries].map((e) => e.key))) {
      const entry = [...this.entries].find((e) => e.key === key && !e.dispatcher.isClosed);
      const cc = entry?.dispatcher.containerConcurrency ?? 0;
      const uses = this.uses(key);
      const pods = uses.filter((u) => u.live).map((u) => u.id);
      const capacity = pods.length * cc;
      const want = entry ? Math.min(entry.dispatcher.inFlight + entry.dispatcher.queued, capacity) : 0;
      const held = new Map(uses.map((u) => [u.id, heldSlots(u)]));
      if (entry && cc > 0 && !fenced) {
        const others = this.view.live(startMs);
        const members: MemberDemand[] = [{ id: this.id, want, held: [...held.values()].reduce((a, b) => a + b, 0) }];
        for (const o of others) {
          const c = o.record?.get(key);
          members.push({ id: o.id, want: o.record ? (c?.want ?? 0) : capacity, held: [...(c?.held.values() ?? [])].reduce((a, b) => a + b, 0) });
        }
        short ||= members.some((m) => m.want > m.held);
        wanting ||= members[0] !== undefined && members[0].want > members[0].held;
        const share = slotShares(capacity, members, Math.floor(startMs / 1000)).get(this.id) ?? 0;
        const plan = planSlots(this.id, cc, share, uses, this.view.othersHeld(key, pods, cc, startMs));
        for (const [pod, n] of plan.allow) entry.dispatcher.setAllowance(pod, n);
        for (const u of this.uses(key)) held.set(u.id, heldSlots(u));
        for (const [pod, slots] of plan.claims) {
          held.set(pod, Math.max(held.get(pod) ?? 0, slots));
          claims.push({ entry, pod, slots, cc });
        }
      }
      wants[key] = want;
      if (cc > 0 || [...held.values()].some((n) => n > 0)) record.set(key, { want, held });
    }
    this.wanting = wanting;
    const holds = encodeRecord(new Map([...record].map(([k, c]) => [k, { want: 0, held: c.held }])));
    const wantsText = JSON.stringify(wants);
    const renewDue = startMs - this.lastRenewOkMs >= this.renewIntervalMs;
    const wantsChanged = wantsText !== this.written.wants && short;
    const wantsDue = wantsChanged && startMs - this.lastWriteAttemptMs >= WANT_WRITE_GAP_MS;
    if (!(renewDue || wantsDue || holds !== this.written.holds || claims.length > 0)) {
      if (wantsChanged) this.poke(this.lastWriteAttemptMs + WANT_WRITE_GAP_MS - startMs);
      return;
    }
    this.lastWriteAttemptMs = startMs;
    try {
      await this.withTimeout(this.membership.write(record));
    } catch (e) {
      this.logger.warn('could not renew the gateway Lease', { error: errorText(e) });
      if (claims.length > 0) this.poke(200);
      return;
    }
    this.written = { holds, wants: wantsText };
    if (startMs > this.lastRenewOkMs) this.lastRenewOkMs = startMs;
    this.armFence();
    if (fenced) this.poke();
    if (claims.length > 0) await this.check(claims);
    if (startMs - this.lastCleanupMs > 10_000) await this.cleanup(startMs);
  }

  /** Replaces the view of the other replicas by a consistent list. */
  private async refresh(): Promise<number> {
    const leases = await this.withTimeout(this.membership.list());
    const nowMs = this.clock.now();
    this.lastListMs = nowMs;
    this.view.replaceAll(leases, nowMs);
    return nowMs;
  }

  /** Reads every claim back (consistent list) and uses a claimed slot only if no live member claims it too. */
  private async check(claims: ReadonlyArray<{ entry: Entry; pod: string; slots: number; cc: number }>): Promise<void> {
    const nowMs = await this.refresh();
    if (this.fenced(nowMs)) return;
    let conflicts = 0;
    for (const c of claims) {
      if (c.entry.dispatcher.isClosed) continue;
      const others = this.view.othersHeld(c.entry.key, [c.pod], c.cc, nowMs).get(c.pod) ?? 0;
      if (others + c.slots <= c.cc) c.entry.dispatcher.setAllowance(c.pod, c.slots);
      else conflicts++;
    }
    // Withdraw the claims that collided (next round) after a random pause, so two replicas do not collide again.
    if (conflicts > 0) this.poke(50 + Math.floor(Math.random() * 250));
  }

  private armFence(): void {
    this.fenceTimer?.cancel();
    const dueMs = this.lastRenewOkMs + this.leaseDurationMs - this.renewIntervalMs - this.clock.now();
    this.fenceTimer = this.clock.setTimeout(() => {
      if (!this.fenced(this.clock.now())) return;
      this.logger.warn('gateway Lease not renewed in time: no new requests on shared slots until it is', { leaseDurationMs: this.leaseDurationMs });
      this.fence();
    }, Math.max(0, dueMs));
  }

  private async cleanup(nowMs: number): Promise<void> {
    this.lastCleanupMs = nowMs;
    for (const l of this.view.stale(nowMs, STALE_LEASE_MS)) {
      await this.withTimeout(this.membership.remove(l.name, l.resourceVersion)).catch(() => undefined);
      this.view.forget(l.id);
    }
  }

  private withTimeout<T>(p: Promise<T>): Promise<T> {
    return withTimeout(p, WRITE_TIMEOUT_MS, this.clock, 'gateway Leases');
  }
}
