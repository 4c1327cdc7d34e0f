import { describe, expect, it } from 'vitest';
import { compileRoutes } from './compile-routes.ts';
import { backend, gateway, NS, route, world } from '../test-support/route-world.ts';

const V1 = `${NS}/coffee-v1`;
const V2 = `${NS}/coffee-v2`;

function conditions(w: ReturnType<typeof world>, name = 'split') {
  const plan = compileRoutes(w).statuses.get(`${NS}/${name}`);
  return plan?.parents.map((p) => Object.fromEntries(p.conditions.map((c) => [c.type, `${c.status} ${c.reason}`])));
}

describe('compileRoutes', () => {
  it('compiles a 70/30 split and a tag; the tagged 0 % version stays reachable', () => {
    const split = route('split', [{ backendRefs: [backend('v1', 100), backend('v2', 0)] }, { matches: [{ headers: [{ name: 'X-Version', value: 'v2' }] }], backendRefs: [backend('v2')] }]);
    const tag = route('tag', [{ backendRefs: [backend('v2')] }], { hostnames: ['v2-coffee.example.com'] });
    const c = compileRoutes(world([split, tag]));
    expect(c.rules.map((r) => [r.route, r.hostnames, r.backends])).toEqual([
      [`${NS}/split`, ['coffee.example.com'], [{ key: V1, weight: 100 }, { key: V2, weight: 0 }]],
      [`${NS}/split`, ['coffee.example.com'], [{ key: V2, weight: 1 }]],
      [`${NS}/tag`, ['v2-coffee.example.com'], [{ key: V2, weight: 1 }]],
    ]);
    expect(c.rules[1]?.matches).toEqual([{ pathType: 'PathPrefix', path: '/', headers: [{ name: 'x-version', value: 'v2' }] }]);
    expect([...c.reachable].sort()).toEqual([V1, V2]);
    expect(c.backends.get(V2)).toEqual({ ref: { namespace: NS, name: 'coffee-v2' }, key: V2, podPort: 8080, service: 'coffee-v2' });
    expect(conditions(world([split, tag]))).toEqual([{ Accepted: 'True Accepted', ResolvedRefs: 'True ResolvedRefs' }]);
  });

  it.each([
    ['weight 0 and no tag', [backend('v1', 1), backend('v2', 0)], [V1], [V1, V2]],
    ['both weighted', [backend('v1', 7), backend('v2', 3)], [V1, V2], [V1, V2]],
    ['only v2 referenced', [backend('v2')], [V2], [V2]],
  ])('reachability: %s', (_, refs, reachable, referenced) => {
    const c = compileRoutes(world([route('split', [{ backendRefs: refs }])]));
    expect([...c.reachable].sort()).toEqual(reachable);
    expect([...c.referenced].sort()).toEqual(referenced);
  });

  it('refuses a route with unsupported fields, naming each, and routes none of it', () => {
    const r = route('split', [
      { backendRefs: [backend('v1')], filters: [{ type: 'RequestHeaderModifier' }] },
      { matches: [{ path: { type: 'RegularExpression', value: '/a.*' }, queryParams: [{ name: 'a', value: 'b' }], method: 'GET' }], backendRefs: [backend('v1')], timeouts: { request: '1s' } },
    ]);
    const c = compileRoutes(world([r]));
    expect(c.rules).toEqual([]);
    expect(c.reachable.size).toBe(0);
    const accepted = c.statuses.get(`${NS}/split`)?.parents[0]?.conditions.find((x) => x.type === 'Accepted');
    expect(accepted).toMatchObject({ status: 'False', reason: 'UnsupportedValue', observedGeneration: 1 });
    for (const field of ['spec.rules[0].filters', 'spec.rules[1].timeouts', 'spec.rules[1].matches[0].queryParams', 'spec.rules[1].matches[0].method', 'spec.rules[1].matches[0].path.type']) {
      expect(accepted?.message).toContain(field);
    }
  });

  it.each([
    ['a missing Service', backend('v3'), 'BackendNotFound', /Service shop\/coffee-v3 not found/],
    ['a port the Service lacks', backend('v1', 1, { port: 81 }), 'BackendNotFound', /has no port 81/],
    ['another namespace', backend('v1', 1, { namespace: 'other' }), 'RefNotPermitted', /another namespace/],
    ['another kind', backend('v1', 1, { group: 'example.com', kind: 'Bucket' }), 'InvalidKind', /kind "Bucket"/],
  ])('ResolvedRefs False for %s; its share gets 500, the rest still routes', (_, bad, reason, message) => {
    const c = compileRoutes(world([route('split', [{ backendRefs: [backend('v2'), bad] }])]));
    const resolved = c.statuses.get(`${NS}/split`)?.parents[0]?.conditions.find((x) => x.type === 'ResolvedRefs');
    expect(resolved).toMatchObject({ status: 'False', reason });
    expect(resolved?.message).toMatch(message);
    expect(c.rules[0]?.backends).toEqual([{ key: V2, weight: 1 }, { key: undefined, weight: 1 }]);
    expect(conditions(world([route('split', [{ backendRefs: [backend('v2'), bad] }])]))?.[0]?.['Accepted']).toBe('True Accepted');
  });

  it('a Service selecting two Deployments does not resolve (one Deployment per version)', () => {
    const w = world([route('split', [{ backendRefs: [{ name: 'coffee', port: 80 }] }])]);
    const c = compileRoutes({ ...w, services: [...w.services, { namespace: NS, name: 'coffee', selector: { app: 'coffee' }, ports: [{ port: 80 }] }] });
    expect(c.statuses.get(`${NS}/split`)?.parents[0]?.conditions[1]?.message).toMatch(/selects the pods of 2 Deployments \(coffee-v1, coffee-v2\)/);
  });

  it.each([
    ['a Gateway of another class', { parent: 'foreign' }, undefined],
    ['a missing Gateway', { parent: 'nowhere' }, undefined],
  ])('writes no status for %s (not an Ebb parent)', (_, over, expected) => {
    expect(compileRoutes(world([route('split', [{ backendRefs: [backend('v1')] }], over)])).statuses.get(`${NS}/split`)).toBe(expected);
  });

  it.each([
    ['a listener hostname that excludes the route', { listeners: [{ name: 'http', port: 80, protocol: 'HTTP', hostname: 'tea.example.com' }] }, 'False NoMatchingListenerHostname'],
    ['an HTTPS-only listener', { listeners: [{ name: 'https', port: 443, protocol: 'HTTPS' }] }, 'False NotAllowedByListeners'],
    ['a wildcard listener hostname', { listeners: [{ name: 'http', port: 80, protocol: 'HTTP', hostname: '*.example.com' }] }, 'True Accepted'],
  ])('Accepted for %s', (_, spec, expected) => {
    const w = world([route('split', [{ backendRefs: [backend('v1')] }])], { gateways: [gateway('web', spec)] });
    expect(conditions(w)?.[0]?.['Accepted']).toBe(expected);
  });

  it.each([
    ['rollout keys without a state yet', { 'ebb.dev/rollout-duration': '60s' }, 'True Complete'],
    ['invalid rollout keys: weights apply at once', { 'ebb.dev/rollout-duration': 'soon' }, 'False InvalidParameters'],
    ['a rollout in progress', { 'ebb.dev/rollout-duration': '60s', 'ebb.dev/rollout-state': '{"current":{"ns/a":100}}' }, 'True Complete'],
  ])('the rollout condition for %s', (_, annotations, expected) => {
    const r = route('split', [{ backendRefs: [backend('v1')] }]);
    const w = world([{ ...r, metadata: { ...r.metadata, annotations } }]);
    expect(conditions(w)?.[0]?.['ebb.dev/RolloutProgressing']).toBe(expected);
    expect(conditions(w)?.[0]?.['Accepted']).toBe('True Accepted');
  });

  it('routes the split rule with the effective split of the rollout state; a tag rule keeps its weights', () => {
    const r = route('split', [{ backendRefs: [backend('v1', 0), backend('v2', 100)] }, { matches: [{ headers: [{ name: 'x-version', value: 'v2' }] }], backendRefs: [backend('v2')] }]);
    const state = { current: { [V1]: 80, [V2]: 20 }, to: { [V1]: 0, [V2]: 100 }, receiver: V2, step: 2 };
    const c = compileRoutes(world([{ ...r, metadata: { ...r.metadata, annotations: { 'ebb.dev/rollout-duration': '60s', 'ebb.dev/rollout-state': JSON.stringify(state) } } }]));
    expect(c.rules.map((x) => x.backends)).toEqual([[{ key: V1, weight: 80 }, { key: V2, weight: 20 }], [{ key: V2, weight: 1 }]]);
    expect([...c.reachable].sort()).toEqual([V1, V2]);
    const malformed = compileRoutes(world([{ ...r, metadata: { ...r.metadata, annotations: { 'ebb.dev/rollout-state': '{oops' } } }]));
    expect(malformed.rules[0]?.backends).toEqual([{ key: V1, weight: 0 }, { key: V2, weight: 100 }]);
  });

  it('NoMatchingParent for a sectionName the Gateway lacks; NotAllowedByListeners from another namespace by default', () => {
    const r = route('split', [{ backendRefs: [backend('v1')] }]);
    const missing = { ...r, spec: { ...r.spec, parentRefs: [{ name: 'web', sectionName: 'admin' }] } };
    expect(conditions(world([missing]))?.[0]?.['Accepted']).toBe('False NoMatchingParent');
    const elsewhere = { ...r, metadata: { ...r.metadata, namespace: 'elsewhere' }, spec: { ...r.spec, parentRefs: [{ name: 'web', namespace: NS }] } };
    expect(compileRoutes(world([elsewhere])).statuses.get('elsewhere/split')?.parents[0]?.conditions[0]).toMatchObject({ status: 'False', reason: 'NotAllowedByListeners' });
  });
});
