import { describe, expect, it } from 'vitest';
import type { ScalingConfig } from '../contracts/scaling.ts';
import { combine } from './combine.ts';
import { recs, scalingConfig } from './test-support/combine-fixtures.ts';

const NOW = Date.UTC(2026, 0, 1);
const floor = (replicas: number) => ({ replicas, reason: `rollout of route shop/coffee: needs ${replicas} Ready pods` });

describe('combine with a floor from outside the policies (a rollout step)', () => {
  it.each([
    ['raises the policies\' answer to the floor', 1, 1, {}, true, 3, 3, ['floor']],
    ['leaves a higher answer alone', 5, 5, {}, true, 3, 5, []],
    ['is capped by max-replicas', 1, 1, { maxReplicas: 2 }, true, 4, 2, ['floor']],
    ['holds an unreachable version a rollout prepares (no share yet)', 0, 0, { minReplicas: 3 }, false, 2, 2, ['floor']],
    ['a floor of 0 changes nothing', 2, 2, {}, true, 0, 2, []],
  ] as const)('%s', (_name, wants, current, overrides: Partial<ScalingConfig>, reachable, f, desired, applied) => {
    const r = combine({ recommendations: recs(wants), scaling: scalingConfig(overrides), currentReplicas: current, readyReplicas: current, nowMs: NOW, reachable, floor: floor(f) });
    expect([r.desired, r.applied]).toEqual([desired, applied]);
    if (applied.length) expect(r.steps.at(-1)?.detail).toBe(floor(f).reason);
  });
});
