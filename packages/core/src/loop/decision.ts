import type { ScalingConfig } from '../contracts/scaling.ts';
import type { AppliedStep, PluginRecommendation } from '../scaling/combine-types.ts';

/** Everything one evaluation of a target found: what `ebb explain` prints and what a tick acts on. */
export interface Decision {
  readonly nowMs: number;
  readonly current: number;
  readonly ready: number;
  readonly scaling: ScalingConfig;
  readonly recommendations: readonly PluginRecommendation[];
  /** Plugins that threw (their target holds). */
  readonly failed: readonly { readonly pluginId: string; readonly error: string }[];
  /** Desired replicas after combination (equal to `current` when holding). */
  readonly desired: number;
  /** The plugin whose recommendation decided, if any. */
  readonly winner?: { readonly pluginId: string; readonly reason: string };
  /** Combination steps that changed the value, e.g. `max-replicas`, `scale-down-delay`. */
  readonly applied: readonly string[];
  /** The same steps with before/after values and a sentence each. */
  readonly steps: readonly AppliedStep[];
  /** Why nothing changes, when holding on purpose (a plugin threw). */
  readonly hold?: string;
  /** The earliest `RecommendOutput.wakeAtMs` after `nowMs`, if a plugin asked for a decision then. */
  readonly wakeAtMs?: number;
  /** A replica floor from outside the policies in force (see `TargetFloors`), whether or not it raised the value. */
  readonly floor?: { readonly replicas: number; readonly reason: string };
}

/**
 * One line for Events and logs: the winner and its reason, then each step that changed the value, e.g.
 * `kpa: concurrency 42 / 7 per pod; max-replicas: max-replicas is 5`.
 */
export function decisionReason(d: Decision): string {
  const parts: string[] = [];
  if (d.winner) parts.push(`${d.winner.pluginId}: ${d.winner.reason}`);
  if (d.steps.length) parts.push(d.steps.map((st) => `${st.step}: ${st.detail}`).join('; '));
  else if (d.applied.length) parts.push(`applied ${d.applied.join(', ')}`);
  if (d.hold) parts.push(d.hold);
  return parts.join('; ') || 'no recommendation';
}
