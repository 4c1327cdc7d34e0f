/** This replica's use of one pod of a target. */
export interface PodUse {
  /** Pod (endpoint) id. */
  readonly id: string;
  /** Slots this replica may use on the pod now. */
  readonly allowance: number;
  /** Requests this replica has in flight on it. */
  readonly inFlight: number;
  /** False: the pod is no longer Ready (only its in-flight requests still count). */
  readonly live: boolean;
}

/** What {@link planSlots} decides for one target. */
export interface SlotPlan {
  /** Allowances to set at once: lowerings, and raises that stay within what is already claimed. */
  readonly allow: ReadonlyMap<string, number>;
  /** Raises that need a claim first: publish, check, and only then set the allowance. */
  readonly claims: ReadonlyMap<string, number>;
}

/** The slots this replica must keep claimed on a pod: whatever it may use, or uses (never less). */
export function heldSlots(use: PodUse): number {
  return Math.max(use.live ? use.allowance : 0, use.inFlight);
}

/**
 * Moves this replica's allowances towards its `share` of a target's slots (see `slotShares`). Pure.
 *
 * Lowering is free: a slot this replica stops using is released once its request ends. Free allowances go
 * first (the pods with the most unused allowance), then allowances in use (the request finishes; the slot is not
 * used again). Raising takes only slots nobody else claims (`cc - othersHeld - held`), on the pods with the most
 * room first (ties by a hash of member and pod, so replicas reach for different pods); a raise within what this
 * replica already holds (an allowance lowered below its in-flight requests) needs no claim.
 * Example: cc 3, share 2, pods a (allowance 3, 1 in flight) and b (allowance 0): lower a to 2 -> allow {a: 2}.
 * @param cc containerConcurrency (> 0)
 * @param othersHeld slots the other live replicas claim, per pod
 */
export function planSlots(member: string, cc: number, share: number, uses: readonly PodUse[], othersHeld: ReadonlyMap<string, number>): SlotPlan {
  const live = uses.filter((u) => u.live);
  const allow = new Map<string, number>();
  const claims = new Map<string, number>();
  const current = new Map(live.map((u) => [u.id, u.allowance]));
  let total = live.reduce((a, u) => a + u.allowance, 0);
  if (total > share) {
    const byFree = [...live].sort((a, b) => b.allowance - b.inFlight - (a.allowance - a.inFlight) || (a.id < b.id ? -1 : 1));
    for (const u of byFree) {
      if (total <= share) break;
      const cut = Math.min(u.allowance - Math.min(u.inFlight, u.allowance), total - share);
      if (cut > 0) {
        allow.set(u.id, u.allowance - cut);
        current.set(u.id, u.allowance - cut);
        total -= cut;
      }
    }
    for (const u of byFree) {
      if (total <= share) break;
      const now = current.get(u.id) ?? 0;
      const cut = Math.min(now, total - share);
      if (cut > 0) {
        allow.set(u.id, now - cut);
        total -= cut;
      }
    }
    return { allow, claims };
  }
  if (total === share) return { allow, claims };
  // Free raises first: back up to what is in use anyway.
  for (const u of live) {
    if (total >= share) break;
    const up = Math.min(Math.min(u.inFlight, cc) - u.allowance, share - total);
    if (up > 0) {
      allow.set(u.id, u.allowance + up);
      current.set(u.id, u.allowance + up);
      total += up;
    }
  }
  const room = (u: PodUse): number => cc - (othersHeld.get(u.id) ?? 0) - Math.max(current.get(u.id) ?? 0, u.inFlight);
  const order = [...live].filter((u) => room(u) > 0).sort((a, b) => room(b) - room(a) || spread(member, a.id) - spread(member, b.id));
  for (const u of order) {
    if (total >= share) break;
    const up = Math.min(room(u), share - total);
    const base = Math.max(current.get(u.id) ?? 0, u.inFlight);
    claims.set(u.id, base + up);
    total += base + up - (current.get(u.id) ?? 0);
  }
  return { allow, claims };
}

/** A small deterministic hash of member and pod (FNV-1a), to order pods differently per replica. */
function spread(member: string, pod: string): number {
  let h = 0x811c9dc5;
  const s = `${member}/${pod}`;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
