import type { TargetKey } from '@ebb/core';
import { decideRolloutStep, type RolloutStepDecision } from './capacity-step.ts';
import { knativeRolloutSteps } from './knative-rollout-steps.ts';
import type { RolloutConfig } from './rollout-config.ts';
import type { RolloutState, Split } from './rollout-state.ts';
import { planSplitChange, splitDuringRollout, type Share } from './split-change.ts';

/** One version of a route as the rollout reads it from the cluster. */
export interface VersionView {
  /** Ready pods (the Deployment's `status.readyReplicas`). */
  readonly readyPods: number;
  /** Pods asked for (`spec.replicas`), for the surge budget's starting point. */
  readonly specPods: number;
  /** Requests in flight one pod carries (`container-concurrency`, or `target` when unlimited). */
  readonly perPod: number;
  /** Requests in flight now (what the gateways report), 0 without data. */
  readonly inFlight: number;
}

/** Everything one rollout decision for a route reads: the same input always gives the same output. */
export interface RolloutProgressInput {
  readonly nowMs: number;
  readonly config: RolloutConfig;
  /** The declared split (the split rule's weights as percents). */
  readonly declared: Split;
  /** What the annotation holds now; undefined: nothing yet (the route's first rollout decision). */
  readonly state: RolloutState | undefined;
  readonly versions: ReadonlyMap<TargetKey, VersionView>;
}

/** A change worth an Event on the route. */
export interface RolloutEvent {
  readonly type: 'Normal' | 'Warning';
  readonly reason: 'RolloutStarted' | 'RolloutStep' | 'RolloutComplete' | 'RolloutStalled' | 'RolloutRolledBack' | 'SplitApplied';
  readonly message: string;
}

/** The next state (undefined: remove the annotation) and the Events to record. */
export interface RolloutProgress {
  readonly state: RolloutState | undefined;
  readonly events: readonly RolloutEvent[];
}

/** The first step of a rollout (Knative's 1 %) is prepared like any other; this is its shortest length, ms. */
const FIRST_STEP_MS = 1000;

const shares = (s: Split): Share[] => Object.entries(s).map(([key, percent]) => ({ key, percent }));
const toSplit = (s: readonly Share[]): Split => Object.fromEntries(s.map((x) => [x.key, x.percent]));
const name = (k: TargetKey): string => k.slice(k.indexOf('/') + 1);
const steady = (current: Split): RolloutState => ({ current });

/**
 * One rollout decision for a route, from the cluster's state: the declared weights, the effective split the
 * annotation holds, and the versions' Ready pods and demand. Without `rollout-duration` there is no state (the
 * spec weights apply at once). A weight change starts a rollout to the one version gaining traffic (from the
 * effective split, also mid-rollout), or applies at once (a rollback to the split before the rollout, several
 * versions gaining). A rollout in progress takes Knative's time steps, each prepared by {@link decideRolloutStep}
 * (the receiver's Ready pods first); a stalled rollout stays where it is until the weights change.
 */
export function progressRollout(input: RolloutProgressInput): RolloutProgress {
  const { nowMs, config, declared } = input;
  if (config.durationMs <= 0) return { state: undefined, events: [] };
  const prev = input.state;
  if (!prev) return { state: steady(declared), events: [] };
  const inProgress = prev.to !== undefined;
  const goalChanged = !inProgress || !sameSplit(prev.to ?? {}, declared);
  if (goalChanged) {
    const plan = planSplitChange(shares(prev.current), shares(declared), inProgress ? shares(prev.from ?? {}) : undefined);
    if (plan.kind === 'none') return { state: steady(declared), events: inProgress ? [{ type: 'Normal', reason: 'RolloutComplete', message: `the effective split is the declared one: ${describe(declared)}` }] : [] };
    if (plan.kind === 'at-once') {
      const rollback = inProgress && sameSplit(prev.from ?? {}, declared);
      return { state: steady(declared), events: [{ type: 'Normal', reason: rollback ? 'RolloutRolledBack' : 'SplitApplied', message: `${plan.reason}: ${describe(declared)}` }] };
    }
    const steps = knativeRolloutSteps(plan.goalPercent - plan.fromPercent, FIRST_STEP_MS, config.durationMs);
    const prePods = [...input.versions.values()].reduce((s, v) => s + Math.max(v.specPods, v.readyPods), 0);
    const started: RolloutState = { current: prev.current, to: declared, from: prev.current, receiver: plan.receiver, step: 0, stepPercent: steps.stepPercent, stepMs: steps.stepMs, startedAtMs: nowMs, nextStepAtMs: nowMs, prePods };
    const event: RolloutEvent = { type: 'Normal', reason: 'RolloutStarted', message: `${name(plan.receiver)} from ${plan.fromPercent} % to ${plan.goalPercent} % over ${config.durationMs / 1000} s (${describe(prev.current)} toward ${describe(declared)})` };
    const next = advance(started, input);
    return { state: next.state, events: [event, ...next.events] };
  }
  // Stopped: traffic and floors stay where they are until the weights change.
  if (prev.stalled) return { state: prev, events: [] };
  return advance(prev, input);
}

/** Takes the next step of a rollout in progress, if its time has come and the receiver has the pods for it. */
function advance(s: RolloutState, input: RolloutProgressInput): RolloutProgress {
  const receiver = s.receiver ?? '';
  const giver = giverOf(s);
  const r = input.versions.get(receiver);
  const g = giver ? input.versions.get(giver) : undefined;
  const demand = [...input.versions.values()].reduce((sum, v) => sum + v.inFlight, 0);
  const receiverPercent = s.current[receiver] ?? 0;
  const goalPercent = s.to?.[receiver] ?? 0;
  const first = (s.step ?? 0) === 0;
  const d = decideRolloutStep({
    nowMs: input.nowMs,
    receiverPercent,
    goalPercent,
    totalPercent: receiverPercent + (giver ? (s.current[giver] ?? 0) : 0),
    stepPercent: first ? 1 : (s.stepPercent ?? 1),
    stepMs: s.stepMs ?? FIRST_STEP_MS,
    nextStepMs: s.nextStepAtMs ?? input.nowMs,
    demand,
    receiver: { readyPods: r?.readyPods ?? 0, perPod: r?.perPod ?? 1 },
    giver: { readyPods: g?.readyPods ?? 0, perPod: g?.perPod ?? 1 },
    ...(input.config.maxSurgePods > 0 && s.prePods !== undefined ? { budget: { prePods: s.prePods, maxSurgePods: input.config.maxSurgePods } } : {}),
    ...(s.preparingSinceMs !== undefined ? { preparingSinceMs: s.preparingSinceMs } : {}),
    progressDeadlineMs: input.config.progressDeadlineMs,
  });
  return applyDecision(s, d, receiver, giver);
}

function applyDecision(s: RolloutState, d: RolloutStepDecision, receiver: TargetKey, giver: TargetKey | undefined): RolloutProgress {
  const floors = { [receiver]: d.floors.receiverPods, ...(giver ? { [giver]: d.floors.giverPods } : {}) };
  const why = 'reason' in d ? `${name(receiver)}: ${d.reason}` : undefined;
  const { preparingSinceMs: _p, reason: _r, ...rest } = s;
  switch (d.kind) {
    case 'done':
      return { state: steady(s.to ?? s.current), events: [{ type: 'Normal', reason: 'RolloutComplete', message: `${name(receiver)} at ${d.percent} %: ${describe(s.to ?? s.current)}` }] };
    case 'wait':
      return { state: { ...rest, floors }, events: [] };
    case 'prepare':
      return { state: { ...rest, preparingSinceMs: d.sinceMs, reason: why, floors }, events: [] };
    case 'stalled':
      return { state: { ...rest, stalled: true, reason: why, floors }, events: [{ type: 'Warning', reason: 'RolloutStalled', message: `rollout stopped at ${describe(s.current)}: ${why}` }] };
    case 'advance': {
      const current = toSplit(splitDuringRollout(shares(s.from ?? s.current), shares(s.to ?? s.current), receiver, d.percent));
      const step = (s.step ?? 0) + 1;
      return { state: { ...rest, current, step, nextStepAtMs: d.nextStepMs, floors }, events: [{ type: 'Normal', reason: 'RolloutStep', message: `step ${step}: ${describe(current)}` }] };
    }
  }
}

/** The version losing most traffic in the rollout (the one whose floor falls with its share). */
function giverOf(s: RolloutState): TargetKey | undefined {
  const from = s.from ?? s.current;
  const losses = Object.keys(from).filter((k) => k !== s.receiver).map((k) => ({ k, loss: (from[k] ?? 0) - (s.to?.[k] ?? 0) }));
  return losses.sort((a, b) => b.loss - a.loss || a.k.localeCompare(b.k))[0]?.k;
}

function sameSplit(a: Split, b: Split): boolean {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].every((k) => (a[k] ?? 0) === (b[k] ?? 0));
}

/** `v1 80 %, v2 20 %`. */
function describe(s: Split): string {
  return Object.entries(s)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${name(k)} ${v} %`)
    .join(', ');
}
