import { describe, expect, it } from 'vitest';
import { RolloutRouter } from './rollout-router.ts';

describe('RolloutRouter', () => {
  it.each([0, 1, 30, 99, 100])('sends %i %% of the requests to the new version, within one', (percent) => {
    const router = new RolloutRouter(1000, 7);
    router.toPercent = percent;
    let toNew = 0;
    for (let ref = 0; ref < 1000; ref++) {
      const old = router.accepts(0, ref);
      const next = router.accepts(1, ref);
      expect(old).not.toBe(next);
      if (next) toNew++;
    }
    expect(Math.abs(toNew - percent * 10)).toBeLessThanOrEqual(1);
    expect(router.taken).toEqual([1000 - toNew, toNew]);
  });

  it('decides each request once, by the split when it first arrives', () => {
    const router = new RolloutRouter(10, 1);
    router.toPercent = 100;
    expect(router.accepts(1, 3)).toBe(true);
    router.toPercent = 0;
    expect(router.accepts(0, 3)).toBe(false);
    expect(router.versionOf(3)).toBe(1);
    expect(router.versionOf(4)).toBeUndefined();
  });
});
