import type { V1Deployment } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { backend, NS, route, world } from '../test-support/route-world.ts';
import { compileRoutes } from './compile-routes.ts';
import type { HTTPRoute } from './gateway-api-types.ts';
import { changedTargets, unreachableTargets } from './route-reachability.ts';

const V1 = `${NS}/coffee-v1`;
const V2 = `${NS}/coffee-v2`;
const split = (v1: number, v2: number) => route('split', [{ backendRefs: [backend('v1', v1), backend('v2', v2)] }]);
const tag = route('tag', [{ backendRefs: [backend('v2')] }], { hostnames: ['v2-coffee.example.com'] });
const refused = (r: HTTPRoute): HTTPRoute => ({ ...r, spec: { ...r.spec, rules: [{ ...r.spec?.rules?.[0], filters: [{ type: 'URLRewrite' }] }] } });

function unreachable(routes: HTTPRoute[], deployments: ReadonlyMap<string, V1Deployment> = new Map()): string[] {
  return [...unreachableTargets(compileRoutes(world(routes)), deployments)].sort();
}

describe('unreachableTargets', () => {
  it.each([
    ['70/30: both reachable', [split(70, 30)], []],
    ['100/0 without a tag: v2 unreachable', [split(100, 0)], [V2]],
    ['100/0 with a tag for v2: both reachable', [split(100, 0), tag], []],
    ['0/0: both unreachable (the rule answers 500)', [split(0, 0)], [V1, V2]],
    ['no route: nothing is a version, all reachable', [], []],
    ['a refused route makes nothing unreachable (a typo must not scale versions down)', [refused(split(70, 30)), refused(split(100, 0))], []],
    ['a refused tag does not keep v2 reachable', [split(100, 0), refused(tag)], [V2]],
  ])('%s', (_, routes, expected) => {
    expect(unreachable(routes)).toEqual(expected);
  });

  it('a version with an annotation host of its own stays reachable through it', () => {
    const annotated = new Map([[V2, { metadata: { annotations: { 'ebb.dev/eventgw.host': 'v2.example.com' } } }]]);
    expect(unreachable([split(100, 0)], annotated)).toEqual([]);
  });

  it('changedTargets lists what changed either way, sorted', () => {
    expect(changedTargets(new Set(['a', 'b']), new Set(['b', 'c']))).toEqual(['a', 'c']);
    expect(changedTargets(new Set(['a']), new Set(['a']))).toEqual([]);
  });
});
