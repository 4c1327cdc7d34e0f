import { describe, expect, it } from 'vitest';
import { fakeNodeStates } from './fake-nodes.ts';
import {
  ipInCidr,
  nodePodCidr,
  parsePodNetwork,
  pickFirstSlot,
  podCidrSlot,
  podNetworkFromEnv,
  slotCount,
} from './pod-network.ts';

const loopback = parsePodNetwork('127.0.0.0/8');

describe('pod networks', () => {
  it.each([
    { cidr: '127.0.0.0/8', nodePrefix: 16, loopback: true, slot: 3, nodeCidr: '127.3.0.0/16', slots: 254 },
    { cidr: '198.18.0.0/15', nodePrefix: 23, loopback: false, slot: 1, nodeCidr: '198.18.2.0/23', slots: 254 },
    { cidr: '10.200.0.0/16', nodePrefix: 24, loopback: false, slot: 7, nodeCidr: '10.200.7.0/24', slots: 254 },
    { cidr: '10.0.0.0/12', nodePrefix: 20, loopback: false, slot: 2, nodeCidr: '10.0.32.0/20', slots: 254 },
  ])('$cidr gives node slot $slot the range $nodeCidr', ({ cidr, nodePrefix, loopback: isLoopback, slot, nodeCidr, slots }) => {
    const network = parsePodNetwork(cidr);
    expect(network).toEqual({ cidr, nodePrefix, loopback: isLoopback });
    expect(nodePodCidr(network, slot)).toBe(nodeCidr);
    expect(podCidrSlot(network, nodeCidr)).toBe(slot);
    expect(slotCount(network)).toBe(slots);
  });

  it.each([
    { cidr: '127.0.0.0/17', message: 'use a prefix from /8 to /16' },
    { cidr: '10.0.0.0/4', message: 'use a prefix from /8 to /16' },
    { cidr: '10.1.0.0/8', message: 'write it with its network address' },
    { cidr: '10.0.0/8', message: 'is not an IPv4 CIDR' },
    { cidr: '300.0.0.0/8', message: 'is not an IPv4 CIDR' },
  ])('rejects $cidr', ({ cidr, message }) => {
    expect(() => parsePodNetwork(cidr)).toThrow(message);
  });

  it.each([0, 255])('keeps slot %i out of use', (slot) => {
    expect(() => nodePodCidr(loopback, slot)).toThrow(`slot ${slot} is outside pod network 127.0.0.0/8`);
  });

  it('reads EBB_CLUSTER_POD_NETWORK, defaulting to loopback', () => {
    expect(podNetworkFromEnv({}).cidr).toBe('127.0.0.0/8');
    expect(podNetworkFromEnv({ EBB_CLUSTER_POD_NETWORK: '198.18.0.0/15' }).cidr).toBe('198.18.0.0/15');
  });

  it.each([
    { ip: '127.1.0.5', cidr: '127.1.0.0/16', inside: true },
    { ip: '127.2.0.5', cidr: '127.1.0.0/16', inside: false },
    { ip: '198.19.255.255', cidr: '198.18.0.0/15', inside: true },
    { ip: '198.20.0.0', cidr: '198.18.0.0/15', inside: false },
  ])('$ip in $cidr: $inside', ({ ip, cidr, inside }) => {
    expect(ipInCidr(ip, cidr)).toBe(inside);
  });
});

describe('pod ranges of side-by-side clusters', () => {
  it.each([
    { used: [], count: 2, first: 1 },
    { used: [1, 2], count: 2, first: 3 },
    { used: [1, 3], count: 2, first: 4 },
    { used: [2], count: 1, first: 1 },
    { used: [1, 2, 3, 5], count: 1, first: 4 },
  ])('with slots $used taken, $count nodes start at slot $first', ({ used, count, first }) => {
    expect(pickFirstSlot(new Set(used), count, loopback)).toBe(first);
  });

  it('fails when the network is full', () => {
    const used = new Set(Array.from({ length: 254 }, (_, i) => i + 1));
    expect(() => pickFirstSlot(used, 1, loopback)).toThrow('no room for 1 more fake nodes in 127.0.0.0/8');
  });

  it('gives each fake node its own range', () => {
    expect(fakeNodeStates(3, 7)).toEqual([
      { name: 'kwok-node-0', podCidr: '127.7.0.0/16' },
      { name: 'kwok-node-1', podCidr: '127.8.0.0/16' },
      { name: 'kwok-node-2', podCidr: '127.9.0.0/16' },
    ]);
    expect(fakeNodeStates(1, 4, parsePodNetwork('10.200.0.0/16'))).toEqual([{ name: 'kwok-node-0', podCidr: '10.200.4.0/24' }]);
  });

  it.each([0, 33, 1.5])('rejects %s fake nodes', (count) => {
    expect(() => fakeNodeStates(count)).toThrow(`fake node count ${count} is not allowed`);
  });
});
