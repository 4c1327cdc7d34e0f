import { describe, expect, it } from 'vitest';
import { builtinPresets } from '../config/presets.ts';
import { terminalReport } from '../report/terminal-report.ts';
import { syntheticTrace } from '../trace/synthetic-trace.ts';
import { START } from '../test-support/scenarios.ts';
import type { ConfigurationResult } from './results.ts';
import { runSimulation } from './run-simulation.ts';
import { WARMUP_MS, warmupWarnings } from './warmup.ts';

const HOUR = 3_600_000;
const result = (name: string, coldStarts: number, warmup: Partial<ConfigurationResult['warmup']>): ConfigurationResult =>
  ({ name, total: { coldStarts }, warmup: { spanMs: WARMUP_MS, maxReplicas: 0, maxReplicasAfter: 0, coldStarts: 0, ...warmup } }) as unknown as ConfigurationResult;

describe('warmupWarnings', () => {
  it.each([
    ['max pods of the warm-up far above the rest', result('a', 0, { maxReplicas: 962, maxReplicasAfter: 208 }), 1, 'a: max pods 962 in the first 5 minutes against 208 afterwards'],
    ['max pods twice but only 3 pods more', result('a', 0, { maxReplicas: 6, maxReplicasAfter: 3 }), 0, ''],
    ['max pods below twice the rest', result('a', 0, { maxReplicas: 400, maxReplicasAfter: 208 }), 0, ''],
    ['most cold starts in the warm-up', result('b', 30, { coldStarts: 20 }), 1, 'b: 20 of the 30 cold starts fall in the first 5 minutes'],
    ['half the cold starts or fewer in the warm-up', result('b', 40, { coldStarts: 20 }), 0, ''],
    ['too few cold starts to say', result('b', 9, { coldStarts: 9 }), 0, ''],
  ])('%s', (_name, r, count, text) => {
    const w = warmupWarnings([r], 0, HOUR);
    expect(w).toHaveLength(count);
    if (count) expect(w[0]).toContain(text);
    if (count) expect(w[0]).toContain('every function starts with 0 pods');
  });

  it('says nothing for a run shorter than four warm-ups', () => {
    expect(warmupWarnings([result('a', 0, { maxReplicas: 962, maxReplicasAfter: 208 })], 0, 4 * WARMUP_MS - 1)).toEqual([]);
  });
});

describe('a busy trace that starts at zero', () => {
  it('says in the header that every function starts at zero, and warns that the warm-up sets max pods and the cold starts', async () => {
    const trace = syntheticTrace({ shape: { kind: 'steps', rps: [40], stepMs: HOUR }, startMs: START, spanMs: 0.5 * HOUR, seed: 2, durationMs: 1000 });
    const r = await runSimulation({ trace, configurations: builtinPresets({ podConcurrency: 1 }).slice(0, 1) });
    const w = r.configurations[0]!.warmup;
    expect(w.maxReplicas).toBeGreaterThan(2 * w.maxReplicasAfter);
    // With a steady rate every cold start is in the first seconds: both warnings.
    expect(r.warnings).toHaveLength(2);
    expect(r.warnings[1]).toContain(`knative-default: ${w.coldStarts} of the ${r.configurations[0]!.total.coldStarts} cold starts fall in the first 5 minutes`);
    const text = terminalReport(r);
    expect(text).toContain('start: every function starts with 0 pods (--initial-replicas)');
    expect(text).toContain(`warning: knative-default: max pods ${w.maxReplicas} in the first 5 minutes against ${w.maxReplicasAfter} afterwards`);
  }, 60_000);
});
