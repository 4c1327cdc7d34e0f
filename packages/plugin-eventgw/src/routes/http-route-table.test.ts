import { describe, expect, it } from 'vitest';
import { backend, NS, route, world } from '../test-support/route-world.ts';
import { compileRoutes } from './compile-routes.ts';
import type { HTTPRoute } from './gateway-api-types.ts';
import { HttpRouteTable, type RandomSource } from './http-route-table.ts';

const V1 = `${NS}/coffee-v1`;
const V2 = `${NS}/coffee-v2`;

function table(routes: HTTPRoute[], random: RandomSource = () => 0): HttpRouteTable {
  const t = new HttpRouteTable(random);
  t.set(compileRoutes(world(routes)).rules);
  return t;
}

const split = route('split', [
  { backendRefs: [backend('v1', 70), backend('v2', 30)] },
  { matches: [{ path: { type: 'PathPrefix', value: '/beta/' }, headers: [{ name: 'X-Version', value: 'v2' }] }], backendRefs: [backend('v2')] },
  { matches: [{ path: { type: 'Exact', value: '/health' } }], backendRefs: [backend('v1')] },
]);
const tag = route('tag', [{ backendRefs: [backend('v2', 5)] }], { hostnames: ['v2-coffee.example.com'] });
const wild = route('wild', [{ backendRefs: [backend('v1')] }], { hostnames: ['*.example.com'] });

describe('HttpRouteTable', () => {
  it.each([
    ['coffee.example.com', '/', {}, 0.69, V1],
    ['coffee.example.com', '/', {}, 0.7, V2],
    ['COFFEE.example.com:8080', '/x?y=1', {}, 0.1, V1],
    ['coffee.example.com', '/beta/x', { 'x-version': 'v2' }, 0.1, V2],
    ['coffee.example.com', '/beta', { 'x-version': 'v2' }, 0.1, V2],
    ['coffee.example.com', '/betamax', { 'x-version': 'v2' }, 0.1, V1],
    ['coffee.example.com', '/beta/x', { 'x-version': 'V2' }, 0.1, V1],
    ['coffee.example.com', '/health', {}, 0.9, V1],
    ['coffee.example.com', '/health/x', {}, 0.9, V2],
    ['v2-coffee.example.com', '/', {}, 0.1, V2],
    ['tea.example.com', '/', {}, 0.9, V1],
    ['a.b.example.com', '/', {}, 0.9, V1],
  ])('%s%s %o (draw %f) -> %s', (host, path, headers, draw, expected) => {
    expect(table([split, tag, wild], () => draw).pick(host, path, headers)).toEqual({ kind: 'target', key: expected });
  });

  it('matches no request for a host no rule serves', () => {
    const t = table([split, tag, wild]);
    expect(t.pick('example.com', '/', {})).toBeUndefined();
    expect(t.claims('example.com')).toBe(false);
    expect(t.claims('Coffee.Example.com:80')).toBe(true);
  });

  it('a 0 weight gets no request whatever the draw; all-zero weights and unresolved backends answer 500', () => {
    const zero = table([route('split', [{ backendRefs: [backend('v1', 0), backend('v2', 1)] }])], () => 0);
    expect(zero.pick('coffee.example.com', '/', {})).toEqual({ kind: 'target', key: V2 });
    const none = table([route('split', [{ backendRefs: [backend('v1', 0)] }])]);
    expect(none.pick('coffee.example.com', '/', {})).toMatchObject({ kind: 'error', status: 500, message: expect.stringMatching(/weight 0/) });
    const missing = table([route('split', [{ backendRefs: [backend('v3')] }])]);
    expect(missing.pick('coffee.example.com', '/', {})).toMatchObject({ kind: 'error', status: 500, message: expect.stringMatching(/does not resolve/) });
  });

  it('the older route wins a tie; a later one with the same match is shadowed', () => {
    const older = route('a-old', [{ backendRefs: [backend('v2')] }], { created: '2025-01-01T00:00:00Z' });
    const newer = route('0-new', [{ backendRefs: [backend('v1')] }], { created: '2026-06-01T00:00:00Z' });
    expect(table([newer, older]).pick('coffee.example.com', '/', {})).toEqual({ kind: 'target', key: V2 });
  });

  it('splits 70/30 in proportion to the weights over evenly spread draws', () => {
    let i = 0;
    const t = table([split], () => (i++ % 1000) / 1000);
    const counts = new Map<string, number>();
    for (let n = 0; n < 1000; n++) {
      const p = t.pick('coffee.example.com', '/', {});
      if (p?.kind === 'target') counts.set(p.key, (counts.get(p.key) ?? 0) + 1);
    }
    expect(Object.fromEntries(counts)).toEqual({ [V1]: 700, [V2]: 300 });
  });
});
