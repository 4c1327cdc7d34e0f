import { describe, expect, it } from 'vitest';
import type { HTTPRoute } from '../gateway-api-types.ts';
import { changedFloors, rolloutFloors } from './rollout-floors.ts';
import { effectiveWeights, readRolloutState, ROLLOUT_STATE_ANNOTATION, splitRuleIndex, writeRolloutState, type RolloutState } from './rollout-state.ts';

const V1 = 'shop/coffee-v1';
const V2 = 'shop/coffee-v2';
const routeWith = (state: string | undefined, name = 'coffee'): HTTPRoute => ({ metadata: { namespace: 'shop', name, ...(state === undefined ? {} : { annotations: { [ROLLOUT_STATE_ANNOTATION]: state } }) } });

describe('the rollout state annotation', () => {
  it('reads back what it wrote, with the same text for the same state whatever the key order', () => {
    const s: RolloutState = { to: { [V2]: 100, [V1]: 0 }, current: { [V2]: 20, [V1]: 80 }, receiver: V2, step: 3 };
    expect(readRolloutState(routeWith(writeRolloutState(s)))).toEqual(s);
    expect(writeRolloutState(s)).toBe(writeRolloutState({ step: 3, receiver: V2, current: { [V1]: 80, [V2]: 20 }, to: { [V1]: 0, [V2]: 100 } }));
  });

  it.each([['not JSON', '{oops'], ['no current', '{"to":{}}'], ['a negative share', `{"current":{"${V1}":-1}}`], ['a text share', `{"current":{"${V1}":"10"}}`]])('is ignored when malformed: %s', (_, text) => {
    expect(readRolloutState(routeWith(text))).toBeUndefined();
  });
});

describe('effectiveWeights', () => {
  const split = new Set([V1, V2]);
  const state: RolloutState = { current: { [V1]: 80, [V2]: 20 } };
  it.each([
    ['the split rule routes with the effective split', [V1, V2], [0, 100], split, state, [80, 20]],
    ['without a state: the spec weights', [V1, V2], [0, 100], split, undefined, [0, 100]],
    ['a tag rule (other versions) keeps its weights', [V2], [1], split, state, [1]],
    ['a state giving the rule\'s versions nothing: the spec weights', [V1, V2], [0, 100], split, { current: { 'shop/old': 100 } }, [0, 100]],
    ['a backend that does not resolve: the spec weights', [V1, undefined], [50, 50], split, state, [50, 50]],
  ] as const)('%s', (_, keys, spec, splitKeys, s, expected) => {
    expect(effectiveWeights(keys, spec, splitKeys, s)).toEqual(expected);
  });

  it('the split rule is the first with more than one backend, else the first', () => {
    expect(splitRuleIndex([{ backendRefs: [{ name: 'a' }] }, { backendRefs: [{ name: 'a' }, { name: 'b' }] }])).toBe(1);
    expect(splitRuleIndex([{ backendRefs: [{ name: 'a' }] }])).toBe(0);
  });
});

describe('rolloutFloors', () => {
  it('holds the versions of running or stalled rollouts only, the highest floor when two routes hold one', () => {
    const running = writeRolloutState({ current: { [V1]: 80, [V2]: 20 }, to: { [V1]: 0, [V2]: 100 }, step: 3, floors: { [V1]: 4, [V2]: 2 } });
    const other = writeRolloutState({ current: { [V2]: 100 }, to: { [V2]: 100 }, stalled: true, floors: { [V2]: 3 } });
    const done = writeRolloutState({ current: { [V1]: 100 }, floors: { [V1]: 9 } });
    const floors = rolloutFloors([routeWith(running), routeWith(other, 'tea'), routeWith(done, 'old')]);
    expect(Object.fromEntries([...floors].map(([k, f]) => [k, f.replicas]))).toEqual({ [V1]: 4, [V2]: 3 });
    expect(floors.get(V1)?.reason).toBe('rollout of route shop/coffee (step 3; 80 % now, 0 % at the end) needs 4 pods');
    expect(floors.get(V2)?.reason).toMatch(/shop\/tea \(stalled/);
    expect(changedFloors(floors, rolloutFloors([routeWith(running)]))).toEqual([V2]);
  });
});
