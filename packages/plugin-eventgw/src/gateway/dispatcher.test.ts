import { ManualClock } from '@ebb/core';
import { describe, expect, it } from 'vitest';
import { TargetDispatcher, type AcquireResult, type DispatchLimits, type Lease } from './dispatcher.ts';
import type { GatewayEndpoint } from './target-route.ts';

const ep = (id: string): GatewayEndpoint => ({ id, address: `127.0.0.${id.length}`, port: 8080 });
const limits = (over: Partial<DispatchLimits> = {}): DispatchLimits => ({ containerConcurrency: 1, queueLength: 10, queueTimeoutMs: 1000, ...over });

function lease(r: AcquireResult): Lease {
  if (r.kind !== 'lease') throw new Error(`expected a lease, got ${r.kind}`);
  return r.lease;
}

/** Records the order in which pending acquires resolve. */
function track(results: Array<[string, AcquireResult]>, name: string, p: Promise<AcquireResult>): void {
  void p.then((r) => results.push([name, r]));
}

const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('TargetDispatcher', () => {
  it('gives one slot per endpoint with containerConcurrency 1 and queues the rest in arrival order', async () => {
    const d = new TargetDispatcher(limits(), new ManualClock());
    d.setEndpoints([ep('a'), ep('b')]);
    const first = lease(await d.acquire());
    const second = lease(await d.acquire());
    expect(new Set([first.endpoint.id, second.endpoint.id])).toEqual(new Set(['a', 'b']));
    const done: Array<[string, AcquireResult]> = [];
    for (const n of ['r3', 'r4', 'r5']) track(done, n, d.acquire());
    await flush();
    expect(done).toEqual([]);
    expect(d.queued).toBe(3);
    expect(d.inFlight).toBe(2);
    first.release();
    await flush();
    expect(done.map(([n]) => n)).toEqual(['r3']);
    const third = lease((done[0] ?? ['', { kind: 'aborted' }])[1]);
    expect(third.endpoint.id).toBe(first.endpoint.id);
    second.release();
    third.release();
    await flush();
    expect(done.map(([n]) => n)).toEqual(['r3', 'r4', 'r5']);
    expect(Math.max(...d.load().values())).toBe(1);
  });

  it.each([
    { name: 'least loaded first', cc: 3, held: { a: 2, b: 0, c: 1 }, expected: 'b' },
    { name: 'ties go to the least recently used', cc: 3, held: { a: 1, b: 1, c: 1 }, expected: 'a' },
    { name: 'full endpoints are skipped', cc: 2, held: { a: 2, b: 2, c: 1 }, expected: 'c' },
    { name: 'unlimited (0) still picks the least loaded', cc: 0, held: { a: 50, b: 7, c: 9 }, expected: 'b' },
  ])('$name', async ({ cc, held, expected }) => {
    const d = new TargetDispatcher(limits({ containerConcurrency: cc }), new ManualClock());
    d.setEndpoints([ep('a'), ep('b'), ep('c')]);
    const want = new Map(Object.entries(held));
    const leases: Lease[] = [];
    while ([...want.values()].some((n) => n > 0)) {
      const l = lease(await d.acquire());
      const left = want.get(l.endpoint.id) ?? 0;
      if (left > 0) want.set(l.endpoint.id, left - 1);
      else leases.push(l);
    }
    for (const l of leases) l.release();
    expect(lease(await d.acquire()).endpoint.id).toBe(expected);
  });

  it('refuses with queue-full once queueLength waiters wait', async () => {
    const d = new TargetDispatcher(limits({ queueLength: 2 }), new ManualClock());
    void d.acquire();
    void d.acquire();
    expect(await d.acquire()).toEqual({ kind: 'queue-full', queued: 2 });
  });

  it('holds requests at zero endpoints, marks them cold, and serves them when an endpoint appears', async () => {
    const clock = new ManualClock();
    const d = new TargetDispatcher(limits({ queueTimeoutMs: 10_000 }), clock);
    const p = d.acquire();
    clock.advance(1500);
    d.setEndpoints([ep('a')]);
    const l = lease(await p);
    expect(l).toMatchObject({ coldStart: true, waitedMs: 1500, endpoint: { id: 'a' } });
    l.release();
    expect(lease(await d.acquire()).coldStart).toBe(false);
  });

  it('answers timeout when no slot frees within queueTimeoutMs, and drops the waiter', async () => {
    const clock = new ManualClock();
    const d = new TargetDispatcher(limits({ queueTimeoutMs: 300 }), clock);
    const p = d.acquire();
    clock.advance(299);
    expect(d.queued).toBe(1);
    clock.advance(1);
    expect(await p).toEqual({ kind: 'timeout', waitedMs: 300, coldStart: true });
    expect(d.queued).toBe(0);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('removes an aborted waiter at once and keeps the order of the others', async () => {
    const d = new TargetDispatcher(limits(), new ManualClock());
    d.setEndpoints([ep('a')]);
    const held = lease(await d.acquire());
    const ac = new AbortController();
    const done: Array<[string, AcquireResult]> = [];
    track(done, 'gone', d.acquire({ signal: ac.signal }));
    track(done, 'next', d.acquire());
    ac.abort();
    await flush();
    expect(d.queued).toBe(1);
    held.release();
    await flush();
    expect(done.map(([n, r]) => `${n}:${r.kind}`)).toEqual(['gone:aborted', 'next:lease']);
  });

  it('puts a retry at the front, past the length bound, and prefers endpoints it was told to avoid', async () => {
    const d = new TargetDispatcher(limits({ queueLength: 1 }), new ManualClock());
    d.setEndpoints([ep('a'), ep('bb')]);
    const a = lease(await d.acquire({ avoid: new Set(['bb']) }));
    expect(a.endpoint.id).toBe('a');
    const b = lease(await d.acquire());
    const done: Array<[string, AcquireResult]> = [];
    track(done, 'queued', d.acquire());
    track(done, 'retry', d.acquire({ front: true, avoid: new Set(['a']) }));
    a.release();
    await flush();
    expect(done.map(([n]) => n)).toEqual(['retry']);
    b.release();
    await flush();
    expect(done.map(([n]) => n)).toEqual(['retry', 'queued']);
  });

  it('keeps leases on an endpoint that went away valid but gives it no new ones', async () => {
    const d = new TargetDispatcher(limits(), new ManualClock());
    d.setEndpoints([ep('a')]);
    const old = lease(await d.acquire());
    d.setEndpoints([ep('bb')]);
    expect(d.inFlight).toBe(1);
    const next = lease(await d.acquire());
    expect(next.endpoint.id).toBe('bb');
    const waiting = d.acquire();
    old.release();
    await flush();
    expect(d.queued).toBe(1);
    next.release();
    expect(lease(await waiting).endpoint.id).toBe('bb');
    old.release();
    expect(d.inFlight).toBe(1);
  });

  it('hands out new slots when the limits grow', async () => {
    const d = new TargetDispatcher(limits(), new ManualClock());
    d.setEndpoints([ep('a')]);
    lease(await d.acquire());
    const waiting = d.acquire();
    d.setLimits(limits({ containerConcurrency: 2 }));
    expect(lease(await waiting).endpoint.id).toBe('a');
  });

  it('takes a free slot at once with tryAcquire, and leaves waiting (and its order) to acquire', async () => {
    const d = new TargetDispatcher(limits(), new ManualClock());
    expect(d.tryAcquire()).toBeUndefined();
    d.setEndpoints([ep('a'), ep('b')]);
    const a = d.tryAcquire({ avoid: new Set(['b']) });
    expect(a).toMatchObject({ endpoint: { id: 'a' }, coldStart: false, waitedMs: 0 });
    const b = d.tryAcquire();
    expect(b?.endpoint.id).toBe('b');
    expect(d.tryAcquire()).toBeUndefined();
    const done: Array<[string, AcquireResult]> = [];
    track(done, 'queued', d.acquire());
    a?.release();
    await flush();
    expect(done.map(([n, r]) => [n, r.kind === 'lease' ? r.lease.endpoint.id : r.kind])).toEqual([['queued', 'a']]);
    track(done, 'waiting', d.acquire());
    b?.release();
    // The freed slot went to the waiter at once: a newcomer finds none.
    expect(d.tryAcquire()).toBeUndefined();
    await flush();
    expect(done.map(([n, r]) => [n, r.kind === 'lease' ? r.lease.endpoint.id : r.kind])).toEqual([['queued', 'a'], ['waiting', 'b']]);
    d.close('gone');
    expect(d.tryAcquire({ front: true })).toBeUndefined();
    expect(d.inFlight).toBe(2);
  });

  it('refuses every waiter and later acquire once closed', async () => {
    const d = new TargetDispatcher(limits(), new ManualClock());
    const waiting = d.acquire();
    d.close('gone');
    expect(await waiting).toEqual({ kind: 'closed', reason: 'gone' });
    expect(await d.acquire()).toEqual({ kind: 'closed', reason: 'gone' });
  });

  describe('coordinated (slots shared with other replicas)', () => {
    it('starts every endpoint without slots and grants what the allowance says', async () => {
      let changes = 0;
      const d = new TargetDispatcher(limits({ containerConcurrency: 3 }), new ManualClock(), { coordinated: true, onChange: () => changes++ });
      d.setEndpoints([ep('a'), ep('b')]);
      expect(d.tryAcquire()).toBeUndefined();
      const waiting = d.acquire();
      expect(changes).toBe(2); // the endpoints, then the waiter
      d.setAllowance('b', 1);
      const first = lease(await waiting);
      expect(first.endpoint.id).toBe('b');
      expect(d.tryAcquire()).toBeUndefined();
      expect(d.usage()).toEqual([
        { id: 'a', inFlight: 0, allowance: 0, live: true },
        { id: 'b', inFlight: 1, allowance: 1, live: true },
      ]);
    });

    it('keeps leases above a lowered allowance, reports their release and does not reuse the slot', async () => {
      let changes = 0;
      const d = new TargetDispatcher(limits({ containerConcurrency: 2 }), new ManualClock(), { coordinated: true, onChange: () => changes++ });
      d.setEndpoints([ep('a')]);
      d.setAllowance('a', 2);
      const one = lease(await d.acquire());
      const two = lease(await d.acquire());
      d.setAllowance('a', 0);
      const before = changes;
      const waiting: Array<[string, AcquireResult]> = [];
      track(waiting, 'w', d.acquire());
      one.release();
      await flush();
      expect(waiting).toEqual([]);
      expect(changes).toBe(before + 2); // the waiter, then the release over the allowance
      d.setAllowance('a', 1);
      await flush();
      expect(waiting).toEqual([]); // one slot allowed, one still in flight
      two.release();
      await flush();
      expect(waiting.map(([n]) => n)).toEqual(['w']);
    });

    it('an endpoint that goes away with leases loses its allowance and counts them until released', async () => {
      const d = new TargetDispatcher(limits({ containerConcurrency: 1 }), new ManualClock(), { coordinated: true });
      d.setEndpoints([ep('a')]);
      d.setAllowance('a', 1);
      const held = lease(await d.acquire());
      d.setEndpoints([]);
      expect(d.usage()).toEqual([{ id: 'a', inFlight: 1, allowance: 0, live: false }]);
      d.setEndpoints([ep('a')]);
      expect(d.usage()).toEqual([{ id: 'a', inFlight: 1, allowance: 0, live: true }]);
      d.setAllowance('a', 1);
      expect(d.tryAcquire()).toBeUndefined();
      held.release();
      expect(d.tryAcquire()?.endpoint.id).toBe('a');
    });

    it('unlimited targets are never restricted', async () => {
      const d = new TargetDispatcher(limits({ containerConcurrency: 0 }), new ManualClock(), { coordinated: true });
      d.setEndpoints([ep('a')]);
      expect(d.tryAcquire()?.endpoint.id).toBe('a');
      expect(d.tryAcquire()?.endpoint.id).toBe('a');
    });
  });
});
