import { describe, expect, it } from 'vitest';
import { isWithinTolerance } from './tolerances.ts';

describe('isWithinTolerance', () => {
  it.each([
    { ratio: 1, up: 0.1, down: 0.1, within: true },
    { ratio: 55 / 50, up: 0.1, down: 0.1, within: true },
    { ratio: 45 / 50, up: 0.1, down: 0.1, within: true },
    { ratio: 56 / 50, up: 0.1, down: 0.1, within: false },
    { ratio: 44 / 50, up: 0.1, down: 0.1, within: false },
    { ratio: 1.04, up: 0.01, down: 0.1, within: false },
    { ratio: 0.7, up: 0.1, down: 0.5, within: true },
    { ratio: 0.5, up: 0.1, down: 0.5, within: true },
    { ratio: 0.49, up: 0.1, down: 0.5, within: false },
    { ratio: 1.000001, up: 0, down: 0, within: false },
    { ratio: 1, up: 0, down: 0, within: true },
  ])('ratio $ratio with [-$down, +$up] -> $within', ({ ratio, up, down, within }) => {
    expect(isWithinTolerance({ scaleUp: up, scaleDown: down }, ratio)).toBe(within);
  });
});
