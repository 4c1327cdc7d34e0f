import type { HTTPRoute, RouteCondition } from '../gateway-api-types.ts';
import { parseRolloutConfig } from './rollout-config.ts';
import { readRolloutState, type Split } from './rollout-state.ts';

/** The route condition that tells how a gradual rollout goes (an implementation-specific type of the Gateway API). */
export const ROLLOUT_CONDITION = 'ebb.dev/RolloutProgressing';

const text = (s: Split): string =>
  Object.entries(s)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k.slice(k.indexOf('/') + 1)} ${v} %`)
    .join(', ');

/**
 * The rollout condition of a route with rollout keys or a rollout state, undefined for any other route:
 * invalid keys -> False InvalidParameters (weights then apply at once); a rollout stopped -> False Stalled;
 * in progress -> True Progressing (effective and goal split); otherwise True Complete (the effective split is
 * the declared one). Example: `v1 80 %, v2 20 % toward v1 0 %, v2 100 % (step 2)`.
 */
export function rolloutCondition(route: HTTPRoute, generation: number | undefined): RouteCondition | undefined {
  const annotations = route.metadata?.annotations ?? {};
  const hasKeys = Object.keys(annotations).some((k) => k.startsWith('ebb.dev/rollout-') || k === 'serving.knative.dev/rollout-duration');
  const state = readRolloutState(route);
  if (!hasKeys && !state) return undefined;
  const c = (ok: boolean, reason: string, message: string): RouteCondition => ({ type: ROLLOUT_CONDITION, status: ok ? 'True' : 'False', reason, message, ...(generation !== undefined ? { observedGeneration: generation } : {}) });
  const config = parseRolloutConfig(annotations);
  if (!config.ok) return c(false, 'InvalidParameters', `${config.issues.map((i) => i.message).join('; ')}; weight changes apply at once`);
  if (!state) return c(true, 'Complete', 'no rollout yet: the effective split is the declared one');
  if (state.stalled) return c(false, 'Stalled', `rollout stopped at ${text(state.current)}: ${state.reason ?? 'no progress'}; change the weights to go on or back`);
  if (state.to) return c(true, 'Progressing', `${text(state.current)} toward ${text(state.to)} (step ${state.step ?? 0})${state.reason ? `; waiting: ${state.reason}` : ''}`);
  return c(true, 'Complete', `effective split ${text(state.current)}`);
}
