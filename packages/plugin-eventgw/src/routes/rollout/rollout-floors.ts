import type { TargetFloor, TargetKey } from '@ebb/core';
import { routeKeyOf } from '../compile-routes.ts';
import type { HTTPRoute } from '../gateway-api-types.ts';
import { readRolloutState } from './rollout-state.ts';

/**
 * The replica floors the routes' rollouts hold their versions at, from the `ebb.dev/rollout-state` annotations
 * (so every scaler replica applies the same floors to the targets it owns): only while a rollout runs or stands
 * stalled; the highest when two routes hold one version. Example: a rollout at v1 80 % / v2 20 % preparing
 * 30 % -> v2's floor is the pods 30 % needs, with `rollout of route shop/coffee: step 3, ...` as its reason.
 */
export function rolloutFloors(routes: readonly HTTPRoute[]): Map<TargetKey, TargetFloor> {
  const out = new Map<TargetKey, TargetFloor>();
  for (const route of routes) {
    const s = readRolloutState(route);
    if (!s?.to || !s.floors) continue;
    for (const [key, replicas] of Object.entries(s.floors)) {
      if ((out.get(key)?.replicas ?? -1) >= replicas) continue;
      const what = s.stalled ? 'stalled' : `step ${s.step ?? 0}`;
      const share = `${s.current[key] ?? 0} % now, ${s.to[key] ?? 0} % at the end`;
      out.set(key, { replicas, reason: `rollout of route ${routeKeyOf(route)} (${what}; ${share}) needs ${replicas} pods` });
    }
  }
  return out;
}

/** Targets whose floor differs between `a` and `b`, sorted. */
export function changedFloors(a: ReadonlyMap<TargetKey, TargetFloor>, b: ReadonlyMap<TargetKey, TargetFloor>): TargetKey[] {
  return [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k)?.replicas !== b.get(k)?.replicas).sort();
}
