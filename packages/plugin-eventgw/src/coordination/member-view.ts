import type { TargetKey } from '@ebb/core';
import { decodeRecord, type MemberRecord } from './member-record.ts';
import type { MemberLease } from './lease-membership.ts';

interface Observed {
  readonly lease: MemberLease;
  /** Local time at which this version of the Lease was first seen. */
  readonly seenMs: number;
  /** Undefined: the annotation could not be read (the member is assumed to claim everything). */
  readonly record: MemberRecord | undefined;
}

/**
 * The other gateway replicas as this one last saw them. A member is live until `leaseDurationMs` after the
 * local time at which its Lease was last seen to change (client-go's rule: never comparing clocks across
 * machines). A live member whose record cannot be read is taken to claim every slot, so nothing is handed out
 * on a guess.
 */
export class MemberView {
  private readonly members = new Map<string, Observed>();
  private readonly self: string;
  private readonly leaseDurationMs: number;
  private readonly warn: (message: string, fields: Record<string, unknown>) => void;

  constructor(self: string, leaseDurationMs: number, warn: (message: string, fields: Record<string, unknown>) => void) {
    this.self = self;
    this.leaseDurationMs = leaseDurationMs;
    this.warn = warn;
  }

  /** Takes a Lease seen by the watch or a list at local time `nowMs`; returns true when it changed the view. */
  observe(lease: MemberLease, nowMs: number): boolean {
    if (lease.id === this.self) return false;
    const before = this.members.get(lease.id);
    if (before && before.lease.resourceVersion === lease.resourceVersion) return false;
    const decoded = decodeRecord(lease.slots);
    if (!decoded.ok) this.warn('unreadable slot claims of another gateway replica; treating them as claiming every slot', { member: lease.id, error: decoded.error });
    this.members.set(lease.id, { lease, seenMs: nowMs, record: decoded.ok ? decoded.record : undefined });
    return true;
  }

  /** A member's Lease was deleted (it left and released everything). */
  forget(id: string): void {
    this.members.delete(id);
  }

  /** After a complete list: members absent from it are gone. */
  replaceAll(leases: readonly MemberLease[], nowMs: number): void {
    const ids = new Set(leases.map((l) => l.id));
    for (const id of [...this.members.keys()]) if (!ids.has(id)) this.members.delete(id);
    for (const l of leases) this.observe(l, nowMs);
  }

  /** Live members other than this one, with their records (undefined = unreadable). */
  live(nowMs: number): Array<{ readonly id: string; readonly record: MemberRecord | undefined }> {
    const out: Array<{ id: string; record: MemberRecord | undefined }> = [];
    for (const [id, m] of this.members) if (nowMs - m.seenMs < this.leaseDurationMs) out.push({ id, record: m.record });
    return out;
  }

  /** Leases of members expired for longer than `afterMs`: safe to delete. */
  stale(nowMs: number, afterMs: number): MemberLease[] {
    return [...this.members.values()].filter((m) => nowMs - m.seenMs >= this.leaseDurationMs + afterMs).map((m) => m.lease);
  }

  /** Slots the live other members claim on the pods of `key`, per pod; `cc` per pod for an unreadable record. */
  othersHeld(key: TargetKey, pods: readonly string[], cc: number, nowMs: number): Map<string, number> {
    const held = new Map<string, number>();
    for (const m of this.live(nowMs)) {
      if (!m.record) {
        for (const p of pods) held.set(p, cc);
        continue;
      }
      for (const [pod, n] of m.record.get(key)?.held ?? []) held.set(pod, (held.get(pod) ?? 0) + n);
    }
    return held;
  }
}
