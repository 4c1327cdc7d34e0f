import { describe, expect, it } from 'vitest';
import { EXACT_EVENTGW, requestsTrace, simulateExact, START, tickSlot } from '../test-support/scenarios.ts';

/*
 * Timelines worked out by hand. Every function below is in tick slot 0, so the loop ticks it at every even
 * second; the gateway collector polls at every whole second, before a tick of the same instant, and records the
 * time-weighted average of in-flight + queued over the second before (a request in flight for 0.3 s of it counts
 * 0.3), and, when requests are queued at that instant, everything at the gateway then; pods take exactly 5 s to
 * turn Ready; one request per pod. With EXACT_EVENTGW the policy wants ceil(the larger of the two, recorded in
 * the tick's own second) pods, and core keeps one pod for the 6 s grace period after the last tick that wanted
 * any. A request that finds no Ready pod makes the gateway poke the scaler, which wakes a target at zero at once.
 */

describe('one request into zero', () => {
  // 10.3 s: arrives, no pod -> cold start, queued; the gateway's poke wakes the target: scale 0 -> 1 at once.
  // 11.0: average 0.7. 12.0, 14.0: ticks read 1. 15.3: pod Ready, request dispatched: waited 5 s; in flight
  // until 16.3. 16.0: average 1 (queued, then in flight). 17.0: 0.3. 18.0: tick reads 0, last wanting tick 16.0
  // -> grace keeps 1; 20.0 same; 22.0: 6 s -> scale 1 -> 0. The pod lived 10.3 .. 22.0 = 11.7 pod-seconds.
  // Idle: the pod has no request in flight while it starts (10.3 .. 15.3) and after it (16.3 .. 22.0): 10.7 s;
  // the target is warm with nothing to do only after the request (its request waits while the pod starts): 5.7 s.
  it.each([
    ['pod-seconds', 'podSeconds', 11.7],
    ['cost (no reserve: = pod-seconds)', 'cost', 11.7],
    ['idle pod-seconds', 'idlePodSeconds', 10.7],
    ['warm idle seconds', 'warmIdleSeconds', 5.7],
    ['cold starts', 'coldStarts', 1],
    ['cold start percentage', 'coldStartPercent', 100],
    ['wait p50 (ms)', 'waitP50Ms', 5000],
    ['wait p99 (ms)', 'waitP99Ms', 5000],
    ['max replicas', 'maxReplicas', 1],
    ['scale actions (0 -> 1 -> 0)', 'scaleActions', 2],
    ['requests', 'requests', 1],
  ] as const)('%s', async (_name, field, expected) => {
    expect(tickSlot('one-2')).toBe(0);
    const r = await simulateExact(requestsTrace('one-2', [[10.3, 1000]], 60), EXACT_EVENTGW);
    expect(r.configurations[0]!.functions[0]![field]).toBeCloseTo(expected, 6);
  });
});

describe('a burst into zero', () => {
  // 10 requests of 2 s at 30.2 s: all cold, all queued; the poke wakes the target: 0 -> 1 at 30.2. 31.0: average
  // 8, congested 10. 32.0: both 10 -> scale 1 -> 10. 35.2: the first pod is Ready and takes one request (until
  // 37.2); 37.0: the 9 others turn Ready and each takes one: waits 5 s once and 6.8 s nine times. 38.0: average
  // 9.2 -> 10. 40.0: tick reads 0 (all done at 39.0), grace -> scale 10 -> 1; 44.0: 6 s after the last wanting
  // tick (38.0) -> 1 -> 0. Pod-seconds: 1 x (44 - 30.2) + 9 x (40 - 32) = 85.8.
  // Idle pod-seconds: 85.8 minus 10 requests x 2 s in flight = 65.8; warm and idle from 39.0 to 44.0: 5 s.
  it.each([
    ['pod-seconds', 'podSeconds', 85.8],
    ['idle pod-seconds', 'idlePodSeconds', 65.8],
    ['warm idle seconds', 'warmIdleSeconds', 5],
    ['cold starts', 'coldStarts', 10],
    ['cold start percentage', 'coldStartPercent', 100],
    ['wait p50 (ms)', 'waitP50Ms', 6800],
    ['wait p99 (ms)', 'waitP99Ms', 6800],
    ['max replicas', 'maxReplicas', 10],
    ['scale actions (0 -> 1 -> 10 -> 1 -> 0)', 'scaleActions', 4],
  ] as const)('%s', async (_name, field, expected) => {
    expect(tickSlot('burst-8')).toBe(0);
    const burst = Array.from({ length: 10 }, () => [30.2, 2000] as const);
    const r = await simulateExact(requestsTrace('burst-8', burst, 90), EXACT_EVENTGW);
    expect(r.configurations[0]!.functions[0]![field]).toBeCloseTo(expected, 6);
  });

  it('counts only the requests that found no Ready pod as cold starts', async () => {
    // A second request at 40.5 s finds the pod kept by the grace period: no cold start, no wait.
    const burst = [...Array.from({ length: 10 }, () => [30.2, 2000] as const), [40.5, 100] as const];
    const f = (await simulateExact(requestsTrace('burst-8', burst, 90), EXACT_EVENTGW)).configurations[0]!.functions[0]!;
    expect(f.coldStarts).toBe(10);
    expect(f.coldStartPercent).toBeCloseTo((10 / 11) * 100, 3);
    expect(f.waitP50Ms).toBe(6800);
  });
});

describe('a cron window in a real time zone', () => {
  // 05:30-05:32 in Asia/Kolkata (UTC+5:30) is 00:00-00:02 UTC. The run starts at 23:58 UTC without traffic.
  // 00:00:00 (120 s): the boundary pokes the loop, cron's floor 3 -> scale 0 -> 3. 00:02:00 (240 s): the window
  // ends (end exclusive) and the boundary pokes before that second's sample: eventgw has no data for the second
  // and cron no opinion, so core holds at 3 (that tick still wants pods); the regular tick right after reads the
  // sample (0) -> grace keeps 1 (3 -> 1); 246 s: 6 s after 240 s -> 0. Pod-seconds: 3 x 120 + 1 x 6 = 366.
  // No request: all 366 pod-seconds are idle, and the target is warm for nothing from 120 s to 246 s.
  const annotations = {
    ...EXACT_EVENTGW,
    'ebb.dev/policies': 'eventgw,cron',
    'ebb.dev/cron': '- name: morning\n  start: "30 5 * * *"\n  duration: 2m\n  timezone: Asia/Kolkata\n  replicas: 3\n',
  };
  const run = () => simulateExact(requestsTrace('cron-17', [], 360, START - 120_000), annotations);

  it.each([
    ['pod-seconds', 'podSeconds', 366],
    ['idle pod-seconds', 'idlePodSeconds', 366],
    ['warm idle seconds', 'warmIdleSeconds', 126],
    ['max replicas', 'maxReplicas', 3],
    ['scale actions (0 -> 3 -> 1 -> 0)', 'scaleActions', 3],
    ['cold starts', 'coldStarts', 0],
  ] as const)('%s', async (_name, field, expected) => {
    expect(tickSlot('cron-17')).toBe(0);
    expect((await run()).configurations[0]!.functions[0]![field]).toBeCloseTo(expected, 6);
  });

  it('has no waits without requests', async () => {
    const f = (await run()).configurations[0]!.functions[0]!;
    expect([f.requests, f.waitP50Ms, f.waitP99Ms]).toEqual([0, null, null]);
  });

  it('is Ready from 5 s into the window: the chart shows 3 pods from the bucket of 00:00:05', async () => {
    const s = (await run()).configurations[0]!.series[0]!;
    // Buckets are whole seconds for a 6-minute span (360 s / 720, rounded up to 1 s); bucket 120 is 00:00:00.
    expect(s.ready.slice(119, 127)).toEqual([0, 0, 0, 0, 0, 0, 3, 3]);
  });
});

describe('a reserve pod instead of zero', () => {
  // The run starts at zero with the reserve Ready (1 pod). A 5 s request at 10.3 s goes to the reserve pod: no
  // cold start, no wait. 12.0: tick wants 1 -> core's swap lets the loop scale the target 0 -> 1 (waking); the
  // pod is Ready at 17.0. 16.0: the request was in flight for 0.3 s of the second: average 0.3 -> still 1 pod.
  // 18.0: the target serves -> the swap scales the reserve to 0 (its pod is idle: gone). 22.0: 6 s after the
  // last wanting tick (16.0) the loop wants 0: the swap asks the reserve for 1 pod again and holds the target;
  // 27.0: the reserve pod is Ready; 28.0: the target goes 1 -> 0.
  // Standard: 12 .. 28 = 16 s. Reserve: 0 .. 18 and 22 .. 60 = 56 s. Cost at ratio 0.54: 16 + 30.24 = 46.24.
  // Idle pod-seconds: 16 + 56 minus the request's 5 s on the reserve pod = 67; the target always has a pod: warm
  // and idle for 60 - 5 = 55 s.
  const annotations = { ...EXACT_EVENTGW, 'ebb.dev/reserve': 'true' };
  const run = () => simulateExact(requestsTrace('reserve-2', [[10.3, 5000]], 60), annotations);

  it.each([
    ['standard pod-seconds', 'podSeconds', 16],
    ['reserve pod-seconds', 'reservePodSeconds', 56],
    ['idle pod-seconds (standard and reserve)', 'idlePodSeconds', 67],
    ['warm idle seconds', 'warmIdleSeconds', 55],
    ['cost, reserve at 0.54 of the price', 'cost', 46.24],
    ['cold starts', 'coldStarts', 0],
    ['wait p99 (ms)', 'waitP99Ms', 0],
    ['max replicas', 'maxReplicas', 1],
    ['scale actions of the target', 'scaleActions', 2],
    ['reserve actions (to 0, back to 1)', 'reserveActions', 2],
  ] as const)('%s', async (_name, field, expected) => {
    expect(tickSlot('reserve-2')).toBe(0);
    expect((await run()).configurations[0]!.functions[0]![field]).toBeCloseTo(expected, 6);
  });

  it('prices reserve pods by the configured ratio', async () => {
    const r = await simulateExact(requestsTrace('reserve-2', [[10.3, 5000]], 60), annotations, { reservePriceRatio: 0.25 });
    expect(r.configurations[0]!.functions[0]!.cost).toBeCloseTo(16 + 0.25 * 56, 6);
  });
});
