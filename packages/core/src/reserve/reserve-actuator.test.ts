import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../contracts/clock.ts';
import { ErrorCodes, isEbbError } from '../contracts/errors.ts';
import { FakeReserveWorld, httpError } from './test-support/fake-reserve-world.ts';
import { ReserveActuator } from './reserve-actuator.ts';
import type { ReserveObserver } from './reserve-observer.ts';

const ON = { 'ebb.dev/reserve': 'true', 'ebb.dev/reserve.ready-timeout': '30s' };

let world: FakeReserveWorld;
let clock: ManualClock;
let seen: string[];
let actuator: ReserveActuator;

const observer: ReserveObserver = {
  phase: (_t, p) => void seen.push(`phase ${p}`),
  notReady: (_t, n) => void seen.push(`notReady ${n}`),
  action: (_t, a, r) => void seen.push(`action ${a} ${r}`),
  forget: () => void seen.push('forget'),
};

function setup(annotations: Record<string, string>, spec = 1): void {
  world = new FakeReserveWorld(annotations, spec);
  clock = new ManualClock();
  seen = [];
  actuator = new ReserveActuator({ inner: world.inner, client: world, watch: world, clock, events: world.sink, observer });
}

/** One loop tick: reconcile, then the scale the loop would make when desired differs and nothing holds. */
async function tick(desired: number): Promise<string | undefined> {
  const { hold } = await actuator.reconcile(world.target, desired);
  if (hold === undefined && desired !== world.target.specReplicas) {
    await actuator.scale(world.target, desired);
    world.targetWith({ specReplicas: desired, readyReplicas: Math.min(world.target.readyReplicas, desired) });
  }
  return hold;
}

describe('ReserveActuator', () => {
  beforeEach(() => setup(ON));

  it('passes targets without a reserve straight through, reading nothing', async () => {
    setup({});
    expect(await actuator.reconcile(world.target, 0)).toEqual({});
    await actuator.scale(world.target, 0);
    expect(world.calls).toEqual(['scale-target 0']);
    expect(seen).toEqual([]);
  });

  it('goes to zero only after the reserve is Ready, one step per tick, and says what it did', async () => {
    expect(await tick(0)).toMatch(/being created/);
    expect(world.calls).toEqual(['readTarget', 'create 1']);
    // The watch has not shown the new reserve yet: nothing is created twice, the target still holds.
    expect(await tick(0)).toMatch(/not yet visible/);
    expect(world.calls).toEqual(['readTarget', 'create 1']);
    world.sync();
    expect(await tick(0)).toMatch(/0 of 1 reserve pods Ready/);
    world.ready(1);
    expect(await tick(0)).toBeUndefined();
    expect(world.scaled).toEqual([0]);
    expect(await tick(0)).toBeUndefined();
    // The target changed (it is at zero now): its template is read again, once.
    expect(world.calls).toEqual(['readTarget', 'create 1', 'scale-target 0', 'readTarget']);
    expect(world.events.map((e) => `${e.type} ${e.reason}`)).toEqual(['Normal ReserveCreated']);
    expect(world.events[0]?.message).toBe('created reserve web-reserve (1 pod); web goes to zero once it is Ready');
    expect(seen.filter((s) => s.startsWith('phase'))).toEqual(['phase warming', 'phase settling', 'phase warming', 'phase swapping', 'phase reserve']);
    expect(world.reserve().metadata?.ownerReferences?.[0]?.uid).toBe('uid-web');
  });

  it('refuses a scale to zero while the swap holds, even when asked directly', async () => {
    await actuator.reconcile(world.target, 0);
    const e = await actuator.scale(world.target, 0).catch((x: unknown) => x);
    expect(isEbbError(e, ErrorCodes.SCALE_FAILED)).toBe(true);
    expect(String(e)).toContain('not scaling ns/web to zero');
    expect(world.scaled).toEqual([]);
  });

  it('swaps back: the target first, the reserve to zero once the target serves', async () => {
    await tick(0);
    world.sync();
    world.ready(1);
    await tick(0);
    expect(world.target.specReplicas).toBe(0);
    expect(await tick(2)).toBeUndefined();
    expect(world.scaled).toEqual([0, 2]);
    world.targetWith({ readyReplicas: 0 });
    await tick(2);
    expect(world.reserve().spec?.replicas).toBe(1);
    world.targetWith({ readyReplicas: 1 });
    await tick(2);
    expect(world.reserve().spec?.replicas).toBe(0);
    expect(world.events.at(-1)).toEqual({ type: 'Normal', reason: 'ReserveScaled', message: 'scaled reserve web-reserve to 0: web serves with 1 pod Ready' });
    // Going idle again reuses the reserve, recording when it was asked for pods.
    world.ready(0);
    clock.advance(5_000);
    expect(await tick(0)).toMatch(/0 of 1/);
    expect(world.reserve().spec?.replicas).toBe(1);
    expect(world.reserve().metadata?.annotations?.['ebb.dev/reserve-requested-at']).toBe(new Date(clock.now()).toISOString());
  });

  it('reports a reserve that does not become Ready in time once, with the pods, and keeps the target up', async () => {
    await tick(0);
    world.sync();
    clock.advance(29_000);
    await tick(0);
    expect(world.events.filter((e) => e.type === 'Warning')).toEqual([]);
    clock.advance(2_000);
    for (let i = 0; i < 3; i++) expect(await tick(0)).toMatch(/not Ready: 0 of 1/);
    const warnings = world.events.filter((e) => e.type === 'Warning');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.reason).toBe('ReserveNotReady');
    expect(warnings[0]?.message).toBe(
      'reserve web-reserve: 0 of 1 reserve pods Ready 31s after they were asked for; web stays up with 1 replica and does not go to zero; ' +
        'pod web-reserve-1: not Ready: ContainersNotReady: containers with unready status: [app]',
    );
    expect(seen.filter((s) => s.startsWith('notReady'))).toEqual(['notReady true']);
    expect(world.scaled).toEqual([]);
    world.ready(1);
    expect(await tick(0)).toBeUndefined();
    expect(seen.filter((s) => s.startsWith('notReady'))).toEqual(['notReady true', 'notReady false']);
  });

  it('brings a target pod back when the idle reserve loses its pods', async () => {
    await tick(0);
    world.sync();
    world.ready(1);
    await tick(0);
    // Long after it was asked for pods, the reserve loses them.
    clock.advance(600_000);
    world.ready(0);
    await tick(0);
    expect(world.scaled).toEqual([0, 1]);
    expect(world.events.map((e) => e.reason)).toEqual(['ReserveCreated', 'ReserveNotReady', 'ReserveFallback']);
    expect(world.events[1]?.message).toContain('web is scaled to 1 until the reserve is Ready');
  });

  it('holds zero on invalid settings and reports them once, never holding a scale up', async () => {
    setup({ 'ebb.dev/reserve': 'yes' });
    expect(await tick(0)).toMatch(/reserve settings are invalid: invalid value "yes" for ebb.dev\/reserve/);
    expect(await tick(0)).toMatch(/invalid/);
    expect(await actuator.reconcile(world.target, 3)).toEqual({});
    expect(world.events.map((e) => `${e.type} ${e.reason}`)).toEqual(['Warning InvalidReserveConfig']);
    expect(world.calls).toEqual([]);
  });

  it('leaves a taken name alone, reports it, and tries again later', async () => {
    world.stored.set('ns/web-reserve', { metadata: { name: 'web-reserve', namespace: 'ns', resourceVersion: '1' } });
    expect(await tick(0)).toMatch(/being created/);
    expect(await tick(0)).toMatch(/not this target's reserve/);
    expect(world.events.map((e) => e.reason)).toEqual(['ReserveConflict']);
    expect(seen).toContain('action create error');
    world.stored.delete('ns/web-reserve');
    clock.advance(31_000);
    await tick(0);
    expect(world.calls.filter((c) => c.startsWith('create'))).toEqual(['create 1']);
  });

  it('reads the target template only when the target changed', async () => {
    await tick(0);
    world.sync();
    await tick(0);
    await tick(0);
    expect(world.calls.filter((c) => c === 'readTarget')).toHaveLength(1);
    world.targetWith({});
    await tick(0);
    expect(world.calls.filter((c) => c === 'readTarget')).toHaveLength(2);
  });

  it('updates the reserve when the target template changes, and removes it when turned off', async () => {
    await tick(0);
    world.sync();
    world.ready(1);
    await tick(0);
    world.container.image = 'web:2';
    world.targetWith({});
    await tick(0);
    expect(world.calls.at(-1)).toBe('replace 1');
    expect(world.reserve().spec?.template.spec?.containers[0]?.image).toBe('web:2');
    world.sync();
    world.targetWith({ annotations: { 'ebb.dev/reserve': 'false' } });
    await tick(0);
    expect(world.calls.at(-1)).toBe('delete-reserve');
    world.sync();
    expect(await actuator.reconcile(world.target, 0)).toEqual({});
    expect(seen.at(-1)).toBe('forget');
  });

  it('never throws: a failed read holds zero and lets a scale up through', async () => {
    world.failNext = { op: 'readTarget', status: 500 };
    expect((await actuator.reconcile(world.target, 0)).hold).toMatch(/reserve step failed: HTTP 500/);
    world.failNext = { op: 'readTarget', status: 500 };
    await tick(0);
    world.sync();
    world.failNext = { op: 'readTarget', status: 500 };
    world.targetWith({});
    expect(await actuator.reconcile(world.target, 4)).toEqual({});
  });

  it('a write that raced (409) is decided again on the next tick', async () => {
    await tick(0);
    world.sync();
    world.ready(1);
    await tick(0);
    await tick(2);
    world.targetWith({ readyReplicas: 2 });
    world.failNext = { op: 'scale', status: 409 };
    await tick(2);
    expect(seen).toContain('action scale-reserve error');
    expect(world.reserve().spec?.replicas).toBe(1);
    await tick(2);
    expect(world.reserve().spec?.replicas).toBe(0);
  });

  it('shapes errors like the apiserver', () => expect(httpError(409).code).toBe(409));
});
