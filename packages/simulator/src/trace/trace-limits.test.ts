import { describe, expect, it } from 'vitest';
import { parseSimulateArgs } from '../cli/cli-args.ts';
import { MAX_TRACE_REQUESTS, readAzureFunctionsTrace } from './azure-functions-reader.ts';
import { SimulatorErrorCodes, SimulatorInputError } from './input-error.ts';
import { readRequestTrace, type RequestReadOptions } from './request-trace-reader.ts';

const START = Date.UTC(2026, 0, 5);
const RUN = {
  path: 'x-run.csv',
  text: [
    'HashFunction,HashApp,HashOwner,Count,Average,Minimum,Maximum,percentile_Average_0,percentile_Average_1,percentile_Average_25,percentile_Average_50,percentile_Average_75,percentile_Average_99,percentile_Average_100',
    'f1,a1,o1,5,100,100,100,100,100,100,100,100,100,100',
  ].join('\n'),
};
const inv = (counts: string): { path: string; text: string } => ({ path: 'x-inv.csv', text: `HashFunction,HashApp,HashOwner,minute_1,minute_2\nf1,a1,o1,${counts}` });

function errorOf(fn: () => unknown): SimulatorInputError {
  try {
    fn();
  } catch (e) {
    if (e instanceof SimulatorInputError) return e;
    throw e;
  }
  throw new Error('expected a SimulatorInputError');
}

describe('Azure per-minute counts, large and too large', () => {
  it('reads 200,000 requests in one minute (more than one call can spread) spread over that minute, in order', () => {
    const t = readAzureFunctionsTrace(inv('1,200000'), RUN, { startMs: START, seed: 1 });
    const a = t.functions[0]!.arrivalsMs;
    expect(a.length).toBe(200_001);
    expect(a[0]! - START).toBeLessThan(60_000);
    let sorted = true;
    for (let i = 2; i < a.length; i++) if (a[i]! < a[i - 1]!) sorted = false;
    expect(sorted).toBe(true);
    expect(a[1]! - START).toBeGreaterThanOrEqual(60_000);
    expect(a[a.length - 1]! - START).toBeLessThan(120_000);
  });

  it.each([
    ['1e12 in one minute', '0,1000000000000', 'minute_2 is 1000000000000'],
    ['just over the limit in total', `${MAX_TRACE_REQUESTS},1`, 'minute_2 is 1'],
  ])('refuses %s with the file, the line and the limit', (_name, counts, problem) => {
    const e = errorOf(() => readAzureFunctionsTrace(inv(counts), RUN, { startMs: START, seed: 1 }));
    expect([e.code, e.file, e.line]).toEqual([SimulatorErrorCodes.TRACE_INVALID, 'x-inv.csv', 2]);
    expect(e.problem).toContain(problem);
    expect(e.problem).toContain('more than 20,000,000 requests');
  });
});

describe('per-request traces with a timestamp far off', () => {
  const text = ['TIMESTAMP', '2023-11-16 18:17:03', '2023-11-16 18:17:04', '2033-11-16 18:17:05', '2023-11-16 18:19:00'].join('\n');

  it('refuses a span of years at once, naming the lines around the widest gap', () => {
    const e = errorOf(() => readRequestTrace({ path: 'r.csv', text }));
    expect([e.code, e.file]).toEqual([SimulatorErrorCodes.TRACE_INVALID, 'r.csv']);
    expect(e.problem).toContain('to 2033-11-16T18:17:05.000Z (line 4)');
    expect(e.problem).toContain('between line 5 (2023-11-16T18:19:00.000Z) and line 4 (2033-11-16T18:17:05.000Z)');
    expect(e.problem).toContain('at most 31 days');
  });

  it('reads a span of 30 days', () => {
    const t = readRequestTrace({ path: 'r.csv', text: 'TIMESTAMP\n2023-11-01 00:00:00\n2023-11-30 23:00:00' });
    expect(t.endMs - t.startMs).toBe(29 * 86_400_000 + 23 * 3_600_000 + 60_000);
  });
});

describe('the unit of a per-request duration column', () => {
  const rows = (column: string): string => [`TIMESTAMP,${column}`, '2024-01-01T00:00:00Z,1.5'].join('\n');
  const duration = (column: string, o: RequestReadOptions = {}): number => readRequestTrace({ path: 'r.csv', text: rows(column) }, o).functions[0]!.durationsMs[0]!;

  it.each([
    ['DurationMs', {}, 1.5],
    ['duration_ms', { durationUnit: 's' as const }, 1.5],
    ['duration_s', {}, 1500],
    ['duration_seconds', {}, 1500],
    ['duration', { durationUnit: 's' as const }, 1500],
    ['duration', { durationUnit: 'ms' as const }, 1.5],
  ])('reads %s with %j in ms as %d', (column, o, ms) => {
    expect(duration(column, o)).toBe(ms);
  });

  it('refuses a "duration" column without a unit, saying how to give it', () => {
    const e = errorOf(() => duration('duration'));
    expect([e.code, e.file, e.line]).toEqual([SimulatorErrorCodes.TRACE_INVALID, 'r.csv', 1]);
    expect(e.problem).toContain('column duration does not say its unit');
    expect(e.problem).toContain('--duration-unit ms|s');
  });

  it('takes --duration-unit from the command line and refuses other units', () => {
    expect(parseSimulateArgs(['t.csv', '--duration-unit', 's']).options.durationUnit).toBe('s');
    expect(() => parseSimulateArgs(['t.csv', '--duration-unit', 'min'])).toThrow('--duration-unit min: expected ms or s');
  });
});
