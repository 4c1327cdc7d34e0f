/** One gateway replica's published figures for one target, as the share computation sees them. */
export interface MemberDemand {
  /** Member (gateway replica) id. */
  readonly id: string;
  /** Requests it has in flight or waiting for the target (capped at the capacity). */
  readonly want: number;
  /** Slots it holds on the target's pods now (sum over pods). */
  readonly held: number;
}

/**
 * How many of a target's `capacity` slots (Ready pods x containerConcurrency) each live gateway replica should
 * hold. Pure, so that every replica computes the same answer from the same published figures.
 *
 * - Enough for everyone (sum of wants <= capacity): each gets its want, and the rest is spread evenly so that
 *   a burst at any replica finds slots at hand; the odd remainder goes to replicas already holding the most
 *   beyond that (fewer moves). Example: capacity 8, wants 1/0/0 -> 1+2, 0+2, 0+3 in some order: 3, 2, 3.
 * - Not enough (sum > capacity): water-filling: every replica gets min(want, level) for the highest level that
 *   fits, and the remaining slots go one each to replicas that want more, starting at a position that moves
 *   with `epoch` (the caller advances it every second), so no replica waits for ever behind another.
 *   Example: capacity 1, wants 4/2/0, epoch 7 -> level 0, one slot for the replica at 7 mod 2 among the two.
 * @param capacity slots of the target, >= 0
 * @param members every live member, any order (the result does not depend on it)
 * @param epoch rotation counter (e.g. whole seconds of the clock)
 * @returns share per member id; the shares sum to at most `capacity`
 */
export function slotShares(capacity: number, members: readonly MemberDemand[], epoch: number): Map<string, number> {
  const sorted = [...members].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const out = new Map<string, number>();
  if (sorted.length === 0) return out;
  const cap = Math.max(0, Math.floor(capacity));
  const wants = sorted.map((m) => Math.max(0, Math.min(Math.floor(m.want), cap)));
  const total = wants.reduce((a, b) => a + b, 0);
  if (total <= cap) {
    const left = cap - total;
    const even = Math.floor(left / sorted.length);
    const shares = wants.map((w) => w + even);
    const order = sorted
      .map((m, i) => ({ i, extra: m.held - (shares[i] ?? 0) }))
      .sort((a, b) => b.extra - a.extra || a.i - b.i);
    for (let k = 0; k < left % sorted.length; k++) {
      const i = order[k]?.i ?? 0;
      shares[i] = (shares[i] ?? 0) + 1;
    }
    sorted.forEach((m, i) => out.set(m.id, shares[i] ?? 0));
    return out;
  }
  let lo = 0;
  let hi = cap;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (wants.reduce((a, w) => a + Math.min(w, mid), 0) <= cap) lo = mid;
    else hi = mid - 1;
  }
  const shares = wants.map((w) => Math.min(w, lo));
  let left = cap - shares.reduce((a, b) => a + b, 0);
  const hungry = wants.map((w, i) => (w > lo ? i : -1)).filter((i) => i >= 0);
  const start = hungry.length ? ((epoch % hungry.length) + hungry.length) % hungry.length : 0;
  for (let k = 0; k < hungry.length && left > 0; k++, left--) {
    const i = hungry[(start + k) % hungry.length] ?? 0;
    shares[i] = (shares[i] ?? 0) + 1;
  }
  sorted.forEach((m, i) => out.set(m.id, shares[i] ?? 0));
  return out;
}
