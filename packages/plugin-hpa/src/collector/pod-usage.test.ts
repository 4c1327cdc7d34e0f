import type { ContainerMetric, PodMetric } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { podUsage } from './pod-usage.ts';

const metric = (containers: ContainerMetric[], window = '30s', timestamp = '2026-01-01T00:00:30Z'): PodMetric => ({
  metadata: { name: 'web-1', namespace: 'shop', selfLink: '', creationTimestamp: '2026-01-01T00:00:31Z' },
  timestamp,
  window,
  containers,
});
const c = (cpu: string | undefined, memory: string | undefined): ContainerMetric => ({ name: 'c', usage: { cpu, memory } as ContainerMetric['usage'] });

describe('podUsage', () => {
  it.each<{ name: string; item: PodMetric; expected: ReturnType<typeof podUsage> }>([
    {
      name: 'one container in nanocores and Ki, as metrics-server reports it',
      item: metric([c('12345678n', '65536Ki')]),
      expected: { cpuMilli: 13, memoryBytes: 64 * 2 ** 20, windowMs: 30_000, timestampMs: Date.UTC(2026, 0, 1, 0, 0, 30) },
    },
    {
      name: 'summed over containers, each rounded up first (like MilliValue per container)',
      item: metric([c('250m', '100Mi'), c('5000001n', '20Mi')]),
      expected: { cpuMilli: 256, memoryBytes: 120 * 2 ** 20, windowMs: 30_000, timestampMs: Date.UTC(2026, 0, 1, 0, 0, 30) },
    },
    { name: 'a Go duration window with fractions', item: metric([c('1', '1')], '10.5s'), expected: { cpuMilli: 1000, memoryBytes: 1, windowMs: 10_500, timestampMs: Date.UTC(2026, 0, 1, 0, 0, 30) } },
    { name: 'zero usage is a sample, not a gap', item: metric([c('0', '0')]), expected: { cpuMilli: 0, memoryBytes: 0, windowMs: 30_000, timestampMs: Date.UTC(2026, 0, 1, 0, 0, 30) } },
    { name: 'no containers: incomplete', item: metric([]), expected: undefined },
    { name: 'a container without CPU: incomplete', item: metric([c('1', '1Mi'), c(undefined, '1Mi')]), expected: undefined },
    { name: 'a container without memory: incomplete', item: metric([c('1', undefined)]), expected: undefined },
    { name: 'an invalid quantity: incomplete', item: metric([c('fast', '1Mi')]), expected: undefined },
    { name: 'an unreadable window', item: metric([c('1', '1Mi')], 'half a minute'), expected: undefined },
    { name: 'an unreadable timestamp', item: metric([c('1', '1Mi')], '30s', 'now'), expected: undefined },
  ])('$name', ({ item, expected }) => {
    expect(podUsage(item)).toEqual(expected);
  });
});
