import { fnv1a } from '@ebb/core';
import { runSimulation, type SimulationResult } from '../run/run-simulation.ts';
import type { SimulationOptions } from '../run/simulation-options.ts';
import { SIM_NAMESPACE } from '../run/simulate-configuration.ts';
import { traceFunctionOf, type Trace } from '../trace/trace.ts';

/** Monday 2026-01-05T00:00:00Z: a multiple of 2 s, so a target in tick slot 0 ticks at every even second. */
export const START = Date.UTC(2026, 0, 5);

/** The loop's tick slot of a modelled function (20 slots of 100 ms): 0 means ticks at whole even seconds. */
export function tickSlot(functionId: string): number {
  return fnv1a(`${SIM_NAMESPACE}/${functionId}`) % 20;
}

/** A one-function trace from `[arrival s after start, duration ms]` pairs, spanning `spanS` seconds. */
export function requestsTrace(id: string, requests: ReadonlyArray<readonly [number, number]>, spanS: number, startMs = START): Trace {
  return {
    name: `test-${id}`,
    source: 'test',
    startMs,
    endMs: startMs + spanS * 1000,
    functions: [traceFunctionOf(id, id, requests.map(([s, d]) => [startMs + s * 1000, d] as const))],
  };
}

/**
 * The eventgw policy tuned for hand-checked timelines: it scales on the demand sampled in the tick's own second
 * (window 1s), goes to zero as soon as there is none (idle 0s), after the shortest grace period (6s).
 */
export const EXACT_EVENTGW: Readonly<Record<string, string>> = {
  'ebb.dev/policies': 'eventgw',
  'ebb.dev/eventgw.window': '1s',
  'ebb.dev/eventgw.idle-period': '0s',
  'ebb.dev/scale-to-zero-grace-period': '6s',
};

/** Runs one configuration with a fixed 5 s start-up (no jitter) and one request per pod. */
export async function simulateExact(trace: Trace, annotations: Readonly<Record<string, string>>, o: Partial<SimulationOptions> = {}): Promise<SimulationResult> {
  return runSimulation({
    trace,
    configurations: [{ name: 'test', annotations }],
    startup: { meanMs: 5000, jitterMs: 0 },
    podConcurrency: 1,
    ...o,
  });
}
