import { describe, expect, it } from 'vitest';
import type { KpaConfig } from './kpa-config.ts';
import { T0, TestDecider, expectedEbc, knativeTestConfig, s } from './test-support/knative-fixtures.ts';

/** One `Scale(now)` call of a sequence: time offset, ready pods, observed values, and what to expect. */
interface Step {
  readonly atMs: number;
  readonly ready: number;
  readonly stable: number;
  readonly panic: number;
  readonly want: number;
  readonly wantEbc?: number;
  readonly wantPanicTimeMs?: number | 'none';
  /** Replace the config before this step (Knative's `Update`). */
  readonly config?: KpaConfig;
}

interface Sequence {
  readonly name: string;
  readonly config: KpaConfig;
  readonly readyAtCreation?: number;
  readonly activationScale?: number;
  readonly steps: readonly Step[];
}

// Ported from Knative's autoscaler_test.go; names are the Go test names. Knative's `tickInterval` is 2 s.
const sequences: readonly Sequence[] = [
  {
    name: 'TestAutoscalerStableModeIncreaseWithConcurrencyDefault',
    config: knativeTestConfig(10, 101),
    steps: [
      { atMs: 0, ready: 1, stable: 50, panic: 10, want: 5, wantEbc: expectedEbc(10, 101, 10, 1) },
      { atMs: 0, ready: 1, stable: 100, panic: 10, want: 10, wantEbc: expectedEbc(10, 101, 10, 1) },
    ],
  },
  {
    name: 'TestAutoscalerStableModeIncreaseWithRPS (the decider is metric-agnostic)',
    config: knativeTestConfig(10, 101, { metric: 'rps' }),
    steps: [
      { atMs: 0, ready: 1, stable: 50, panic: 50, want: 5, wantEbc: expectedEbc(10, 101, 50, 1) },
      { atMs: 0, ready: 1, stable: 100, panic: 99, want: 10, wantEbc: expectedEbc(10, 101, 99, 1) },
    ],
  },
  {
    name: 'TestAutoscalerUnpanicAfterSlowIncrease: panic entered, held while under threshold, left after a stable window',
    config: knativeTestConfig(1, 98),
    steps: [
      { atMs: 0, ready: 10, stable: 11, panic: 25, want: 25, wantEbc: expectedEbc(1, 98, 25, 10), wantPanicTimeMs: 0 },
      { atMs: s(30), ready: 40, stable: 30, panic: 41, want: 41, wantEbc: expectedEbc(1, 98, 41, 40), wantPanicTimeMs: 0 },
      { atMs: s(62), ready: 55, stable: 50, panic: 56, want: 50, wantEbc: expectedEbc(1, 98, 56, 55), wantPanicTimeMs: 'none' },
    ],
  },
  {
    name: 'TestAutoscalerExtendPanicWindow: crossing again moves the panic time',
    config: knativeTestConfig(1, 98),
    steps: [
      { atMs: 0, ready: 10, stable: 11, panic: 25, want: 25, wantEbc: expectedEbc(1, 98, 25, 10), wantPanicTimeMs: 0 },
      { atMs: s(30), ready: 40, stable: 30, panic: 80, want: 80, wantEbc: expectedEbc(1, 98, 80, 40), wantPanicTimeMs: s(30) },
    ],
  },
  {
    name: 'TestAutoscalerStableModeDecrease',
    config: knativeTestConfig(10, 98),
    steps: [
      { atMs: 0, ready: 8, stable: 100, panic: 100, want: 10, wantEbc: expectedEbc(10, 98, 100, 8) },
      { atMs: 0, ready: 8, stable: 50, panic: 50, want: 5, wantEbc: expectedEbc(10, 98, 50, 8) },
    ],
  },
  {
    name: 'TestAutoscalerStableModeNoTrafficScaleToZero',
    config: knativeTestConfig(10, 75),
    steps: [
      { atMs: 0, ready: 1, stable: 1, panic: 0, want: 1, wantEbc: expectedEbc(10, 75, 0, 1) },
      { atMs: 0, ready: 1, stable: 0, panic: 0, want: 0, wantEbc: expectedEbc(10, 75, 0, 1) },
    ],
  },
  {
    name: 'TestAutoscalerActivationScale',
    config: knativeTestConfig(10, 75),
    activationScale: 2,
    steps: [
      { atMs: 0, ready: 1, stable: 0, panic: 0, want: 0, wantEbc: expectedEbc(10, 75, 0, 1) },
      { atMs: 0, ready: 1, stable: 1, panic: 0, want: 2, wantEbc: expectedEbc(10, 75, 0, 1) },
    ],
  },
  {
    name: 'TestAutoscalerPanicModeExponentialTrackAndStabilize: x6 per tick until 1296, then steady',
    config: knativeTestConfig(1, 101),
    steps: [
      { atMs: 0, ready: 1, stable: 6, panic: 6, want: 6, wantEbc: expectedEbc(1, 101, 6, 1) },
      { atMs: s(1), ready: 6, stable: 36, panic: 36, want: 36, wantEbc: expectedEbc(1, 101, 36, 6), wantPanicTimeMs: s(1) },
      { atMs: s(2), ready: 36, stable: 216, panic: 216, want: 216, wantEbc: expectedEbc(1, 101, 216, 36), wantPanicTimeMs: s(2) },
      { atMs: s(2), ready: 216, stable: 1296, panic: 1296, want: 1296, wantEbc: expectedEbc(1, 101, 1296, 216), wantPanicTimeMs: s(2) },
      { atMs: s(3), ready: 1296, stable: 1296, panic: 1296, want: 1296, wantEbc: expectedEbc(1, 101, 1296, 1296), wantPanicTimeMs: s(2) },
    ],
  },
  {
    name: 'TestAutoscalerPanicThenUnPanicScaleDown: no scale-down while panicking, then down after the stable window',
    config: knativeTestConfig(10, 93),
    steps: [
      { atMs: 0, ready: 1, stable: 100, panic: 100, want: 10, wantEbc: expectedEbc(10, 93, 100, 1) },
      { atMs: s(1), ready: 10, stable: 100, panic: 1000, want: 100, wantEbc: expectedEbc(10, 93, 1000, 10), wantPanicTimeMs: s(1) },
      { atMs: s(31), ready: 10, stable: 1, panic: 1, want: 100, wantEbc: expectedEbc(10, 93, 1, 10), wantPanicTimeMs: s(1) },
      { atMs: s(62), ready: 10, stable: 1, panic: 1, want: 1, wantEbc: expectedEbc(10, 93, 1, 10), wantPanicTimeMs: 'none' },
    ],
  },
  {
    name: 'panic is left only strictly after panic time + stable window',
    config: knativeTestConfig(10, 0),
    steps: [
      { atMs: 0, ready: 1, stable: 100, panic: 100, want: 10, wantPanicTimeMs: 0 },
      { atMs: s(60), ready: 10, stable: 10, panic: 10, want: 10, wantPanicTimeMs: 0 },
      { atMs: s(60) + 1, ready: 10, stable: 10, panic: 10, want: 1, wantPanicTimeMs: 'none' },
    ],
  },
  {
    name: 'leaving panic forgets the pods it held: a later panic starts from what it needs then',
    config: knativeTestConfig(10, 0),
    steps: [
      { atMs: 0, ready: 10, stable: 100, panic: 1000, want: 100, wantPanicTimeMs: 0 },
      { atMs: s(61), ready: 100, stable: 10, panic: 10, want: 10, wantPanicTimeMs: 'none' },
      { atMs: s(63), ready: 10, stable: 10, panic: 300, want: 30, wantPanicTimeMs: s(63) },
    ],
  },
  {
    name: 'TestAutoscalerRateLimitScaleUp: x10 per tick',
    config: knativeTestConfig(10, 61),
    steps: [
      { atMs: 0, ready: 1, stable: 1000, panic: 1001, want: 10, wantEbc: expectedEbc(10, 61, 1001, 1) },
      { atMs: 0, ready: 10, stable: 1000, panic: 1001, want: 100, wantEbc: expectedEbc(10, 61, 1001, 10) },
    ],
  },
  {
    name: 'TestAutoscalerRateLimitScaleDown: /10 per tick',
    config: knativeTestConfig(10, 61),
    steps: [
      { atMs: 0, ready: 100, stable: 1, panic: 1, want: 10, wantEbc: expectedEbc(10, 61, 1, 100) },
      { atMs: 0, ready: 10, stable: 1, panic: 1, want: 1, wantEbc: expectedEbc(10, 61, 1, 10) },
    ],
  },
  {
    name: 'TestAutoscalerUpdateTarget: a target changed on the fly applies at the next decision',
    config: knativeTestConfig(10, 77),
    steps: [
      { atMs: 0, ready: 1, stable: 100, panic: 101, want: 10, wantEbc: expectedEbc(10, 77, 101, 1) },
      { atMs: 0, ready: 10, stable: 100, panic: 101, want: 100, wantEbc: expectedEbc(1, 71, 101, 10), config: knativeTestConfig(1, 71) },
    ],
  },
  {
    name: 'TestAutoscalerScaleDownDelayZero: without a delay (core applies delays) the decider scales down at once',
    config: knativeTestConfig(10, 0, { panicThreshold: 100 }),
    readyAtCreation: 0,
    steps: [
      { atMs: 0, ready: 0, stable: 40, panic: 40, want: 4 },
      { atMs: 500, ready: 0, stable: 20, panic: 20, want: 2 },
    ],
  },
  {
    name: 'restart in panic: a new decider on 5 ready pods holds them for a stable window, then scales down',
    config: knativeTestConfig(10, 211, { maxScaleDownRate: 2 }),
    readyAtCreation: 5,
    steps: [
      { atMs: 0, ready: 5, stable: 1, panic: 1, want: 5, wantPanicTimeMs: 0 },
      { atMs: s(30), ready: 5, stable: 1, panic: 1, want: 5, wantPanicTimeMs: 0 },
      { atMs: s(60), ready: 5, stable: 1, panic: 1, want: 5, wantPanicTimeMs: 0 },
      { atMs: s(62), ready: 5, stable: 1, panic: 1, want: 2, wantPanicTimeMs: 'none' },
      { atMs: s(64), ready: 2, stable: 1, panic: 1, want: 1, wantPanicTimeMs: 'none' },
    ],
  },
  {
    name: 'restart in panic still scales up at once when the load needs more',
    config: knativeTestConfig(10, 211),
    readyAtCreation: 5,
    steps: [
      { atMs: 0, ready: 5, stable: 80, panic: 80, want: 8, wantPanicTimeMs: 0 },
      { atMs: s(2), ready: 8, stable: 30, panic: 30, want: 8, wantPanicTimeMs: 0 },
    ],
  },
  {
    name: 'a load step from 1 pod reaches the final count in one panic tick (90 in flight / 7 per pod = 13)',
    config: knativeTestConfig(7, 211, { maxScaleUpRate: 1000, maxScaleDownRate: 2 }),
    steps: [
      { atMs: 0, ready: 1, stable: 1, panic: 1, want: 1 },
      { atMs: s(2), ready: 1, stable: 16, panic: 90, want: 13, wantPanicTimeMs: s(2) },
      { atMs: s(4), ready: 13, stable: 31, panic: 90, want: 13, wantPanicTimeMs: s(2) },
    ],
  },
];

describe('decideKpa: sequences from Knative autoscaler_test.go', () => {
  it.each(sequences)('$name', ({ config, readyAtCreation, activationScale, steps }) => {
    const decider = new TestDecider(config, readyAtCreation ?? 1, T0);
    decider.activationScale = activationScale ?? 1;
    steps.forEach((step, i) => {
      if (step.config) decider.config = step.config;
      const d = decider.scale(T0 + step.atMs, step.ready, step.stable, step.panic);
      const where = `step ${i} at +${step.atMs}ms`;
      expect(d.desiredPodCount, where).toBe(step.want);
      if (step.wantEbc !== undefined) expect(d.excessBurstCapacity, where).toBe(step.wantEbc);
      if (step.wantPanicTimeMs === 'none') expect(d.state.panicTimeMs, where).toBeUndefined();
      else if (step.wantPanicTimeMs !== undefined) expect(d.state.panicTimeMs, where).toBe(T0 + step.wantPanicTimeMs);
    });
  });
});
