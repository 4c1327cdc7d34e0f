import { ManualClock } from '@ebb/core';
import { describe, expect, it } from 'vitest';
import { DemandIntegral } from './demand-integral.ts';
import { TargetDispatcher, type AcquireResult, type DispatchLimits, type Lease } from './dispatcher.ts';

/** [ms, in-flight, queued] from that time on. */
type Step = readonly [number, number, number];

describe('DemandIntegral', () => {
  it.each<{ name: string; steps: Step[]; atMs: number; demandMs: number; inFlightMs: number }>([
    {
      name: '3 requests of 200 ms in one second: 600 request-ms (average 0.6)',
      steps: [
        [100, 1, 0],
        [300, 0, 0],
        [500, 1, 0],
        [700, 0, 0],
        [800, 1, 0],
        [1000, 0, 0],
      ],
      atMs: 1000,
      demandMs: 600,
      inFlightMs: 600,
    },
    {
      name: 'queued requests count as demand, not in flight: 2 x 1000 queued + 2 x 500 served',
      steps: [
        [0, 0, 2],
        [1000, 2, 0],
        [1500, 0, 0],
      ],
      atMs: 2000,
      demandMs: 3000,
      inFlightMs: 1000,
    },
    { name: 'the part since the last change counts at report time: 3 x 250', steps: [[0, 3, 0]], atMs: 250, demandMs: 750, inFlightMs: 750 },
    {
      name: 'several changes at one instant add nothing in between',
      steps: [
        [0, 1, 0],
        [500, 0, 1],
        [500, 1, 0],
        [1000, 0, 0],
      ],
      atMs: 1000,
      demandMs: 1000,
      inFlightMs: 1000,
    },
    {
      name: 'a clock step back adds nothing (and nothing is taken away)',
      steps: [
        [1000, 1, 0],
        [900, 2, 0],
      ],
      atMs: 1100,
      demandMs: 200,
      inFlightMs: 200,
    },
    { name: 'nothing before the start', steps: [[0, 4, 1]], atMs: -50, demandMs: 0, inFlightMs: 0 },
  ])('$name', ({ steps, atMs, demandMs, inFlightMs }) => {
    const integral = new DemandIntegral(0);
    for (const [ms, inFlight, queued] of steps) integral.set(ms, inFlight, queued);
    expect(integral.totalsAt(atMs)).toEqual({ demandMs, inFlightMs });
  });
});

const ep = { id: 'a', address: '127.0.0.1', port: 8080 };
const limits = (over: Partial<DispatchLimits> = {}): DispatchLimits => ({ containerConcurrency: 1, queueLength: 10, queueTimeoutMs: 1000, ...over });
const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

function lease(r: AcquireResult): Lease {
  if (r.kind !== 'lease') throw new Error(`expected a lease, got ${r.kind}`);
  return r.lease;
}

/** A dispatcher on a manual clock, with the time relative to its creation. */
function dispatcher(over: Partial<DispatchLimits> = {}) {
  const clock = new ManualClock();
  const t0 = clock.now();
  const d = new TargetDispatcher(limits(over), clock);
  return { d, clock, at: (ms: number) => clock.advanceTo(t0 + ms), totals: () => d.demandTotals() };
}

describe('TargetDispatcher demand totals', () => {
  it('integrates leases and waiters: a queued request handed a slot by a release', async () => {
    const { d, at, totals } = dispatcher();
    d.setEndpoints([ep]);
    const first = lease(await d.acquire());
    const second = d.acquire();
    at(200);
    first.release();
    const next = lease(await second);
    at(500);
    next.release();
    at(1000);
    // 0..200: 1 in flight + 1 queued; 200..500: 1 in flight.
    expect(totals()).toEqual({ demandMs: 2 * 200 + 300, inFlightMs: 200 + 300 });
  });

  it('counts a held request until its wait times out, and nothing after', async () => {
    const { d, at, totals } = dispatcher({ queueTimeoutMs: 1000 });
    const held = d.acquire();
    at(2000);
    expect((await held).kind).toBe('timeout');
    expect(totals()).toEqual({ demandMs: 1000, inFlightMs: 0 });
  });

  it('counts a waiter until its client goes away, and waiters refused by close until then', async () => {
    const { d, at, totals } = dispatcher();
    const abort = new AbortController();
    const gone = d.acquire({ signal: abort.signal });
    const refused = [d.acquire(), d.acquire()];
    at(300);
    abort.abort();
    at(400);
    d.close('gone');
    at(900);
    expect((await gone).kind).toBe('aborted');
    expect((await Promise.all(refused)).map((r) => r.kind)).toEqual(['closed', 'closed']);
    await flush();
    expect(totals()).toEqual({ demandMs: 3 * 300 + 2 * 100, inFlightMs: 0 });
  });

  it('counts a slot taken on the fast path like any other', () => {
    const { d, at, totals } = dispatcher();
    d.setEndpoints([ep]);
    const l = d.tryAcquire();
    at(50);
    l?.release();
    l?.release();
    at(100);
    expect(totals()).toEqual({ demandMs: 50, inFlightMs: 50 });
  });
});
