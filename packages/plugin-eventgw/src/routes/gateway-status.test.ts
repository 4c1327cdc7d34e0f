import { describe, expect, it } from 'vitest';
import { backend, gateway, NS, route, world } from '../test-support/route-world.ts';
import { compileRoutes } from './compile-routes.ts';
import { gatewayClassConditions, gatewayStatusPlan, nextObjectStatus } from './gateway-status.ts';

const summary = (c: ReadonlyArray<{ type: string; status: string; reason: string }>) => c.map((x) => `${x.type}=${x.status} ${x.reason}`);

describe('gatewayStatusPlan', () => {
  it('counts the accepted routes attached to each listener, and serves HTTP listeners only', () => {
    const gw = gateway('web', {
      listeners: [
        { name: 'http', port: 80, protocol: 'HTTP' },
        { name: 'shop', port: 8080, protocol: 'HTTP', hostname: '*.shop.example.com' },
        { name: 'tls', port: 443, protocol: 'HTTPS' },
      ],
    });
    const refused = route('refused', [{ backendRefs: [backend('v1')], filters: [{ type: 'URLRewrite' }] }]);
    const routes = [route('a', [{ backendRefs: [backend('v1')] }]), route('b', [{ backendRefs: [backend('v2')] }], { hostnames: ['b.shop.example.com'] }), refused];
    const compiled = compileRoutes(world(routes, { gateways: [gw] }));
    const plan = gatewayStatusPlan(gw, compiled.attachedRoutes.get(`${NS}/web`));
    expect(plan.listeners.map((l) => [l.name, l.attachedRoutes, l.supportedKinds.map((k) => k.kind), summary(l.conditions)])).toEqual([
      ['http', 2, ['HTTPRoute'], ['Accepted=True Accepted', 'Programmed=True Programmed', 'ResolvedRefs=True ResolvedRefs']],
      ['shop', 1, ['HTTPRoute'], ['Accepted=True Accepted', 'Programmed=True Programmed', 'ResolvedRefs=True ResolvedRefs']],
      ['tls', 0, [], ['Accepted=False UnsupportedProtocol', 'Programmed=False Invalid', 'ResolvedRefs=True ResolvedRefs']],
    ]);
    expect(summary(plan.conditions)).toEqual(['Accepted=True Accepted', 'Programmed=True Programmed']);
  });

  it('a Gateway without an HTTP listener is not accepted', () => {
    const plan = gatewayStatusPlan(gateway('web', { listeners: [{ name: 'tls', port: 443, protocol: 'HTTPS' }] }), undefined);
    expect(summary(plan.conditions)).toEqual(['Accepted=False ListenersNotValid', 'Programmed=False Invalid']);
  });
});

describe('nextObjectStatus', () => {
  it('writes once, then nothing while nothing changes; keeps transition times while a status stays', () => {
    const first = nextObjectStatus(undefined, { conditions: gatewayClassConditions(3) }, 't1');
    expect(first?.conditions).toEqual([expect.objectContaining({ type: 'Accepted', status: 'True', observedGeneration: 3, lastTransitionTime: 't1' })]);
    expect(nextObjectStatus(first, { conditions: gatewayClassConditions(3) }, 't2')).toBeUndefined();
    expect(nextObjectStatus(first, { conditions: gatewayClassConditions(4) }, 't2')?.conditions?.[0]).toMatchObject({ observedGeneration: 4, lastTransitionTime: 't1' });
  });

  it('compares listeners too: a new attached route is a write', () => {
    const gw = gateway();
    const none = nextObjectStatus(undefined, gatewayStatusPlan(gw, undefined), 't1');
    expect(nextObjectStatus(none, gatewayStatusPlan(gw, undefined), 't2')).toBeUndefined();
    expect(nextObjectStatus(none, gatewayStatusPlan(gw, new Map([['http', 1]])), 't2')?.listeners?.[0]).toMatchObject({ attachedRoutes: 1 });
  });
});
