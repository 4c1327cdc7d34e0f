import { describe, expect, it } from 'vitest';
import { compileRoutes } from '../compile-routes.ts';
import { backend, NS, route, world } from '../../test-support/route-world.ts';
import { declaredSplit, hasRollout } from './rollout-driver.ts';

const V1 = `${NS}/coffee-v1`;
const V2 = `${NS}/coffee-v2`;

describe('declaredSplit', () => {
  it.each([
    ['the split rule\'s weights as percents, whatever the effective split', [{ backendRefs: [backend('v1', 1), backend('v2', 3)] }, { backendRefs: [backend('v2')] }], { [V1]: 25, [V2]: 75 }],
    ['the first rule with more than one backend is the split rule', [{ backendRefs: [backend('v2')] }, { backendRefs: [backend('v1', 0), backend('v2', 100)] }], { [V1]: 0, [V2]: 100 }],
    ['one version: all of it', [{ backendRefs: [backend('v1')] }], { [V1]: 100 }],
    ['a backend that does not resolve: none (no rollout)', [{ backendRefs: [backend('v1', 50), backend('v9', 50)] }], undefined],
  ])('%s', (_, rules, expected) => {
    const r = route('split', rules);
    const withState = { ...r, metadata: { ...r.metadata, annotations: { 'ebb.dev/rollout-duration': '60s', 'ebb.dev/rollout-state': JSON.stringify({ current: { [V1]: 90, [V2]: 10 } }) } } };
    expect(declaredSplit(withState, compileRoutes(world([withState])))).toEqual(expected);
  });

  it('looks only at routes with rollout keys (Knative\'s key too) or a state', () => {
    const r = route('split', [{ backendRefs: [backend('v1')] }]);
    expect(hasRollout(r)).toBe(false);
    for (const key of ['ebb.dev/rollout-duration', 'serving.knative.dev/rollout-duration', 'ebb.dev/rollout-state']) {
      expect(hasRollout({ ...r, metadata: { ...r.metadata, annotations: { [key]: '1' } } })).toBe(true);
    }
  });
});
