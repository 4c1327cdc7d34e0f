/** One version in a rollout, as the step decision reads it. */
export interface RolloutVersion {
  /** Ready pods now. */
  readonly readyPods: number;
  /** Requests in flight one pod is meant to carry (the KPA target per pod, or `container-concurrency`), > 0. */
  readonly perPod: number;
}

/** Everything one rollout step decision reads; the same input always gives the same decision. */
export interface RolloutStepInput {
  readonly nowMs: number;
  /** The receiving (new) version's share now, percent of the route's traffic. */
  readonly receiverPercent: number;
  /** The share the receiver ends with (the declared weight); the giver keeps `totalPercent - receiver`. */
  readonly goalPercent: number;
  /** The share of the two versions together, usually 100. */
  readonly totalPercent: number;
  /** Percent per time step and when the next one is due (see `knativeRolloutSteps`). */
  readonly stepPercent: number;
  readonly stepMs: number;
  readonly nextStepMs: number;
  /** The route's demand now (requests in flight, both versions together). */
  readonly demand: number;
  readonly receiver: RolloutVersion;
  readonly giver: RolloutVersion;
  /** Optional surge budget: the two versions' pods before the rollout and how many more it may use (>= 1). */
  readonly budget?: { readonly prePods: number; readonly maxSurgePods: number };
  /** Since when the receiver has been waiting for the Ready pods of the step it is preparing (undefined: not). */
  readonly preparingSinceMs?: number;
  /** Longest wait for the receiver's Ready pods before the rollout stops, ms. */
  readonly progressDeadlineMs: number;
}

/** The pods each version must have at least while the decision holds (floors for the autoscaler). */
export interface RolloutFloors {
  readonly receiverPods: number;
  readonly giverPods: number;
}

/** What to do now. */
export type RolloutStepDecision =
  /** The rollout reached its goal (or the goal moved back: traffic moves back at once). */
  | { readonly kind: 'done'; readonly percent: number; readonly floors: RolloutFloors }
  /** Hold the split until `atMs` (the next time step). */
  | { readonly kind: 'wait'; readonly percent: number; readonly atMs: number; readonly floors: RolloutFloors }
  /** Move the split to `percent` now: the receiver has the Ready pods for it. Next step at `nextStepMs`. */
  | { readonly kind: 'advance'; readonly percent: number; readonly nextStepMs: number; readonly floors: RolloutFloors }
  /** Hold the split; bring the receiver to `floors.receiverPods` Ready pods for its next share `towardPercent`. */
  | { readonly kind: 'prepare'; readonly percent: number; readonly towardPercent: number; readonly sinceMs: number; readonly floors: RolloutFloors; readonly reason: string }
  /** Stop the rollout where it is (no outage: traffic stays), with the reason for an Event and a route condition. */
  | { readonly kind: 'stalled'; readonly percent: number; readonly floors: RolloutFloors; readonly reason: string };

/**
 * Pods a version needs for `percent` of `demand` at `perPod` each: ceil(demand x percent / 100 / perPod), at
 * least 1 for any share above 0 (a share must never find no capacity). 40 in flight, 30 %, 5 per pod -> 3.
 */
export function podsForShare(demand: number, percent: number, perPod: number): number {
  if (percent <= 0) return 0;
  return Math.max(1, Math.ceil((Math.max(0, demand) * percent) / 100 / perPod - 1e-9));
}

/**
 * The largest share in (from, to] whose pods fit `pods`; `from` when none does. Shares are whole percents.
 * Example: demand 100, 10 per pod, 3 pods -> 30 % (of a step from 10 % toward 50 %).
 */
function largestShareWithin(demand: number, from: number, to: number, perPod: number, pods: number): number {
  let best = from;
  for (let p = from + 1; p <= to; p++) if (podsForShare(demand, p, perPod) <= pods) best = p;
  return best;
}

/**
 * A gradual rollout that asks the autoscaler first. Time steps as Knative's (`stepPercent` every `stepMs`); but
 * before a step, the receiving version must have the Ready pods its next share of the current demand needs, and
 * the step waits until it has them; the giving version's floor falls with its share once the step is taken. With
 * a surge budget, a step that would need more pods than the budget leaves (after the giver's pods for its
 * current share) shrinks to what fits, or waits for the giver to give pods back. A receiver that cannot get its
 * Ready pods within `progressDeadlineMs` stalls the rollout (traffic stays where it is). A goal below the
 * receiver's share (a rollback) is reached at once. Example: 10 % -> next 20 % of 100 in flight at 10 per pod:
 * the receiver has 1 Ready pod, needs 2 -> prepare (floor 2); once 2 are Ready -> advance to 20 %, giver floor 8.
 */
export function decideRolloutStep(input: RolloutStepInput): RolloutStepDecision {
  const { demand, receiver: r, giver: g, totalPercent: total } = input;
  const floors = (receiverPercent: number, giverPercent: number): RolloutFloors => ({
    receiverPods: podsForShare(demand, receiverPercent, r.perPod),
    giverPods: podsForShare(demand, giverPercent, g.perPod),
  });
  const now = input.receiverPercent;
  if (input.goalPercent <= now) return { kind: 'done', percent: input.goalPercent, floors: floors(input.goalPercent, total - input.goalPercent) };
  // Until a step is prepared, the giver keeps the capacity of its current share.
  const holding = floors(now, total - now);
  if (input.nowMs < input.nextStepMs && input.preparingSinceMs === undefined) return { kind: 'wait', percent: now, atMs: input.nextStepMs, floors: holding };
  let toward = Math.min(input.goalPercent, now + Math.max(1, input.stepPercent));
  if (input.budget) {
    // The receiver may have what the budget leaves after the giver's pods: those its share still needs, or more
    // while it has more (they go once its autoscaler scales it down), so the two together never exceed the budget.
    const room = input.budget.prePods + input.budget.maxSurgePods - Math.max(holding.giverPods, g.readyPods);
    toward = largestShareWithin(demand, now, toward, r.perPod, room);
  }
  const since = input.preparingSinceMs ?? input.nowMs;
  if (toward === now) {
    const reason = `the surge budget (${input.budget?.maxSurgePods ?? 0} pods over ${input.budget?.prePods ?? 0}) leaves no room for another pod of the receiving version while the giving one has ${Math.max(holding.giverPods, g.readyPods)}`;
    if (input.nowMs - since > input.progressDeadlineMs) return { kind: 'stalled', percent: now, floors: holding, reason };
    return { kind: 'prepare', percent: now, towardPercent: now, sinceMs: since, floors: holding, reason };
  }
  const next = floors(toward, total - toward);
  if (r.readyPods >= next.receiverPods) return { kind: 'advance', percent: toward, nextStepMs: input.nowMs + input.stepMs, floors: next };
  // Demand is an average (e.g. 18.65 in flight): two decimals are enough for people reading the reason.
  const reason = `the receiving version has ${r.readyPods} Ready pods; ${toward} % of ${Math.round(demand * 100) / 100} in flight needs ${next.receiverPods}`;
  if (input.nowMs - since > input.progressDeadlineMs) return { kind: 'stalled', percent: now, floors: holding, reason: `${reason} (waited ${Math.round((input.nowMs - since) / 1000)} s)` };
  return { kind: 'prepare', percent: now, towardPercent: toward, sinceMs: since, floors: { receiverPods: next.receiverPods, giverPods: holding.giverPods }, reason };
}
