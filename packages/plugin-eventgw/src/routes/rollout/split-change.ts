/** One backend's share of a rule's traffic, in whole percent. */
export interface Share {
  readonly key: string;
  readonly percent: number;
}

/** How a change of declared weights is applied. */
export type SplitChange =
  | { readonly kind: 'none' }
  /** Applied at once (a rollback to the split before the rollout, or a change a gradual rollout does not cover). */
  | { readonly kind: 'at-once'; readonly reason: string }
  /** One version gains traffic: it receives it gradually, from `fromPercent` to `goalPercent`. */
  | { readonly kind: 'rollout'; readonly receiver: string; readonly fromPercent: number; readonly goalPercent: number };

/**
 * `total` whole units shared in proportion to `weights` (largest remainder; ties to the earlier entry); all 0 when
 * the weights are. apportion(100, 1/1/1) -> 34/33/33; apportion(7, 3/1) -> 5/2.
 */
export function apportion(total: number, weights: ReadonlyArray<{ readonly key: string; readonly weight: number }>): Share[] {
  const sum = weights.reduce((s, w) => s + Math.max(0, w.weight), 0);
  if (sum <= 0 || total <= 0) return weights.map((w) => ({ key: w.key, percent: 0 }));
  const exact = weights.map((w) => (Math.max(0, w.weight) * total) / sum);
  const out = exact.map(Math.floor);
  let left = total - out.reduce((s, f) => s + f, 0);
  const order = exact.map((x, i) => ({ i, rest: x - Math.floor(x) })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    out[i] = (out[i] ?? 0) + 1;
    left--;
  }
  return weights.map((w, i) => ({ key: w.key, percent: out[i] ?? 0 }));
}

/** Weights to whole percents that add up to 100 (see {@link apportion}). 70/30 -> 70/30; 1/0 -> 100/0. */
export function weightsToPercents(weights: ReadonlyArray<{ readonly key: string; readonly weight: number }>): Share[] {
  return apportion(100, weights);
}

const shareOf = (shares: readonly Share[], key: string): number => shares.find((s) => s.key === key)?.percent ?? 0;

function same(a: readonly Share[], b: readonly Share[]): boolean {
  const keys = new Set([...a, ...b].map((s) => s.key));
  return [...keys].every((k) => shareOf(a, k) === shareOf(b, k));
}

/**
 * How to go from the `effective` split (what the gateway applies now) to the `declared` one. A new change in the
 * middle of a rollout starts from the effective split. Going back to `preRollout` (the split before the current
 * rollout began) is a rollback: at once. Exactly one version gaining traffic is a gradual rollout to it; several
 * versions gaining at once are applied at once (Knative rolls out one new revision per configuration likewise).
 * Example: effective v1 100, declared v1 0 / v2 100 -> rollout to v2 from 0 % to 100 %.
 */
export function planSplitChange(effective: readonly Share[], declared: readonly Share[], preRollout?: readonly Share[]): SplitChange {
  if (same(effective, declared)) return { kind: 'none' };
  if (preRollout && same(preRollout, declared)) return { kind: 'at-once', reason: 'the weights are back to the split before the rollout: rolled back at once' };
  const gainers = declared.filter((d) => d.percent > shareOf(effective, d.key));
  if (gainers.length !== 1) {
    return { kind: 'at-once', reason: gainers.length === 0 ? 'no version gains traffic' : `${gainers.length} versions gain traffic at once (${gainers.map((g) => g.key).join(', ')}): applied without a gradual rollout` };
  }
  const receiver = gainers[0]?.key ?? '';
  return { kind: 'rollout', receiver, fromPercent: shareOf(effective, receiver), goalPercent: shareOf(declared, receiver) };
}

/**
 * The split to apply while the receiver holds `receiverPercent`: every other version at its declared share, plus
 * what the receiver has not taken yet, given back to the versions that lose traffic in proportion to their loss
 * (whole percents, adding up to 100). Example: from v1 100 to v1 0 / v2 100 with v2 at 30 -> v1 70 / v2 30.
 */
export function splitDuringRollout(effective: readonly Share[], declared: readonly Share[], receiver: string, receiverPercent: number): Share[] {
  const keys = [...new Set([...effective, ...declared].map((s) => s.key))];
  const losers = keys.filter((k) => k !== receiver && shareOf(effective, k) > shareOf(declared, k));
  const notYet = Math.max(0, shareOf(declared, receiver) - receiverPercent);
  const give = apportion(notYet, losers.map((k) => ({ key: k, weight: shareOf(effective, k) - shareOf(declared, k) })));
  return keys.map((k) => ({ key: k, percent: k === receiver ? receiverPercent : shareOf(declared, k) + shareOf(give, k) }));
}
