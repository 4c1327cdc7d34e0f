import { describe, expect, it } from 'vitest';
import { ErrorCodes, isEbbError } from '@ebb/core';
import { KNATIVE_DEFAULTS, resolveKpaDefaults, type KpaOptions } from './kpa-options.ts';

describe('resolveKpaDefaults', () => {
  it("uses Knative's defaults when nothing is set", () => {
    expect(resolveKpaDefaults()).toEqual(KNATIVE_DEFAULTS);
    expect(KNATIVE_DEFAULTS).toMatchObject({
      containerConcurrencyTargetDefault: 100,
      containerConcurrencyTargetFraction: 0.7,
      requestsPerSecondTargetDefault: 200,
      targetBurstCapacity: 211,
      stableWindowMs: 60_000,
      panicWindowPercentage: 10,
      panicThresholdPercentage: 200,
      maxScaleUpRate: 1000,
      maxScaleDownRate: 2,
    });
  });

  it.each([
    { name: 'percent', options: { containerConcurrencyTargetPercentage: 80 }, want: 0.8 },
    { name: 'legacy fraction', options: { containerConcurrencyTargetPercentage: 0.8 }, want: 0.8 },
    { name: 'exactly 1 is a fraction (100 %)', options: { containerConcurrencyTargetPercentage: 1 }, want: 1 },
  ])('reads the container-concurrency target percentage as $name', ({ options, want }) => {
    expect(resolveKpaDefaults(options).containerConcurrencyTargetFraction).toBeCloseTo(want, 12);
  });

  it('applies every option', () => {
    const options: KpaOptions = {
      containerConcurrencyTargetDefault: 10,
      containerConcurrencyTargetPercentage: 50,
      requestsPerSecondTargetDefault: 20,
      targetUtilizationPercentage: 60,
      targetBurstCapacity: -1,
      stableWindowMs: 120_000,
      panicWindowPercentage: 5,
      panicThresholdPercentage: 300,
      maxScaleUpRate: 3,
      maxScaleDownRate: 1.5,
    };
    expect(resolveKpaDefaults(options)).toEqual({
      containerConcurrencyTargetDefault: 10,
      containerConcurrencyTargetFraction: 0.5,
      requestsPerSecondTargetDefault: 20,
      targetUtilizationFraction: 0.6,
      targetBurstCapacity: -1,
      stableWindowMs: 120_000,
      panicWindowPercentage: 5,
      panicThresholdPercentage: 300,
      maxScaleUpRate: 3,
      maxScaleDownRate: 1.5,
    });
  });

  it.each([
    { options: { targetBurstCapacity: -2 }, problem: 'targetBurstCapacity must be either non-negative or -1' },
    { options: { containerConcurrencyTargetPercentage: 0 }, problem: 'is outside of valid range of (0, 100]' },
    { options: { containerConcurrencyTargetPercentage: 150 }, problem: 'is outside of valid range of (0, 100]' },
    { options: { containerConcurrencyTargetDefault: 0.001 }, problem: "can't be less than 0.01" },
    { options: { requestsPerSecondTargetDefault: 0 }, problem: 'requestsPerSecondTargetDefault must be at least 0.01' },
    { options: { targetUtilizationPercentage: 101 }, problem: 'targetUtilizationPercentage = 101' },
    { options: { maxScaleUpRate: 1 }, problem: 'maxScaleUpRate = 1, must be greater than 1.0' },
    { options: { maxScaleDownRate: 0.5 }, problem: 'maxScaleDownRate = 0.5, must be greater than 1.0' },
    { options: { stableWindowMs: 5_000 }, problem: 'stableWindowMs = 5000, must be in [6000; 3600000] range' },
    { options: { stableWindowMs: 3_600_001 }, problem: 'must be in [6000; 3600000] range' },
    { options: { stableWindowMs: 6_500 }, problem: 'must be specified with at most second precision' },
    { options: { panicWindowPercentage: 0.5 }, problem: 'panicWindowPercentage = 0.5, must be in [1, 100] interval' },
    { options: { panicThresholdPercentage: 109 }, problem: 'panicThresholdPercentage = 109, must be in [110, 1000] interval' },
    { options: { maxScaleUpRate: Number.NaN }, problem: 'maxScaleUpRate must be a finite number' },
  ])('rejects $options at start-up: $problem', ({ options, problem }) => {
    let caught: unknown;
    try {
      resolveKpaDefaults(options);
    } catch (e) {
      caught = e;
    }
    expect(isEbbError(caught, ErrorCodes.CONFIG_FILE_INVALID)).toBe(true);
    expect((caught as Error).message).toContain(problem);
  });

  it('rejects an unknown option (a typo in the config file)', () => {
    expect(() => resolveKpaDefaults({ stableWindow: '60s' } as KpaOptions)).toThrow(/unknown option stableWindow/);
  });

  it('rejects a value that is not a number', () => {
    expect(() => resolveKpaDefaults({ maxScaleUpRate: '10' } as unknown as KpaOptions)).toThrow(/maxScaleUpRate must be a finite number/);
  });

  it('reports every invalid option at once', () => {
    expect(() => resolveKpaDefaults({ maxScaleUpRate: 1, maxScaleDownRate: 1 })).toThrow(/maxScaleUpRate = 1.*; maxScaleDownRate = 1/);
  });
});
