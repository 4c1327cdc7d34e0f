import { describe, expect, it } from 'vitest';
import { EXACT_EVENTGW, requestsTrace, simulateExact } from '../test-support/scenarios.ts';
import type { SimulationResult } from './run-simulation.ts';

/** `perSecond` requests of `durationMs` each, evenly spaced from `fromS` for `forS` seconds. */
function steady(perSecond: number, durationMs: number, fromS: number, forS: number): Array<readonly [number, number]> {
  return Array.from({ length: perSecond * forS }, (_, i) => [fromS + i / perSecond, durationMs] as const);
}

/** The one function's figures and chart series of a one-configuration run. */
function only(r: SimulationResult) {
  const c = r.configurations[0];
  const f = c?.functions[0];
  const s = c?.series[0];
  if (!f || !s) throw new Error('expected one configuration with one function');
  return { f, s };
}

describe('steady traffic of sub-second requests', () => {
  // 3 requests of 200 ms a second, 0.1 s, 0.43 s and 0.77 s into each second: none is in flight at a whole
  // second, when the gateway is polled, so a sample of that instant reads 0 every time and the target would go
  // to zero (and cold-start) over and over. The time-weighted average reads 0.6 every second: 1 pod throughout.
  const run = () => simulateExact(requestsTrace('steady-short', steady(3, 200, 0.1, 120), 120), EXACT_EVENTGW, { initialReplicas: 1 });

  it('keeps the target at one pod: no scaling, no cold start', async () => {
    const { f } = only(await run());
    expect([f.requests, f.coldStarts, f.scaleActions, f.maxReplicas]).toEqual([360, 0, 0, 1]);
    expect([f.waitP50Ms, f.waitP99Ms]).toEqual([0, 0]);
  });

  it('never shows zero Ready pods while the traffic flows', async () => {
    const { s } = only(await run());
    expect(s.ready.length).toBeGreaterThan(100);
    expect(Math.min(...s.ready)).toBe(1);
  });

  it('still scales to zero once the traffic stops', async () => {
    const trace = requestsTrace('steady-short', steady(3, 200, 0.1, 30), 60);
    const { f } = only(await simulateExact(trace, EXACT_EVENTGW, { initialReplicas: 1 }));
    expect([f.coldStarts, f.scaleActions]).toEqual([0, 1]);
    // The last request ends at 30.07 s; the average of second 31 is 0.07, then 0: about 6 s of grace later, zero.
    expect(f.podSeconds).toBeGreaterThan(30);
    expect(f.podSeconds).toBeLessThan(40);
  });
});
