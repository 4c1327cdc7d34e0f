import type { GatewayStatsReport } from '@ebb/core';
import { describe, expect, it } from 'vitest';
import { ReplicaRates } from './replica-rates.ts';

const T0 = Date.UTC(2026, 0, 1);

function report(startedS: number, timeS: number, counts: Record<string, number>): GatewayStatsReport {
  return {
    gateway: 'gw-0',
    startedMs: T0 + startedS * 1000,
    timeMs: T0 + timeS * 1000,
    targets: Object.entries(counts).map(([target, requestCount]) => ({
      target,
      requestCount,
      inFlight: 0,
      queued: 0,
      coldStarts: 0,
      readyEndpoints: 1,
      containerConcurrency: 1,
    })),
  };
}

describe('ReplicaRates', () => {
  it.each([
    {
      name: 'counter delta over time: (180 - 120) / 2 s = 30/s',
      reports: [report(0, 100, { 'a/x': 120 }), report(0, 102, { 'a/x': 180 })],
      expected: [undefined, { 'a/x': 30 }],
    },
    {
      name: 'a restart counts from zero at the new start: 10 / 0.5 s = 20/s',
      reports: [report(0, 100, { 'a/x': 500 }), report(100.5, 101, { 'a/x': 10 })],
      expected: [undefined, { 'a/x': 20 }],
    },
    {
      name: 'a young replica seen first counts from its start: 6 / 1.5 s = 4/s',
      reports: [report(100, 101.5, { 'a/x': 6 })],
      expected: [{ 'a/x': 4 }],
    },
    {
      name: 'a target that went down (re-routed) counts from zero; a new target counts from zero',
      reports: [report(0, 100, { 'a/x': 50 }), report(0, 101, { 'a/x': 3, 'a/y': 7 })],
      expected: [undefined, { 'a/x': 3, 'a/y': 7 }],
    },
    {
      name: 'a report that is not newer gives no rate',
      reports: [report(0, 100, { 'a/x': 1 }), report(0, 100, { 'a/x': 2 })],
      expected: [undefined, undefined],
    },
  ])('$name', ({ reports, expected }) => {
    const rates = new ReplicaRates();
    const got = reports.map((r) => {
      const m = rates.update('http://127.0.0.1:9090', r);
      return m && Object.fromEntries(m);
    });
    expect(got).toEqual(expected);
  });

  it('keeps baselines per replica and forgets replicas that are gone', () => {
    const rates = new ReplicaRates();
    rates.update('a', report(0, 100, { 't/x': 10 }));
    rates.update('b', report(0, 100, { 't/x': 1000 }));
    expect(Object.fromEntries(rates.update('a', report(0, 101, { 't/x': 15 })) ?? [])).toEqual({ 't/x': 5 });
    rates.retain(['a']);
    expect(rates.update('b', report(0, 101, { 't/x': 1001 }))).toBeUndefined();
  });
});
