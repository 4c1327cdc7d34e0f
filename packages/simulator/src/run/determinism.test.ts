import { describe, expect, it } from 'vitest';
import { builtinPresets } from '../config/presets.ts';
import { jsonReport } from '../report/json-report.ts';
import { syntheticTrace } from '../trace/synthetic-trace.ts';
import { START } from '../test-support/scenarios.ts';
import { runSimulation } from './run-simulation.ts';

const trace = syntheticTrace({ shape: { kind: 'diurnal', peakRps: 3, troughRps: 0.05, peakHour: 1 }, startMs: START, spanMs: 3_600_000, seed: 4, functions: 2, durationMs: 800, durationJitter: 0.5 });
const configurations = builtinPresets({ podConcurrency: 1 });

describe('determinism', () => {
  it('gives the same results, series included, for the same seed', async () => {
    const a = await runSimulation({ trace, configurations, seed: 42 });
    const b = await runSimulation({ trace, configurations, seed: 42 });
    expect(jsonReport(b, { series: true })).toBe(jsonReport(a, { series: true }));
    expect(a.trace.requests).toBeGreaterThan(50);
    expect(a.configurations.map((c) => c.total.requests)).toEqual(Array(configurations.length).fill(a.trace.requests));
  }, 60_000);

  it('draws other start-up times for another seed', async () => {
    const a = await runSimulation({ trace, configurations: configurations.slice(0, 1), seed: 42 });
    const b = await runSimulation({ trace, configurations: configurations.slice(0, 1), seed: 43 });
    expect(b.configurations[0]!.total.podSeconds).not.toBe(a.configurations[0]!.total.podSeconds);
  });

  it('gives a configuration the same figures alone as next to others (no shared state between runs)', async () => {
    const together = await runSimulation({ trace, configurations, seed: 42 });
    const alone = await runSimulation({ trace, configurations: [configurations[2]!], seed: 42 });
    expect(alone.configurations[0]).toEqual(together.configurations[2]);
  }, 60_000);
});
