import { describe, expect, it } from 'vitest';
import { decideKpa } from './kpa-decider.ts';
import type { KpaConfig } from './kpa-config.ts';
import type { KpaState } from './kpa-state.ts';
import { T0, knativeTestConfig, s } from './test-support/knative-fixtures.ts';

/** A decider in stable mode that held one pod (Knative's test helper creates it on one ready pod). */
const fresh: KpaState = { panicTimeMs: undefined, maxPanicPods: 1 };

interface SingleCase {
  readonly label: string;
  readonly config: KpaConfig;
  readonly ready: number;
  readonly stable: number;
  readonly panic: number;
  readonly activation?: number;
  readonly want: number;
  readonly wantPanic: boolean;
  /** Excess burst capacity, when the case is about it: it counts ready pods as they are (0 stays 0). */
  readonly wantEbc?: number;
}

const singleCases: readonly SingleCase[] = [
  {
    label: 'TestAutoscalerUseOnePodAsMinimumIfEndpointsNotFound: 0 ready pods count as 1 for the rate limit (10 x 1)',
    config: knativeTestConfig(10, 81),
    ready: 0,
    stable: 1000,
    panic: 888,
    want: 10,
    wantPanic: true,
    wantEbc: -969,
  },
  {
    label: 'a 0-ready target still gets the scale-up limit on one pod (rate 1.1 -> ceil(1.1) = 2 pods)',
    config: knativeTestConfig(1, 0, { maxScaleUpRate: 1.1 }),
    ready: 0,
    stable: 50,
    panic: 50,
    want: 2,
    wantPanic: true,
  },
  {
    label: 'scale to zero: one idle pod goes to 0 at once (floor(1 / 2) = 0)',
    config: knativeTestConfig(10, 211, { maxScaleDownRate: 2 }),
    ready: 1,
    stable: 0,
    panic: 0,
    want: 0,
    wantPanic: false,
  },
  {
    label: 'scale to zero from 4 idle pods is rate-limited to floor(4 / 2) = 2',
    config: knativeTestConfig(10, 211, { maxScaleDownRate: 2 }),
    ready: 4,
    stable: 0,
    panic: 0,
    want: 2,
    wantPanic: false,
  },
  {
    label: 'panic is entered on the unclamped panic count: 1 ready, need 5 (limited to 2) of threshold 3 -> panic',
    config: knativeTestConfig(10, 0, { maxScaleUpRate: 1.5, panicThreshold: 3 }),
    ready: 1,
    stable: 10,
    panic: 50,
    want: 2,
    wantPanic: true,
  },
  {
    label: 'exactly at the threshold panics (6 needed / 3 ready = 2 >= 2)',
    config: knativeTestConfig(10, 0),
    ready: 3,
    stable: 30,
    panic: 60,
    want: 6,
    wantPanic: true,
  },
  {
    label: 'just under the threshold stays stable (5 needed / 3 ready < 2) and follows the stable value',
    config: knativeTestConfig(10, 0),
    ready: 3,
    stable: 30,
    panic: 50,
    want: 3,
    wantPanic: false,
  },
  {
    label: 'TestAutoscalerActivationScale: no traffic ignores the activation scale',
    config: knativeTestConfig(10, 75),
    ready: 1,
    stable: 0,
    panic: 0,
    activation: 2,
    want: 0,
    wantPanic: false,
  },
  {
    label: 'TestAutoscalerActivationScale: any traffic asks for at least the activation scale',
    config: knativeTestConfig(10, 75),
    ready: 1,
    stable: 1,
    panic: 0,
    activation: 2,
    want: 2,
    wantPanic: false,
  },
  {
    label: 'activation scale does not lower a larger count (need 8, activation 3)',
    config: knativeTestConfig(10, 75),
    ready: 8,
    stable: 80,
    panic: 80,
    activation: 3,
    want: 8,
    wantPanic: false,
  },
  {
    label: 'activation scale applies to a running target with little traffic (5 ready, need 1, activation 3)',
    config: knativeTestConfig(10, 75),
    ready: 5,
    stable: 1,
    panic: 1,
    activation: 3,
    want: 3,
    wantPanic: false,
  },
  {
    label: 'a rate-limited scale-down without traffic is not raised to the activation scale (Knative checks dspc > 0)',
    config: knativeTestConfig(10, 75, { maxScaleDownRate: 2 }),
    ready: 4,
    stable: 0,
    panic: 0,
    activation: 3,
    want: 2,
    wantPanic: false,
  },
  {
    label: 'a fractional target rounds pods up: 50 / 7 = 7.14 -> 8',
    config: knativeTestConfig(7, 0),
    ready: 8,
    stable: 50,
    panic: 50,
    want: 8,
    wantPanic: false,
  },
];

describe('decideKpa: rate limits, zero, panic threshold, activation scale', () => {
  it.each(singleCases)('$label', ({ config, ready, stable, panic, activation, want, wantPanic, wantEbc }) => {
    const d = decideKpa({
      nowMs: T0,
      config,
      readyPods: ready,
      observation: { stableValue: stable, panicValue: panic },
      activationScale: activation ?? 1,
      state: fresh,
    });
    expect(d.desiredPodCount).toBe(want);
    expect(d.inPanic).toBe(wantPanic);
    expect(d.state.panicTimeMs).toBe(wantPanic ? T0 : undefined);
    if (wantEbc !== undefined) expect(d.excessBurstCapacity).toBe(wantEbc);
  });

  it('reports the intermediate figures: needed, limited, limits', () => {
    const d = decideKpa({
      nowMs: T0,
      config: knativeTestConfig(10, 61),
      readyPods: 1,
      observation: { stableValue: 1000, panicValue: 1001 },
      activationScale: 1,
      state: fresh,
    });
    expect(d).toMatchObject({
      stablePodsNeeded: 100,
      panicPodsNeeded: 101,
      desiredStablePodCount: 10,
      desiredPanicPodCount: 10,
      maxScaleUp: 10,
      maxScaleDown: 0,
      desiredPodCount: 10,
      inPanic: true,
      state: { panicTimeMs: T0, maxPanicPods: 10 },
    });
  });

  it('is pure: the same input gives the same output and the input state is not changed', () => {
    const state: KpaState = { panicTimeMs: T0 - s(5), maxPanicPods: 5 };
    const input = { nowMs: T0, config: knativeTestConfig(1, 100), readyPods: 5, observation: { stableValue: 50, panicValue: 30 }, activationScale: 1, state };
    expect(decideKpa(input)).toEqual(decideKpa(input));
    expect(state).toEqual({ panicTimeMs: T0 - s(5), maxPanicPods: 5 });
  });
});
