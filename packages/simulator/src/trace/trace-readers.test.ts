import { describe, expect, it } from 'vitest';
import { SimulatorErrorCodes, SimulatorInputError } from './input-error.ts';
import { loadTrace } from './load-trace.ts';
import { readRequestTrace } from './request-trace-reader.ts';

const START = Date.UTC(2026, 0, 5);
const INV = ['HashFunction,HashApp,HashOwner,minute_1,minute_2,minute_3', 'f1,a1,o1,2,0,3', 'f2,a2,o2,0,1,0'].join('\n');
const RUN = [
  'HashFunction,HashApp,HashOwner,Count,Average,Minimum,Maximum,percentile_Average_0,percentile_Average_1,percentile_Average_25,percentile_Average_50,percentile_Average_75,percentile_Average_99,percentile_Average_100',
  'f1,a1,o1,5,100,100,100,100,100,100,100,100,100,100',
  'f2,a2,o2,1,200,100,300,100,100,150,200,250,300,300',
].join('\n');

/** Loads from in-memory files. */
function load(files: Record<string, string>, path: string, seed = 1) {
  return loadTrace(path, {
    seed,
    startMs: START,
    readText: (p) => {
      const text = files[p];
      if (text === undefined) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      return text;
    },
  });
}

/** The error thrown by `fn`, which must be a SimulatorInputError. */
function errorOf(fn: () => unknown): SimulatorInputError {
  try {
    fn();
  } catch (e) {
    if (e instanceof SimulatorInputError) return e;
    throw e;
  }
  throw new Error('expected a SimulatorInputError');
}

describe('Azure Functions per-minute format', () => {
  it('spreads each minute\'s invocations over that minute, in order, with durations from the table', () => {
    const t = load({ 'x-inv.csv': INV, 'x-run.csv': RUN }, 'x-inv.csv');
    expect(t.name).toBe('x');
    expect([t.startMs, t.endMs]).toEqual([START, START + 180_000]);
    const [f1, f2] = t.functions;
    expect(f1!.id).toBe('fn-f1');
    const at = [...f1!.arrivalsMs].map((a) => a - START);
    expect(at).toHaveLength(5);
    expect(at.slice(0, 2).every((a) => a >= 0 && a < 60_000)).toBe(true);
    expect(at.slice(2).every((a) => a >= 120_000 && a < 180_000)).toBe(true);
    expect(at).toEqual([...at].sort((a, b) => a - b));
    expect([...f1!.durationsMs]).toEqual([100, 100, 100, 100, 100]);
    expect(f2!.durationsMs[0]).toBeGreaterThanOrEqual(100);
    expect(f2!.durationsMs[0]).toBeLessThanOrEqual(300);
  });

  it('is deterministic for a seed, and another seed spreads differently', () => {
    const files = { 'x-inv.csv': INV, 'x-run.csv': RUN };
    const a = load(files, 'x-inv.csv', 7).functions[0]!.arrivalsMs;
    expect(load(files, 'x-inv.csv', 7).functions[0]!.arrivalsMs).toEqual(a);
    expect(load(files, 'x-inv.csv', 8).functions[0]!.arrivalsMs).not.toEqual(a);
  });

  it('keeps a function\'s requests when other functions are left out of the file', () => {
    const only = ['HashFunction,HashApp,HashOwner,minute_1,minute_2,minute_3', 'f1,a1,o1,2,0,3'].join('\n');
    const full = load({ 'x-inv.csv': INV, 'x-run.csv': RUN }, 'x-inv.csv').functions[0]!.arrivalsMs;
    expect(load({ 'x-inv.csv': only, 'x-run.csv': RUN }, 'x-inv.csv').functions[0]!.arrivalsMs).toEqual(full);
  });

  it.each([
    ['a missing column', { 'x-inv.csv': 'HashFunction,HashApp,minute_1\nf1,a1,2', 'x-run.csv': RUN }, 'x-inv.csv', 1, 'missing column HashOwner'],
    ['minutes out of order', { 'x-inv.csv': 'HashFunction,HashApp,HashOwner,minute_1,minute_3\nf1,a1,o1,1,1', 'x-run.csv': RUN }, 'x-inv.csv', 1, 'column minute_3 follows minute_1'],
    ['a short row', { 'x-inv.csv': INV.replace('f2,a2,o2,0,1,0', 'f2,a2,o2,0,1'), 'x-run.csv': RUN }, 'x-inv.csv', 3, '5 fields, but the header has 6 columns'],
    ['a count that is not a whole number', { 'x-inv.csv': INV.replace('2,0,3', '2,x,3'), 'x-run.csv': RUN }, 'x-inv.csv', 2, 'minute_2 is "x"'],
    ['a function without durations', { 'x-inv.csv': INV, 'x-run.csv': RUN.split('\n').slice(0, 2).join('\n') }, 'x-inv.csv', 3, 'function f2 has no row in the duration table x-run.csv'],
    ['a bad duration', { 'x-inv.csv': INV, 'x-run.csv': RUN.replace('f1,a1,o1,5,100,100,100,100,100', 'f1,a1,o1,5,100,100,100,100,-5') }, 'x-run.csv', 2, 'percentile_Average_1 is "-5"'],
    ['no rows', { 'x-inv.csv': INV.split('\n')[0]!, 'x-run.csv': RUN }, 'x-inv.csv', 2, 'the trace is empty'],
    ['no invocations at all', { 'x-inv.csv': INV.replace('2,0,3', '0,0,0').replace('0,1,0', '0,0,0'), 'x-run.csv': RUN }, 'x-inv.csv', 2, 'every minute of every function has 0 invocations'],
    ['the duration table missing', { 'x-inv.csv': INV }, 'x-run.csv', undefined, 'cannot read the trace: no such file'],
    ['the duration table given as the trace', { 'x-run.csv': RUN }, 'x-run.csv', 1, 'pass the invocation table'],
  ])('names the file, line and problem for %s', (_name, files, file, line, text) => {
    const e = errorOf(() => load(files, 'x-inv.csv' in files ? 'x-inv.csv' : 'x-run.csv'));
    expect(e.code).toBe(SimulatorErrorCodes.TRACE_INVALID);
    expect([e.file, e.line]).toEqual([file, line]);
    expect(e.message).toContain(text);
    expect(e.message.startsWith(`${file}${line === undefined ? '' : `:${line}`}: `)).toBe(true);
  });
});

describe('per-request format', () => {
  const LLM = ['TIMESTAMP,ContextTokens,GeneratedTokens', '2023-11-16 18:17:03.9799600,4808,10', '2023-11-16 18:17:04.0319600,3180,8'].join('\n');

  it('reads TIMESTAMP as UTC, spans whole minutes and models durations from tokens (0.1 and 30 ms per token)', () => {
    const t = readRequestTrace({ path: 'llm.csv', text: LLM });
    const f = t.functions[0]!;
    expect(f.id).toBe('llm');
    expect(f.arrivalsMs[0]).toBe(Date.UTC(2023, 10, 16, 18, 17, 3) + 979.96);
    expect([t.startMs, t.endMs]).toEqual([Date.UTC(2023, 10, 16, 18, 17), Date.UTC(2023, 10, 16, 18, 18)]);
    expect(f.durationsMs[0]).toBeCloseTo(4808 * 0.1 + 10 * 30, 6);
  });

  it('takes a duration column, one target per function column value, and a shift to another start', () => {
    const text = ['timestamp,function,DurationMs', '2024-01-01T00:00:01Z,b,50', '2024-01-01T00:00:00.5+01:00,a,20'].join('\n');
    const t = readRequestTrace({ path: 'r.csv', text }, { startMs: START });
    expect(t.functions.map((f) => [f.id, f.durationsMs[0]])).toEqual([['fn-b', 50], ['fn-a', 20]]);
    // 00:00:00.5+01:00 is 23:00:00.5 the day before: the span starts at 23:00 and is moved to START.
    expect(t.functions[1]!.arrivalsMs[0]).toBe(START + 500);
  });

  it('names the file and line of a header without TIMESTAMP', () => {
    const e = errorOf(() => readRequestTrace({ path: 'r.csv', text: 'time,x\n1,2' }));
    expect([e.file, e.line, e.problem]).toEqual(['r.csv', 1, 'missing column TIMESTAMP; the header has time, x']);
  });

  it.each([
    ['a bad timestamp', 'TIMESTAMP\n2023-11-16 18:17:03\n2023-13-01 00:00:00', 3, 'TIMESTAMP is "2023-13-01 00:00:00"'],
    ['a bad token count', 'TIMESTAMP,ContextTokens\n2023-11-16 18:17:03,abc', 2, 'ContextTokens is "abc"'],
    ['no requests', 'TIMESTAMP,ContextTokens\n', 2, 'the trace is empty'],
  ])('names the file, line and problem for %s', (_name, text, line, message) => {
    const e = errorOf(() => load({ 'r.csv': text }, 'r.csv'));
    expect([e.code, e.file, e.line]).toEqual([SimulatorErrorCodes.TRACE_INVALID, 'r.csv', line]);
    expect(e.message).toContain(message);
  });
});

describe('unknown input', () => {
  it.each([
    ['an unknown header', { 'w.csv': 'a,b,c\n1,2,3' }, 'w.csv', 'unknown trace format'],
    ['an empty file', { 'w.csv': '' }, 'w.csv', 'the trace is empty'],
    ['a missing file', {}, 'w.csv', 'no such file'],
  ])('names the file and the problem for %s', (_name, files, file, text) => {
    const e = errorOf(() => load(files, 'w.csv'));
    expect([e.code, e.file]).toEqual([SimulatorErrorCodes.TRACE_INVALID, file]);
    expect(e.message).toContain(text);
  });
});
