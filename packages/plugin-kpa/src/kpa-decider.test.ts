import { describe, expect, it } from 'vitest';
import { decideKpa } from './kpa-decider.ts';
import { knativeWindowAverage } from './window-average-rounding.ts';
import type { KpaConfig } from './kpa-config.ts';
import type { KpaState } from './kpa-state.ts';
import { T0, expectedEbc, knativeTestConfig, s } from './test-support/knative-fixtures.ts';

/** A decider created by Knative's test helper: one ready pod at creation, so stable mode holding 1. */
const fresh: KpaState = { panicTimeMs: undefined, maxPanicPods: 1 };
/** Knative's prepFunc `panicTime = now - 5s; maxPanicPods = 5`. */
const panickingFor5s: KpaState = { panicTimeMs: T0 - s(5), maxPanicPods: 5 };

interface ScaleCase {
  readonly label: string;
  readonly config: KpaConfig;
  readonly state?: KpaState;
  readonly ready: number;
  readonly stable: number;
  readonly panic: number;
  readonly want: number;
  readonly wantEbc: number;
  readonly reachable?: boolean;
}

// Knative TestAutoscalerScale, case by case (pkg/autoscaler/scaling/autoscaler_test.go).
const scaleCases: readonly ScaleCase[] = [
  {
    label: 'AutoscalerNoDataAtZeroNoAutoscale: no traffic on one pod recommends zero',
    config: knativeTestConfig(10, 100),
    ready: 1,
    stable: 0,
    panic: 0,
    want: 0,
    wantEbc: expectedEbc(10, 100, 0, 1),
  },
  {
    label: 'AutoscalerStableModeUnlimitedTBC: burst capacity -1 reports -1',
    config: knativeTestConfig(181, -1),
    ready: 1,
    stable: 21,
    panic: 26,
    want: 1,
    wantEbc: -1,
  },
  {
    label: 'Autoscaler0TBC: burst capacity 0 reports 0',
    config: knativeTestConfig(10, 0),
    ready: 1,
    stable: 50,
    panic: 49,
    want: 5,
    wantEbc: 0,
  },
  {
    label: 'AutoscalerStableModeNoChange',
    config: knativeTestConfig(10, 100),
    ready: 1,
    stable: 50,
    panic: 50,
    want: 5,
    wantEbc: expectedEbc(10, 100, 50, 1),
  },
  {
    label: 'AutoscalerPanicStableLargerThanPanic: panic provisions for the larger stable value',
    config: knativeTestConfig(1, 100),
    state: panickingFor5s,
    ready: 5,
    stable: 50,
    panic: 30,
    want: 50,
    wantEbc: expectedEbc(1, 100, 30, 5),
  },
  {
    label: 'AutoscalerPanicStableLessThanPanic: panic provisions for the larger panic value',
    config: knativeTestConfig(1, 100),
    state: panickingFor5s,
    ready: 5,
    stable: 20,
    panic: 30,
    want: 30,
    wantEbc: expectedEbc(1, 100, 30, 5),
  },
  {
    label: 'AutoscalerStableModeNoChangeAlreadyScaled',
    config: knativeTestConfig(10, 100),
    ready: 5,
    stable: 50,
    panic: 50,
    want: 5,
    wantEbc: expectedEbc(10, 100, 50, 5),
  },
  {
    label: 'AutoscalerStableModeIncreaseWithSmallScaleUpRate: ceil(1.1 x 2) = 3 lets it grow by one pod',
    config: knativeTestConfig(1, 1982, { maxScaleUpRate: 1.1 }),
    ready: 2,
    stable: 3,
    panic: 3.1,
    want: 3,
    wantEbc: expectedEbc(1, 1982, 3.1, 2),
  },
  {
    label: 'AutoscalerStableModeDecreaseWithSmallScaleDownRate: floor(100 / 1.1) = 90',
    config: knativeTestConfig(10, 1982, { maxScaleDownRate: 1.1 }),
    ready: 100,
    stable: 1,
    panic: 1,
    want: 90,
    wantEbc: expectedEbc(10, 1982, 1, 100),
  },
  {
    label: 'AutoscalerStableModeDecreaseNonReachable: an unreachable revision has no scale-down limit',
    config: knativeTestConfig(10, 1982, { maxScaleDownRate: 1.1 }),
    reachable: false,
    ready: 100,
    stable: 1,
    panic: 1,
    want: 1,
    wantEbc: expectedEbc(10, 1982, 1, 100),
  },
  {
    label: 'AutoscalerPanicModeDoublePodCount: the panic value takes precedence',
    config: knativeTestConfig(10, 84),
    ready: 1,
    stable: 50,
    panic: 100,
    want: 10,
    wantEbc: expectedEbc(10, 84, 100, 1),
  },
];

describe('decideKpa: Knative TestAutoscalerScale', () => {
  it.each(scaleCases)('$label', ({ config, state, ready, stable, panic, want, wantEbc, reachable }) => {
    const observation = { stableValue: stable, panicValue: panic };
    const d = decideKpa({ nowMs: T0, config, readyPods: ready, observation, activationScale: 1, state: state ?? fresh, ...(reachable === undefined ? {} : { reachable }) });
    expect(d.desiredPodCount).toBe(want);
    expect(d.excessBurstCapacity).toBe(wantEbc);
  });

  it('has hand-computed burst capacities matching the formula', () => {
    // 10 / 0.75 x 1 - 100 - 50 = -136.67 -> -137; 1 / 0.75 x 5 - 100 - 30 = -123.33 -> -124.
    expect(expectedEbc(10, 100, 50, 1)).toBe(-137);
    expect(expectedEbc(1, 100, 30, 5)).toBe(-124);
  });
});

describe('decideKpa: reachability', () => {
  it.each([
    { reachable: undefined, want: 90, wantMaxScaleDown: 90 },
    { reachable: true, want: 90, wantMaxScaleDown: 90 },
    { reachable: false, want: 1, wantMaxScaleDown: 0 },
  ])('reachable $reachable: 100 ready pods needing 1 at down-rate 1.1 -> $want', ({ reachable, want, wantMaxScaleDown }) => {
    const config = knativeTestConfig(10, 1982, { maxScaleDownRate: 1.1 });
    const d = decideKpa({ nowMs: T0, config, readyPods: 100, observation: { stableValue: 1, panicValue: 1 }, activationScale: 1, state: fresh, ...(reachable === undefined ? {} : { reachable }) });
    expect(d.desiredPodCount).toBe(want);
    expect(d.maxScaleDown).toBe(wantMaxScaleDown);
  });

  it('keeps the scale-up limit for an unreachable revision', () => {
    const d = decideKpa({ nowMs: T0, config: knativeTestConfig(10, 0), readyPods: 1, observation: { stableValue: 1000, panicValue: 0 }, activationScale: 1, state: fresh, reachable: false });
    expect(d.desiredPodCount).toBe(10);
  });
});

describe('decideKpa: the window average is rounded to 6 decimals as Knative does', () => {
  // Three seconds of 258.8, 332.1 and 249.1 summed in this order: float noise above an exact multiple of 70.
  const mean = (258.8 + 332.1 + 249.1) / 3;

  it('has a mean just above 280', () => {
    expect(mean).toBe(280.00000000000006);
    expect(Math.ceil(mean / 70)).toBe(5);
  });

  it.each([
    { aggregation: 'linear' as const, want: 4, wantValue: 280 },
    // Knative's weighted-exponential average is not rounded.
    { aggregation: 'weighted-exponential' as const, want: 5, wantValue: mean },
  ])('$aggregation: 280.00000000000006 against target 70 -> $want pods', ({ aggregation, want, wantValue }) => {
    const config = knativeTestConfig(70, 0, { aggregation });
    const d = decideKpa({ nowMs: T0, config, readyPods: 4, observation: { stableValue: mean, panicValue: mean }, activationScale: 1, state: fresh });
    expect(d.stablePodsNeeded).toBe(want);
    expect(d.panicPodsNeeded).toBe(want);
    expect(d.desiredPodCount).toBe(want);
    expect(d.stableValue).toBe(wantValue);
    expect(d.panicValue).toBe(wantValue);
  });

  it.each([
    [1.0000004, 1],
    [1.0000005, 1.000001],
    [3.3333333333, 3.333333],
    [0, 0],
  ])('rounds %d to %d', (value, want) => {
    expect(knativeWindowAverage(value, 'linear')).toBe(want);
  });
});
