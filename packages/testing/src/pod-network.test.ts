import { describe, expect, it } from 'vitest';
import { fakeNodeStates } from './fake-nodes.ts';
import { pickFirstPodOctet, podCidrOctet } from './pod-network.ts';

describe('pod ranges of side-by-side clusters', () => {
  it.each([
    { used: [], count: 2, first: 1 },
    { used: [1, 2], count: 2, first: 3 },
    { used: [1, 3], count: 2, first: 4 },
    { used: [2], count: 1, first: 1 },
    { used: [1, 2, 3, 5], count: 1, first: 4 },
  ])('with $used taken, $count nodes start at 127.$first.0.0/16', ({ used, count, first }) => {
    expect(pickFirstPodOctet(new Set(used), count)).toBe(first);
  });

  it('fails when 127.0.0.0/8 is full', () => {
    const used = new Set(Array.from({ length: 254 }, (_, i) => i + 1));
    expect(() => pickFirstPodOctet(used, 1)).toThrow('no room for 1 more fake nodes');
  });

  it('gives each fake node its own /16 and reads the octet back', () => {
    const nodes = fakeNodeStates(3, 7);
    expect(nodes).toEqual([
      { name: 'kwok-node-0', podCidr: '127.7.0.0/16' },
      { name: 'kwok-node-1', podCidr: '127.8.0.0/16' },
      { name: 'kwok-node-2', podCidr: '127.9.0.0/16' },
    ]);
    expect(nodes.map((n) => podCidrOctet(n.podCidr))).toEqual([7, 8, 9]);
    expect(podCidrOctet('10.0.0.0/16')).toBeUndefined();
  });

  it.each([0, 33, 1.5])('rejects %s fake nodes', (count) => {
    expect(() => fakeNodeStates(count)).toThrow(`fake node count ${count} is not allowed`);
  });
});
