import { CoordinationV1Api, type KubeConfig, type V1Lease, V1MicroTime } from '@kubernetes/client-node';
import type { Clock, TimerHandle } from '../contracts/clock.ts';
import { silentLogger, type Logger } from '../contracts/observe.ts';
import { errorText, httpStatus } from './actuator.ts';

/** Outcome of one acquire/renew attempt. */
type Attempt = 'held' | 'other' | 'failed';

/** Options of {@link LeaseElector}; durations as in client-go's leader election. */
export interface LeaseElectorOptions {
  readonly namespace: string;
  /** Lease name, e.g. `ebb-scaler` or `ebb-scaler-shard-3`. */
  readonly name: string;
  /** This replica's identity (pod name + random suffix). */
  readonly identity: string;
  readonly clock: Clock;
  /** A non-leader waits this long after the last observed renewal before taking over (default 15 s). */
  readonly leaseDurationMs?: number;
  /** The leader gives up when it could not renew for this long (default 10 s, < leaseDuration). */
  readonly renewDeadlineMs?: number;
  /** Period of acquire/renew attempts (default 2 s). */
  readonly retryPeriodMs?: number;
  readonly logger?: Logger;
  readonly onChange?: (leading: boolean) => void;
  /**
   * Asked before taking a lease this replica does not hold (renewals are never refused): lets a replica cap
   * how many shard leases it holds. Default: always.
   */
  readonly mayAcquire?: () => boolean;
}

/**
 * Leader election on a `coordination.k8s.io/v1` Lease, following client-go: expiry is judged by the local time
 * at which the lease record was last seen to change (never by comparing clocks across machines); writes are
 * optimistic (resourceVersion), so two candidates never both win; on stop the leader releases the lease so a
 * successor takes over at once.
 *
 * A leader leads only until `renewDeadlineMs` after the START of its last successful attempt, checked against the
 * clock on every {@link LeaseElector.isLeader} call, whatever its requests are doing. A successor can take over no
 * sooner than `leaseDurationMs` after it saw that renewal, which was written after the attempt started; so with
 * renewDeadline < leaseDuration the old leader has stopped before the new one starts, even when the apiserver is
 * slow to answer or a renewal hangs (example: lease 15 s, deadline 10 s; a renewal sent at t=0 that hangs keeps
 * this replica leading until t=10 s; a follower that saw the record at t>=0 takes over at t>=15 s). Each attempt
 * is abandoned after the renew deadline, so a hung request never stops the campaign.
 */
export class LeaseElector {
  private readonly api: CoordinationV1Api;
  private readonly o: Required<Omit<LeaseElectorOptions, 'onChange' | 'logger' | 'mayAcquire'>> & Pick<LeaseElectorOptions, 'onChange' | 'mayAcquire'>;
  private readonly logger: Logger;
  private leading = false;
  private observedRecord = '';
  private observedAtMs = 0;
  /** Local time at which the attempt that last took or renewed the lease started. */
  private lastRenewMs = 0;
  private timer: TimerHandle | undefined;
  private deadlineTimer: TimerHandle | undefined;
  private stopped = true;
  private acquiring = false;

  constructor(kc: KubeConfig, options: LeaseElectorOptions) {
    this.api = kc.makeApiClient(CoordinationV1Api);
    this.logger = options.logger ?? silentLogger;
    this.o = { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000, ...options };
  }

  /** True while this replica holds the lease and its last renewal started less than the renew deadline ago. */
  isLeader(): boolean {
    return this.leading && this.withinDeadline(this.o.clock.now());
  }

  /** True while an attempt to take the lease (not a renewal) is in flight: counts against `mayAcquire` caps. */
  isAcquiring(): boolean {
    return this.acquiring;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.loop();
  }

  /** Stops campaigning; a leader releases the lease. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    this.deadlineTimer?.cancel();
    if (this.leading) {
      this.setLeading(false);
      await this.release().catch((e: unknown) => this.logger.warn('could not release lease', { lease: this.o.name, error: errorText(e) }));
    }
  }

  private async loop(): Promise<void> {
    if (this.stopped) return;
    const startedMs = this.o.clock.now();
    let outcome: Attempt = 'failed';
    try {
      outcome = await this.attemptWithinDeadline();
    } catch (e) {
      this.logger.warn('lease attempt failed', { lease: this.o.name, error: errorText(e) });
    }
    const now = this.o.clock.now();
    if (outcome === 'held' && now - startedMs < this.o.renewDeadlineMs) {
      this.lastRenewMs = startedMs;
      this.setLeading(true);
      this.armDeadline();
    } else if (outcome === 'other' || !this.withinDeadline(now)) {
      // Another holder is current, or renewal kept failing past the deadline: step down.
      this.setLeading(false);
    }
    // Cleared only now, in the same turn as setLeading, so a cap check never sees neither flag set.
    this.acquiring = false;
    if (!this.stopped) this.timer = this.o.clock.setTimeout(() => void this.loop(), this.o.retryPeriodMs);
  }

  private withinDeadline(nowMs: number): boolean {
    return nowMs - this.lastRenewMs < this.o.renewDeadlineMs;
  }

  /** Steps down when the renew deadline passes without a renewal (the gauge and onChange follow at once). */
  private armDeadline(): void {
    this.deadlineTimer?.cancel();
    const dueMs = this.lastRenewMs + this.o.renewDeadlineMs - this.o.clock.now();
    this.deadlineTimer = this.o.clock.setTimeout(() => {
      if (this.leading && !this.withinDeadline(this.o.clock.now())) {
        this.logger.warn('lease not renewed within the renew deadline', { lease: this.o.name, renewDeadlineMs: this.o.renewDeadlineMs });
        this.setLeading(false);
      }
    }, Math.max(0, dueMs));
  }

  /** One attempt, abandoned (as failed) when it has not finished within the renew deadline. */
  private async attemptWithinDeadline(): Promise<Attempt> {
    let timeout: TimerHandle | undefined;
    const timedOut = new Promise<Attempt>((resolve) => {
      timeout = this.o.clock.setTimeout(() => {
        this.logger.warn('lease attempt timed out', { lease: this.o.name, afterMs: this.o.renewDeadlineMs });
        resolve('failed');
      }, this.o.renewDeadlineMs);
    });
    try {
      return await Promise.race([this.tryAcquireOrRenew(), timedOut]);
    } finally {
      timeout?.cancel();
    }
  }

  private setLeading(leading: boolean): void {
    if (leading === this.leading) return;
    this.leading = leading;
    this.logger.info(leading ? 'became leader' : 'stopped leading', { lease: this.o.name, identity: this.o.identity });
    this.o.onChange?.(leading);
  }

  private spec(previous: V1Lease | undefined): V1Lease['spec'] {
    const now = new V1MicroTime(this.o.clock.now());
    const same = previous?.spec?.holderIdentity === this.o.identity;
    return {
      holderIdentity: this.o.identity,
      leaseDurationSeconds: Math.ceil(this.o.leaseDurationMs / 1000),
      acquireTime: same && previous?.spec?.acquireTime ? previous.spec.acquireTime : now,
      renewTime: now,
      leaseTransitions: (previous?.spec?.leaseTransitions ?? 0) + (same ? 0 : 1),
    };
  }

  private async tryAcquireOrRenew(): Promise<Attempt> {
    const { namespace, name, identity } = this.o;
    let lease: V1Lease;
    try {
      lease = await this.api.readNamespacedLease({ name, namespace });
    } catch (e) {
      if (httpStatus(e) !== 404) throw e;
      if (this.o.mayAcquire && !this.o.mayAcquire()) return 'failed';
      this.acquiring = true;
      try {
        await this.api.createNamespacedLease({ namespace, body: { metadata: { name, namespace }, spec: { ...this.spec(undefined), leaseTransitions: 0 } } });
        return 'held';
      } catch (ce) {
        if (httpStatus(ce) === 409) return 'failed';
        throw ce;
      }
    }
    const record = JSON.stringify([lease.spec?.holderIdentity, lease.spec?.renewTime, lease.spec?.leaseDurationSeconds]);
    const now = this.o.clock.now();
    if (record !== this.observedRecord) {
      this.observedRecord = record;
      this.observedAtMs = now;
    }
    const holder = lease.spec?.holderIdentity ?? '';
    const durationMs = (lease.spec?.leaseDurationSeconds ?? 0) * 1000;
    if (holder && holder !== identity && this.observedAtMs + durationMs > now) return 'other';
    const taking = holder !== identity;
    if (taking && this.o.mayAcquire && !this.o.mayAcquire()) return 'failed';
    this.acquiring = taking;
    try {
      await this.api.replaceNamespacedLease({ name, namespace, body: { ...lease, spec: this.spec(lease) } });
      return 'held';
    } catch (e) {
      if (httpStatus(e) === 409) return 'failed';
      throw e;
    }
  }

  private async release(): Promise<void> {
    const { namespace, name } = this.o;
    const lease = await this.api.readNamespacedLease({ name, namespace });
    if (lease.spec?.holderIdentity !== this.o.identity) return;
    await this.api.replaceNamespacedLease({
      name,
      namespace,
      body: { ...lease, spec: { ...lease.spec, holderIdentity: '', leaseDurationSeconds: 1, renewTime: new V1MicroTime(this.o.clock.now()) } },
    });
  }
}
