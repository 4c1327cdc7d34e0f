import { describe, expect, it } from 'vitest';
import { builtinPresets } from '../config/presets.ts';
import { jsonReport } from '../report/json-report.ts';
import { azureFleetCsv } from '../trace/azure-fleet.ts';
import { readAzureFunctionsTrace } from '../trace/azure-functions-reader.ts';
import { START } from '../test-support/scenarios.ts';
import type { IdleStats } from './idle-targets.ts';
import { runSimulation } from './run-simulation.ts';

// 10 functions of a synthetic Azure-format fleet over 2.5 h from 06:30 (the kpa-cron preset's window opens at 08:00
// with a 5 min lead): rare calls, timers, sparse and busy functions.
const tables = azureFleetCsv({ functions: 10, seed: 3, minutes: 150 });
const trace = readAzureFunctionsTrace({ path: 'fleet-inv.csv', text: tables.inv }, { path: 'fleet-run.csv', text: tables.run }, { startMs: START + 6.5 * 3_600_000, seed: 1 });
const presets = builtinPresets({ podConcurrency: 1 });

describe('idle targets that skip their ticks', () => {
  it.each(presets.map((p) => [p.name, p] as const))('give the same results, series included, under %s', async (_name, preset) => {
    const stats: IdleStats[] = [];
    const reference = await runSimulation({ trace, configurations: [preset], seed: 7, skipIdleTargets: false, onIdleStats: (_c, s) => stats.push(s) });
    const skipping = await runSimulation({ trace, configurations: [preset], seed: 7, onIdleStats: (_c, s) => stats.push(s) });
    expect(jsonReport(skipping, { series: true })).toBe(jsonReport(reference, { series: true }));
    expect(reference.trace.requests).toBeGreaterThan(500);
    expect(stats[0]!.sleeps).toBe(0);
    if (preset.name === 'knative-default' || preset.name === 'keepalive-10m' || preset.name === 'kpa-reserve') {
      // The comparison means something only if targets slept, and woke again for later requests.
      expect(stats[1]!.sleeps).toBeGreaterThan(10);
      expect(stats[1]!.asleepMs / stats[1]!.targetMs).toBeGreaterThan(0.2);
    }
    if (preset.name === 'keepalive-10m' || preset.name === 'prewarm-histogram' || preset.name === 'kpa-cron') {
      // Targets kept warm with no request slept too, and woke before their keep-alive, window or cron floor ended.
      expect(stats[1]!.warmSleeps).toBeGreaterThan(5);
    }
  }, 300_000);
});
