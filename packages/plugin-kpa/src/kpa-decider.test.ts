import { describe, expect, it } from 'vitest';
import { decideKpa } from './kpa-decider.ts';
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
  it.each(scaleCases)('$label', ({ config, state, ready, stable, panic, want, wantEbc }) => {
    const d = decideKpa({ nowMs: T0, config, readyPods: ready, observation: { stableValue: stable, panicValue: panic }, activationScale: 1, state: state ?? fresh });
    expect(d.desiredPodCount).toBe(want);
    expect(d.excessBurstCapacity).toBe(wantEbc);
  });

  it('has hand-computed burst capacities matching the formula', () => {
    // 10 / 0.75 x 1 - 100 - 50 = -136.67 -> -137; 1 / 0.75 x 5 - 100 - 30 = -123.33 -> -124.
    expect(expectedEbc(10, 100, 50, 1)).toBe(-137);
    expect(expectedEbc(1, 100, 30, 5)).toBe(-124);
  });
});
