import type { ParentReference, RouteCondition, RouteParentStatus } from './gateway-api-types.ts';

/** Two parentRefs name the same parent (unset fields compare equal to each other only). */
export function sameParentRef(a: ParentReference, b: ParentReference): boolean {
  return a.group === b.group && a.kind === b.kind && a.namespace === b.namespace && a.name === b.name && a.sectionName === b.sectionName && a.port === b.port;
}

/** `planned` conditions, each keeping the `lastTransitionTime` of `existing`'s condition of its type while its status is the same. */
export function withTransitionTimes(planned: readonly RouteCondition[], existing: readonly RouteCondition[], nowIso: string): RouteCondition[] {
  return planned.map((c) => {
    const old = existing.find((e) => e.type === c.type);
    // A condition keeps its transition time while its status stays the same (Kubernetes API conventions).
    return { ...c, lastTransitionTime: old && old.status === c.status && old.lastTransitionTime ? old.lastTransitionTime : nowIso };
  });
}

/** Canonical text of a parents list, for comparing what is there with what should be. */
function text(parents: readonly RouteParentStatus[]): string {
  return JSON.stringify(
    parents.map((p) => ({
      parentRef: { group: p.parentRef.group, kind: p.parentRef.kind, namespace: p.parentRef.namespace, name: p.parentRef.name, sectionName: p.parentRef.sectionName, port: p.parentRef.port },
      controllerName: p.controllerName,
      conditions: p.conditions.map((c) => ({ type: c.type, status: c.status, reason: c.reason, message: c.message, observedGeneration: c.observedGeneration, lastTransitionTime: c.lastTransitionTime })),
    })),
  );
}

/**
 * The `status.parents` a route should carry: the entries of other controllers as they are, and Ebb's planned
 * entries (`planned`, all of `controllerName`; each in place of the entry it replaces, new ones last), each condition keeping its `lastTransitionTime` while its status
 * does not change; Ebb's entries for parents no longer planned are dropped. Undefined when that is exactly what
 * the route carries already: no write (the writer is idempotent).
 */
export function nextRouteParents(existing: readonly RouteParentStatus[] | undefined, planned: readonly RouteParentStatus[], controllerName: string, nowIso: string): RouteParentStatus[] | undefined {
  const current = existing ?? [];
  const fresh = (p: RouteParentStatus, old: RouteParentStatus | undefined): RouteParentStatus => ({ ...p, conditions: withTransitionTimes(p.conditions, old?.conditions ?? [], nowIso) });
  const placed = new Set<RouteParentStatus>();
  const next: RouteParentStatus[] = [];
  // Entries stay where they are (no reordering against other controllers' writes); new ones go last.
  for (const e of current) {
    if (e.controllerName !== controllerName) next.push(e);
    else {
      const p = planned.find((q) => !placed.has(q) && sameParentRef(e.parentRef, q.parentRef));
      if (!p) continue;
      placed.add(p);
      next.push(fresh(p, e));
    }
  }
  for (const p of planned) if (!placed.has(p)) next.push(fresh(p, undefined));
  return text(next) === text(current) ? undefined : next;
}
