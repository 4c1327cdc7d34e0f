import { describe, expect, it } from 'vitest';
import type { KpaConfig } from './kpa-config.ts';
import { decideKpa } from './kpa-decider.ts';
import type { KpaObservation } from './kpa-observe.ts';
import { describeKpaDecision } from './kpa-reason.ts';
import type { KpaState } from './kpa-state.ts';
import { T0, knativeTestConfig, s } from './test-support/knative-fixtures.ts';

const stableState: KpaState = { panicTimeMs: undefined, maxPanicPods: 1 };

function reason(config: KpaConfig, ready: number, observation: KpaObservation, state = stableState, activationScale = 1): string {
  const decision = decideKpa({ nowMs: T0, config, readyPods: ready, observation, activationScale, state });
  return describeKpaDecision(config, observation, decision);
}

describe('describeKpaDecision', () => {
  it.each([
    {
      name: 'stable, fractional target',
      config: knativeTestConfig(7, 0),
      ready: 8,
      observation: { stableValue: 50, panicValue: 50 },
      want: 'concurrency 50 over 60s / 7 per pod = 8 pods',
    },
    {
      name: 'stable, one pod',
      config: knativeTestConfig(10, 0),
      ready: 1,
      observation: { stableValue: 3.333333, panicValue: 3 },
      want: 'concurrency 3.33 over 60s / 10 per pod = 1 pod',
    },
    {
      name: 'stable, kept up by the scale-down rate',
      config: knativeTestConfig(10, 0),
      ready: 100,
      observation: { stableValue: 1, panicValue: 1 },
      want: 'concurrency 1 over 60s / 10 per pod = 1 pod, kept at 10 by max-scale-down-rate 10',
    },
    {
      name: 'stable, raised by the activation scale',
      config: knativeTestConfig(10, 0),
      ready: 1,
      observation: { stableValue: 1, panicValue: 0 },
      activation: 3,
      want: 'concurrency 1 over 60s / 10 per pod = 1 pod, raised to 3 by activation scale',
    },
    {
      name: 'panic, limited by the scale-up rate',
      config: knativeTestConfig(10, 0),
      ready: 1,
      observation: { stableValue: 200, panicValue: 1000 },
      want:
        'panic: concurrency 1000 over 6s / 10 per pod = 100 pods, limited to 10 by max-scale-up-rate 10; ' +
        'concurrency 200 over 60s / 10 per pod = 20 pods, limited to 10 by max-scale-up-rate 10',
    },
    {
      name: 'panic, holding the pods while the load dropped',
      config: knativeTestConfig(10, 0),
      ready: 100,
      observation: { stableValue: 1, panicValue: 1 },
      state: { panicTimeMs: T0 - s(5), maxPanicPods: 100 },
      want:
        'panic: concurrency 1 over 6s / 10 per pod = 1 pod, kept at 10 by max-scale-down-rate 10; ' +
        'concurrency 1 over 60s / 10 per pod = 1 pod, kept at 10 by max-scale-down-rate 10; holding 100, no scale-down while panicking',
    },
    {
      name: 'rps metric',
      config: knativeTestConfig(140, 0, { metric: 'rps' }),
      ready: 3,
      observation: { stableValue: 300, panicValue: 300 },
      want: 'rps 300 over 60s / 140 per pod = 3 pods',
    },
  ])('$name', ({ config, ready, observation, state, activation, want }) => {
    expect(reason(config, ready, observation, state, activation)).toBe(want);
  });
});
