import type { GatewayStatsReport, GatewayTargetStats } from '@ebb/core';
import { describe, expect, it } from 'vitest';
import { GatewayFigures } from './gateway-round.ts';
import { ReplicaDemand } from './replica-demand.ts';

const T0 = Date.UTC(2026, 0, 1);

/** [in-flight, queued, demandMsTotal (undefined: a gateway from before the field)] per target. */
type Figures = Record<string, readonly [number, number, number | undefined]>;

function target(name: string, [inFlight, queued, demandMsTotal]: Figures[string], requestCount = 0): GatewayTargetStats {
  return {
    target: name,
    inFlight,
    queued,
    requestCount,
    coldStarts: 0,
    readyEndpoints: 1,
    containerConcurrency: 1,
    ...(demandMsTotal === undefined ? {} : { demandMsTotal, inFlightMsTotal: demandMsTotal }),
  };
}

function report(startedS: number, timeS: number, figures: Figures): GatewayStatsReport {
  return {
    gateway: 'gw-0',
    startedMs: T0 + startedS * 1000,
    timeMs: T0 + timeS * 1000,
    targets: Object.entries(figures).map(([name, f]) => target(name, f)),
  };
}

describe('ReplicaDemand', () => {
  it.each<{ name: string; reports: GatewayStatsReport[]; expected: Record<string, number> }>([
    {
      name: 'first report: the instantaneous figure (nothing to average from)',
      reports: [report(0, 100, { 'a/x': [2, 1, 80_000] })],
      expected: { 'a/x': 3 },
    },
    {
      name: 'three 200 ms requests in a second: (12,600 - 12,000) / 1000 ms = 0.6, none in flight at the poll',
      reports: [report(0, 100, { 'a/x': [0, 0, 12_000] }), report(0, 101, { 'a/x': [0, 0, 12_600] })],
      expected: { 'a/x': 0.6 },
    },
    {
      name: 'averaged over the time between the reports: 5,000 request-ms over 2 s = 2.5',
      reports: [report(0, 100, { 'a/x': [0, 0, 1_000] }), report(0, 102, { 'a/x': [1, 0, 6_000] })],
      expected: { 'a/x': 2.5 },
    },
    {
      name: 'a restart counts from zero at the new start: 400 request-ms in 0.5 s = 0.8',
      reports: [report(0, 100, { 'a/x': [0, 0, 90_000] }), report(100.5, 101, { 'a/x': [0, 0, 400] })],
      expected: { 'a/x': 0.8 },
    },
    {
      name: 'a target whose total went down (routed again) counts from zero over the interval',
      reports: [report(0, 100, { 'a/x': [0, 0, 5_000] }), report(0, 101, { 'a/x': [0, 0, 250] })],
      expected: { 'a/x': 0.25 },
    },
    {
      name: 'a target new since the last report counts from zero',
      reports: [report(0, 100, { 'a/x': [0, 0, 0] }), report(0, 101, { 'a/x': [0, 0, 0], 'a/y': [1, 0, 700] })],
      expected: { 'a/x': 0, 'a/y': 0.7 },
    },
    {
      name: 'a report that is not newer: the instantaneous figure',
      reports: [report(0, 100, { 'a/x': [0, 0, 100] }), report(0, 100, { 'a/x': [1, 0, 100] })],
      expected: { 'a/x': 1 },
    },
    {
      name: 'a gateway without the integral: the instantaneous figure',
      reports: [report(0, 100, { 'a/x': [1, 0, undefined] }), report(0, 101, { 'a/x': [0, 2, undefined] })],
      expected: { 'a/x': 2 },
    },
  ])('$name', ({ reports, expected }) => {
    const demand = new ReplicaDemand();
    let last = new Map<string, number>();
    for (const r of reports) last = new Map([...demand.update('http://10.0.0.7:9090', r)].map(([k, v]) => [k, v.average]));
    expect(Object.fromEntries(last)).toEqual(expected);
  });

  it('keeps baselines per replica and forgets replicas that are gone', () => {
    const demand = new ReplicaDemand();
    demand.update('a', report(0, 100, { 't/x': [0, 0, 1_000] }));
    demand.update('b', report(0, 100, { 't/x': [0, 0, 50_000] }));
    expect(demand.update('a', report(0, 101, { 't/x': [0, 0, 1_500] })).get('t/x')).toEqual({ average: 0.5, instant: 0, averaged: true });
    demand.retain(['a']);
    expect(demand.update('b', report(0, 101, { 't/x': [3, 0, 51_000] })).get('t/x')).toEqual({ average: 3, instant: 3, averaged: false });
  });
});

describe('GatewayFigures', () => {
  it('sums over replicas: averages, instantaneous and queued figures, rates', () => {
    const figures = new GatewayFigures();
    const round = (timeS: number, a: Figures, b: Figures, counts: [number, number]) =>
      figures.round([
        ['a', { ...report(0, timeS, {}), targets: Object.entries(a).map(([n, f]) => target(n, f, counts[0])) }],
        ['b', { ...report(50, timeS, {}), targets: Object.entries(b).map(([n, f]) => target(n, f, counts[1])) }],
      ]);
    const first = round(100, { 's/x': [1, 2, 0] }, { 's/x': [0, 0, 0] }, [10, 10]);
    expect(first.rpsComplete).toBe(false);
    expect(first.targets.get('s/x')).toEqual({ demand: 3, instant: 3, queued: 2, rps: 0 });
    // a: 1,500 request-ms in 1 s; b: 250. 6 + 4 requests since.
    const second = round(101, { 's/x': [0, 0, 1_500] }, { 's/x': [0, 1, 250] }, [16, 14]);
    expect(second.rpsComplete).toBe(true);
    expect(second.targets.get('s/x')).toEqual({ demand: 1.75, instant: 1, queued: 1, rps: 10 });
  });
});
