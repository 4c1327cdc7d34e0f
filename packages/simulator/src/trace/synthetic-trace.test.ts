import { describe, expect, it } from 'vitest';
import { isSimulatorInputError } from './input-error.ts';
import { parseSyntheticSpec } from './synthetic-spec.ts';
import { diurnalRps, syntheticTrace } from './synthetic-trace.ts';

const START = Date.UTC(2026, 0, 5);

describe('synthetic traces', () => {
  it('steps: about rps x step requests per step, none in a 0 step', () => {
    const t = syntheticTrace({ shape: { kind: 'steps', rps: [0, 10, 0], stepMs: 60_000 }, startMs: START, spanMs: 180_000, seed: 3 });
    const at = [...t.functions[0]!.arrivalsMs].map((a) => a - START);
    expect(at.every((a) => a >= 60_000 && a < 120_000)).toBe(true);
    expect(at.length).toBeGreaterThan(500);
    expect(at.length).toBeLessThan(700);
  });

  it('bursts: size requests at once, every period', () => {
    const t = syntheticTrace({ shape: { kind: 'bursts', size: 4, everyMs: 30_000, firstMs: 10_000 }, startMs: START, spanMs: 60_000, seed: 1 });
    expect([...t.functions[0]!.arrivalsMs].map((a) => a - START)).toEqual([10_000, 10_000, 10_000, 10_000, 40_000, 40_000, 40_000, 40_000]);
  });

  it('diurnal: the rate peaks at the peak hour and is lowest 12 h away', () => {
    const shape = { kind: 'diurnal', peakRps: 20, troughRps: 1, peakHour: 14 } as const;
    expect(diurnalRps(shape, START + 14 * 3_600_000)).toBeCloseTo(20, 9);
    expect(diurnalRps(shape, START + 2 * 3_600_000)).toBeCloseTo(1, 9);
    expect(diurnalRps(shape, START + 8 * 3_600_000)).toBeCloseTo(10.5, 9);
    const t = syntheticTrace({ shape, startMs: START, spanMs: 86_400_000, seed: 5, durationMs: 200 });
    const perHour = new Array(24).fill(0);
    for (const a of t.functions[0]!.arrivalsMs) perHour[Math.floor((a - START) / 3_600_000)]++;
    expect(perHour[14]).toBeGreaterThan(perHour[2] * 10);
  });

  it('is deterministic for a seed; functions have their own streams', () => {
    const o = { shape: { kind: 'steps', rps: [5], stepMs: 60_000 }, startMs: START, spanMs: 60_000, seed: 9, functions: 2 } as const;
    const a = syntheticTrace(o);
    expect(syntheticTrace(o)).toEqual(a);
    expect(a.functions[0]!.arrivalsMs).not.toEqual(a.functions[1]!.arrivalsMs);
    expect(syntheticTrace({ ...o, seed: 10 }).functions[0]!.arrivalsMs).not.toEqual(a.functions[0]!.arrivalsMs);
  });

  it('parses specs with defaults and parameters', () => {
    const o = parseSyntheticSpec('synthetic:bursts?size=5&every=2m&hours=0.5&functions=3&duration=250ms', START, 1);
    expect(o.shape).toEqual({ kind: 'bursts', size: 5, everyMs: 120_000, firstMs: 60_000, spreadMs: 0 });
    expect([o.spanMs, o.functions, o.durationMs]).toEqual([1_800_000, 3, 250]);
    expect(parseSyntheticSpec('synthetic:steps', START, 1).spanMs).toBe(5 * 600_000);
  });

  it.each([
    ['synthetic:waves', 'unknown synthetic shape "waves"'],
    ['synthetic:bursts?sise=3', 'unknown parameter "sise"'],
    ['synthetic:diurnal?peak-hour=25', 'peak-hour=25 is out of range'],
    ['synthetic:bursts?every=soon', 'every=soon is not a duration'],
    ['synthetic:steps?rps=1,-2', 'rps=1,-2 must be comma-separated numbers >= 0'],
  ])('rejects %s naming the problem', (spec, text) => {
    let error: unknown;
    try {
      parseSyntheticSpec(spec, START, 1);
    } catch (e) {
      error = e;
    }
    expect(isSimulatorInputError(error)).toBe(true);
    expect((error as Error).message).toBe(`<synthetic>: ${(error as { problem: string }).problem}`);
    expect((error as Error).message).toContain(text);
  });
});
