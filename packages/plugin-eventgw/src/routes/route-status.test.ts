import { describe, expect, it } from 'vitest';
import type { RouteParentStatus } from './gateway-api-types.ts';
import { nextRouteParents } from './route-status.ts';

const EBB = 'ebb.dev/gateway';
const ref = { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'web' };

function entry(status: 'True' | 'False', reason: string, controllerName = EBB, name = 'web'): RouteParentStatus {
  return { parentRef: { ...ref, name }, controllerName, conditions: [{ type: 'Accepted', status, reason, message: reason, observedGeneration: 1 }] };
}

describe('nextRouteParents', () => {
  it('adds Ebb entries with a transition time, and then asks for no write while nothing changes', () => {
    const first = nextRouteParents(undefined, [entry('True', 'Accepted')], EBB, 't1');
    expect(first?.[0]?.conditions[0]?.lastTransitionTime).toBe('t1');
    expect(nextRouteParents(first, [entry('True', 'Accepted')], EBB, 't2')).toBeUndefined();
  });

  it('keeps the transition time while the status stays, even when the reason text changes; a new status gets a new time', () => {
    const first = nextRouteParents(undefined, [entry('False', 'UnsupportedValue')], EBB, 't1');
    const sameStatus = nextRouteParents(first, [entry('False', 'NotAllowedByListeners')], EBB, 't2');
    expect(sameStatus?.[0]?.conditions[0]).toMatchObject({ reason: 'NotAllowedByListeners', lastTransitionTime: 't1' });
    expect(nextRouteParents(sameStatus, [entry('True', 'Accepted')], EBB, 't3')?.[0]?.conditions[0]?.lastTransitionTime).toBe('t3');
  });

  it("leaves other controllers' entries where they are and drops Ebb's entries for parents gone", () => {
    const other = entry('True', 'Accepted', 'example.com/other', 'theirs');
    const existing = nextRouteParents([other], [entry('True', 'Accepted'), entry('True', 'Accepted', EBB, 'second')], EBB, 't1');
    expect(existing?.map((p) => p.parentRef.name)).toEqual(['theirs', 'web', 'second']);
    expect(nextRouteParents(existing, [entry('True', 'Accepted', EBB, 'second')], EBB, 't2')?.map((p) => p.parentRef.name)).toEqual(['theirs', 'second']);
    expect(nextRouteParents([other], [], EBB, 't2')).toBeUndefined();
  });
});
