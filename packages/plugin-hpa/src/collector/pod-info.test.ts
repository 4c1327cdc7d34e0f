import type { V1Container, V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { matchesSelector, podInfo, podRequests, slimPod, timeMs } from './pod-info.ts';

const container = (name: string, requests?: Record<string, string>, restartPolicy?: string): V1Container => ({
  name,
  ...(requests ? { resources: { requests } } : {}),
  ...(restartPolicy ? { restartPolicy } : {}),
});

describe('podRequests', () => {
  it.each<{ name: string; containers: V1Container[]; init?: V1Container[]; podLevel?: Record<string, string>; cpu?: number; memory?: number }>([
    { name: 'one container', containers: [container('a', { cpu: '250m', memory: '64Mi' })], cpu: 250, memory: 64 * 2 ** 20 },
    { name: 'summed over containers', containers: [container('a', { cpu: '250m', memory: '1Gi' }), container('b', { cpu: '0.1', memory: '512Mi' })], cpu: 350, memory: 1.5 * 2 ** 30 },
    { name: 'a container without a CPU request: no CPU request', containers: [container('a', { cpu: '250m', memory: '1Gi' }), container('b', { memory: '1Gi' })], memory: 2 * 2 ** 30 },
    { name: 'no requests at all', containers: [container('a')] },
    { name: 'restartable init containers (sidecars) count', containers: [container('a', { cpu: '250m' })], init: [container('side', { cpu: '50m' }, 'Always')], cpu: 300 },
    { name: 'ordinary init containers do not', containers: [container('a', { cpu: '250m' })], init: [container('setup', { cpu: '2' })], cpu: 250 },
    { name: 'pod-level requests win', containers: [container('a', { cpu: '250m' })], podLevel: { cpu: '1', memory: '2Gi' }, cpu: 1000, memory: 2 * 2 ** 30 },
    { name: 'CPU rounds up to whole millicores', containers: [container('a', { cpu: '100500u' })], cpu: 101 },
    { name: 'an invalid quantity reads as no request', containers: [container('a', { cpu: 'lots' })] },
  ])('$name', ({ containers, init, podLevel, cpu, memory }) => {
    const pod: V1Pod = { spec: { containers, ...(init ? { initContainers: init } : {}), ...(podLevel ? { resources: { requests: podLevel } } : {}) } };
    expect(podRequests(pod)).toEqual({ ...(cpu === undefined ? {} : { cpuMilli: cpu }), ...(memory === undefined ? {} : { memoryBytes: memory }) });
  });
});

describe('timeMs', () => {
  it.each([
    { value: new Date('2026-01-01T00:00:10Z'), expected: Date.UTC(2026, 0, 1, 0, 0, 10) },
    { value: '2026-01-01T00:00:10Z', expected: Date.UTC(2026, 0, 1, 0, 0, 10) },
    { value: 'yesterday', expected: undefined },
    { value: undefined, expected: undefined },
    { value: null, expected: undefined },
  ])('$value -> $expected', ({ value, expected }) => {
    expect(timeMs(value)).toBe(expected);
  });
});

describe('podInfo', () => {
  const base = (status: V1Pod['status'], deletionTimestamp?: Date): V1Pod => ({
    metadata: { name: 'web-1', namespace: 'shop', ...(deletionTimestamp ? { deletionTimestamp } : {}) },
    spec: { containers: [container('a', { cpu: '100m', memory: '10Mi' })] },
    ...(status ? { status } : {}),
  });
  // Watch events carry RFC 3339 strings where a list has Dates; both read the same.
  const started = '2026-01-01T00:00:00Z' as unknown as Date;
  it.each<{ name: string; pod: V1Pod; expected: Record<string, unknown> }>([
    {
      name: 'a ready running pod',
      pod: base({ phase: 'Running', startTime: started, conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: new Date('2026-01-01T00:00:05Z') }] }),
      expected: { phase: 'Running', ready: true, readyStatus: 'True', deleted: false, startTimeMs: Date.UTC(2026, 0, 1), readyTransitionMs: Date.UTC(2026, 0, 1, 0, 0, 5) },
    },
    { name: 'Ready Unknown: not ready, status kept', pod: base({ phase: 'Running', conditions: [{ type: 'Ready', status: 'Unknown' }] }), expected: { ready: false, readyStatus: 'Unknown' } },
    { name: 'Ready False', pod: base({ phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] }), expected: { ready: false, readyStatus: 'False' } },
    {
      name: 'a pending pod without start time or conditions',
      pod: base({ phase: 'Pending' }),
      expected: { phase: 'Pending', ready: false, readyStatus: undefined, startTimeMs: undefined, readyTransitionMs: undefined },
    },
    { name: 'no status at all', pod: base(undefined), expected: { phase: 'Unknown', ready: false } },
    { name: 'an unknown phase', pod: base({ phase: 'Evicted' }), expected: { phase: 'Unknown' } },
    { name: 'a pod being deleted', pod: base({ phase: 'Running' }, new Date()), expected: { deleted: true } },
    { name: 'a failed pod', pod: base({ phase: 'Failed' }), expected: { phase: 'Failed' } },
  ])('$name', ({ pod, expected }) => {
    const info = podInfo(pod);
    expect(info.name).toBe('web-1');
    expect(info.requests).toEqual({ cpuMilli: 100, memoryBytes: 10 * 2 ** 20 });
    for (const [key, value] of Object.entries(expected)) expect(info[key as keyof typeof info], key).toEqual(value);
  });
});

describe('slimPod', () => {
  it('keeps identity, labels and the pod info, and nothing else', () => {
    const pod: V1Pod = {
      metadata: { name: 'web-1', namespace: 'shop', resourceVersion: '42', labels: { app: 'web' }, annotations: { big: 'x'.repeat(10_000) }, uid: 'u' },
      spec: { containers: [container('a', { cpu: '100m' })], nodeName: 'n1' },
      status: { phase: 'Running' },
    };
    const slim = slimPod(pod);
    expect(slim.metadata).toEqual({ name: 'web-1', namespace: 'shop', resourceVersion: '42', labels: { app: 'web' } });
    expect(slim.info).toEqual(podInfo(pod));
    expect(JSON.stringify(slim).length).toBeLessThan(400);
  });
});

describe('matchesSelector', () => {
  it.each<{ labels: Record<string, string>; selector: Record<string, string>; expected: boolean }>([
    { labels: { app: 'web', tier: 'fe' }, selector: { app: 'web' }, expected: true },
    { labels: { app: 'web' }, selector: { app: 'web', tier: 'fe' }, expected: false },
    { labels: { app: 'api' }, selector: { app: 'web' }, expected: false },
    { labels: { app: 'web' }, selector: {}, expected: false },
  ])('$labels against $selector -> $expected', ({ labels, selector, expected }) => {
    expect(matchesSelector(labels, selector)).toBe(expected);
  });
});
