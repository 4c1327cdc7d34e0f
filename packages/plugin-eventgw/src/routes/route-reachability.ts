import type { V1Deployment } from '@kubernetes/client-node';
import type { TargetKey } from '@ebb/core';
import { HOST_ANNOTATION } from '../discovery/kube-discovery.ts';
import type { CompiledRoutes } from './compile-routes.ts';

/**
 * The targets no route can send requests to, as Knative treats an unreachable revision: Deployments an accepted
 * HTTPRoute of an Ebb Gateway references (a backendRef resolves to them) while no rule of an accepted route gives
 * them a weight above 0 (a tag rule counts), and that have no `ebb.dev/eventgw.host` of their own. A refused
 * route makes nothing unreachable. Example: a split
 * v1 100 / v2 0 without a tag -> {v2}; with a tag rule for v2 -> {}. A Deployment no route references is not a
 * version of anything the gateway knows of: it stays reachable (see the README).
 */
export function unreachableTargets(compiled: CompiledRoutes, deployments: ReadonlyMap<TargetKey, V1Deployment>): Set<TargetKey> {
  const out = new Set<TargetKey>();
  for (const key of compiled.referenced) {
    if (compiled.reachable.has(key)) continue;
    if (deployments.get(key)?.metadata?.annotations?.[HOST_ANNOTATION] !== undefined) continue;
    out.add(key);
  }
  return out;
}

/** Targets in exactly one of `a` and `b` (whose reachability changed). */
export function changedTargets(a: ReadonlySet<TargetKey>, b: ReadonlySet<TargetKey>): TargetKey[] {
  return [...[...a].filter((k) => !b.has(k)), ...[...b].filter((k) => !a.has(k))].sort();
}
