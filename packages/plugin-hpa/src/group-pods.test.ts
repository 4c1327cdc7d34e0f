import { describe, expect, it } from 'vitest';
import { groupPods, type ResourceName } from './group-pods.ts';
import type { PodSample, PodUsage } from './pod-metrics-snapshot.ts';
import { NOW_MS, TEST_TIMINGS } from './test-support/pods.ts';

const s = 1000;
const m = 60 * s;
const sample = (timestampMs = 0, windowMs = 0): PodUsage => ({ cpuMilli: 1, memoryBytes: 1, windowMs, timestampMs });
const pod = (name: string, fields: Omit<Partial<PodSample>, 'name'>): PodSample => ({
  name,
  phase: 'Running',
  ready: false,
  deleted: false,
  requests: {},
  ...fields,
});

interface GroupCase {
  readonly name: string;
  readonly pods: readonly PodSample[];
  readonly resource: ResourceName;
  readonly ready: number;
  readonly unready?: readonly string[];
  readonly missing?: readonly string[];
  readonly ignored?: readonly string[];
}

// Ported from replica_calculator_test.go TestGroupPods of Kubernetes 1.38 (CPU initialization period 2 min,
// readiness delay 10 s); earlier versions used Succeeded pods in the cases that now run.
const cases: GroupCase[] = [
  { name: 'void', pods: [], resource: 'cpu', ready: 0 },
  { name: 'count in a ready pod - memory', pods: [pod('bentham', { usage: sample(NOW_MS, m) })], resource: 'memory', ready: 1 },
  { name: 'unready a pod without ready condition - CPU', pods: [pod('lucretius', { startTimeMs: NOW_MS, usage: sample() })], resource: 'cpu', ready: 0, unready: ['lucretius'] },
  {
    name: 'count in a ready pod with fresh metrics during initialization period - CPU',
    pods: [pod('bentham', { startTimeMs: NOW_MS - m, readyTransitionMs: NOW_MS - 30 * s, ready: true, usage: sample(NOW_MS, 30 * s) })],
    resource: 'cpu',
    ready: 1,
  },
  {
    name: 'unready a ready pod without fresh metrics during initialization period - CPU',
    pods: [pod('bentham', { startTimeMs: NOW_MS - m, readyTransitionMs: NOW_MS - 30 * s, ready: true, usage: sample(NOW_MS, 60 * s) })],
    resource: 'cpu',
    ready: 0,
    unready: ['bentham'],
  },
  {
    name: 'unready an unready pod that never became ready - CPU',
    pods: [pod('lucretius', { startTimeMs: NOW_MS - 10 * m, readyTransitionMs: NOW_MS - 9 * m - 54 * s, usage: sample() })],
    resource: 'cpu',
    ready: 0,
    unready: ['lucretius'],
  },
  {
    name: 'count in a ready pod without fresh metrics after initialization period - CPU',
    pods: [pod('bentham', { startTimeMs: NOW_MS - 3 * m, readyTransitionMs: NOW_MS - 3 * m, ready: true, usage: sample(NOW_MS - 2 * m, m) })],
    resource: 'cpu',
    ready: 1,
  },
  {
    name: 'count in an unready pod that was ready after initialization period - CPU',
    pods: [pod('lucretius', { startTimeMs: NOW_MS - 10 * m, readyTransitionMs: NOW_MS - 9 * m, usage: sample() })],
    resource: 'cpu',
    ready: 1,
  },
  {
    name: 'count in an unready pod whose transition is exactly the readiness delay after its start - CPU',
    pods: [pod('lucretius', { startTimeMs: NOW_MS - 10 * m, readyTransitionMs: NOW_MS - 9 * m - 50 * s, usage: sample() })],
    resource: 'cpu',
    ready: 1,
  },
  { name: 'a missing pod', pods: [pod('epicurus', { startTimeMs: NOW_MS - 3 * m })], resource: 'cpu', ready: 0, missing: ['epicurus'] },
  {
    name: 'several pods',
    pods: [
      pod('lucretius', { startTimeMs: NOW_MS, usage: sample() }),
      pod('niccolo', { startTimeMs: NOW_MS - 3 * m, readyTransitionMs: NOW_MS - 3 * m, ready: true, usage: sample() }),
      pod('epicurus', { startTimeMs: NOW_MS - 3 * m }),
    ],
    resource: 'cpu',
    ready: 1,
    unready: ['lucretius'],
    missing: ['epicurus'],
  },
  { name: 'pending pods are unreadied', pods: [pod('unscheduled', { phase: 'Pending' })], resource: 'cpu', ready: 0, unready: ['unscheduled'] },
  { name: 'ignore pods with deletion timestamps', pods: [pod('deleted', { phase: 'Pending', deleted: true, usage: sample() })], resource: 'cpu', ready: 0, ignored: ['deleted'] },
  { name: 'ignore pods in a failed state', pods: [pod('failed', { phase: 'Failed', usage: sample() })], resource: 'cpu', ready: 0, ignored: ['failed'] },
  { name: 'ignore pods in a succeeded state', pods: [pod('succeeded', { phase: 'Succeeded', usage: sample() })], resource: 'cpu', ready: 0, ignored: ['succeeded'] },
  { name: 'ignore succeeded pods without metrics (not missing)', pods: [pod('done', { phase: 'Succeeded' })], resource: 'memory', ready: 0, ignored: ['done'] },
  {
    name: 'Ready=Unknown is not unready after the initialization period - CPU',
    pods: [pod('kant', { startTimeMs: NOW_MS - 10 * m, readyTransitionMs: NOW_MS - 9 * m - 55 * s, readyStatus: 'Unknown', usage: sample() })],
    resource: 'cpu',
    ready: 1,
  },
  {
    name: 'Ready=False with the same times is unready - CPU',
    pods: [pod('kant', { startTimeMs: NOW_MS - 10 * m, readyTransitionMs: NOW_MS - 9 * m - 55 * s, readyStatus: 'False', usage: sample() })],
    resource: 'cpu',
    ready: 0,
    unready: ['kant'],
  },
  {
    name: 'Ready=Unknown with a fresh sample during the initialization period counts - CPU',
    pods: [pod('kant', { startTimeMs: NOW_MS - m, readyTransitionMs: NOW_MS - 30 * s, readyStatus: 'Unknown', usage: sample(NOW_MS, 30 * s) })],
    resource: 'cpu',
    ready: 1,
  },
  {
    name: 'Ready=Unknown with a sample older than a window after the transition is unready - CPU',
    pods: [pod('kant', { startTimeMs: NOW_MS - m, readyTransitionMs: NOW_MS - 30 * s, readyStatus: 'Unknown', usage: sample(NOW_MS, 60 * s) })],
    resource: 'cpu',
    ready: 0,
    unready: ['kant'],
  },
  {
    name: 'a running pod that is not ready counts for memory',
    pods: [pod('hume', { phase: 'Running', startTimeMs: NOW_MS - 10 * s, readyTransitionMs: NOW_MS - 5 * s, usage: sample() })],
    resource: 'memory',
    ready: 1,
  },
  {
    name: 'the same pod is unready for CPU',
    pods: [pod('hume', { phase: 'Running', startTimeMs: NOW_MS - 10 * s, readyTransitionMs: NOW_MS - 5 * s, usage: sample() })],
    resource: 'cpu',
    ready: 0,
    unready: ['hume'],
  },
  { name: 'pending beats missing', pods: [pod('waiting', { phase: 'Pending' })], resource: 'memory', ready: 0, unready: ['waiting'] },
];

describe('groupPods', () => {
  it.each(cases)('$name', ({ pods, resource, ready, unready = [], missing = [], ignored = [] }) => {
    expect(groupPods(pods, resource, TEST_TIMINGS, NOW_MS)).toEqual({ readyPodCount: ready, unready, missing, ignored });
  });
});
