import { describe, expect, it } from 'vitest';
import { loadKey, loadPatch, POD_DELETION_COST_ANNOTATION as COST } from './pod-load-marks.ts';

const me = loadKey('gw-a');
const peer = loadKey('gw-b');
const dead = loadKey('gw-dead');

describe('loadPatch', () => {
  it.each([
    { name: 'first request on an unmarked pod', current: {}, load: 1, live: ['gw-a'], expected: { [me]: '1', [COST]: '1' } },
    { name: 'adds the live peers and drops dead replicas', current: { [peer]: '1', [dead]: '4', [COST]: '5' }, load: 2, live: ['gw-a', 'gw-b'], expected: { [me]: '2', [dead]: null, [COST]: '3' } },
    { name: 'idle again: own mark and the cost go', current: { [me]: '1', [COST]: '1', other: 'x' }, load: 0, live: ['gw-a'], expected: { [me]: null, [COST]: null } },
    { name: 'idle while a peer is busy: the cost stays the peer\'s', current: { [me]: '1', [peer]: '2', [COST]: '3' }, load: 0, live: ['gw-b'], expected: { [me]: null, [COST]: '2' } },
    { name: 'nothing to change', current: { [me]: '1', [COST]: '1' }, load: 1, live: [], expected: {} },
    { name: 'garbage in a peer key counts as 0', current: { [peer]: 'lots' }, load: 1, live: ['gw-b'], expected: { [me]: '1', [COST]: '1' } },
  ])('$name', ({ current, load, live, expected }) => {
    expect(loadPatch(current, 'gw-a', load, live)).toEqual(expected);
  });

  it('keys are valid annotation names whatever the id', () => {
    expect(loadKey('x'.repeat(300))).toMatch(/^gateway-load\.ebb\.dev\/g[0-9a-f]{8}$/);
  });
});
