import type { PodPhase, PodSample } from '../pod-metrics-snapshot.ts';
import type { ResourceName } from '../group-pods.ts';

/** "Now" of the tests: 2026-01-01T00:00:00Z. */
export const NOW_MS = Date.UTC(2026, 0, 1);
/** The controller's tests use two containers per pod with the same request and usage each. */
export const CONTAINERS_PER_POD = 2;
/** A pod started now: inside the CPU initialization period ("hot"). */
export const HOT_START_MS = NOW_MS;
/** A pod started 3 minutes ago: outside the tests' 2 minute CPU initialization period ("cool"). */
export const COOL_START_MS = NOW_MS - 3 * 60_000;
/** The readiness timings of the controller's tests. */
export const TEST_TIMINGS = { cpuInitializationPeriodMs: 2 * 60_000, initialReadinessDelayMs: 10_000 };

/**
 * The pods of one case, built like the controller's `replicaCalcTestCase`: `max(currentReplicas, phases)`
 * pods named `test-pod-<i>`, Running and Ready unless told otherwise, started and turned ready at time 0 (long
 * ago), with `requests[i]` and `levels[i]` per container (pods beyond `levels` have no sample; beyond
 * `requests` no request). Samples end at time 0 with a 1 minute window.
 */
export interface PodTable {
  readonly currentReplicas: number;
  readonly resource: ResourceName;
  /** Per container: millicores for CPU, bytes for memory. */
  readonly requests?: readonly number[];
  /** Per container usage: millicores for CPU, bytes for memory. */
  readonly levels: readonly number[];
  readonly readiness?: readonly boolean[];
  readonly phases?: readonly PodPhase[];
  readonly deleted?: readonly boolean[];
  readonly startTimes?: readonly number[];
}

export function tablePods(t: PodTable): PodSample[] {
  const count = Math.max(t.currentReplicas, t.phases?.length ?? 0);
  return Array.from({ length: count }, (_, i) => {
    const request = t.requests?.[i];
    const level = t.levels[i];
    const perPod = (n: number): number => n * CONTAINERS_PER_POD;
    return {
      name: `test-pod-${i}`,
      phase: t.phases?.[i] ?? 'Running',
      ready: t.readiness?.[i] ?? true,
      deleted: t.deleted?.[i] ?? false,
      startTimeMs: t.startTimes?.[i] ?? 0,
      readyTransitionMs: 0,
      requests: request === undefined ? {} : t.resource === 'cpu' ? { cpuMilli: perPod(request) } : { memoryBytes: perPod(request) },
      ...(level === undefined
        ? {}
        : {
            usage: {
              cpuMilli: t.resource === 'cpu' ? perPod(level) : 0,
              memoryBytes: t.resource === 'memory' ? perPod(level) : 0,
              windowMs: 60_000,
              timestampMs: 0,
            },
          }),
    };
  });
}

/** A running, ready pod with CPU and memory requests and a fresh sample; override any field. */
export function pod(name: string, overrides: Partial<PodSample> = {}): PodSample {
  return {
    name,
    phase: 'Running',
    ready: true,
    deleted: false,
    startTimeMs: NOW_MS - 3_600_000,
    readyTransitionMs: NOW_MS - 3_500_000,
    requests: { cpuMilli: 1000, memoryBytes: 1024 ** 3 },
    usage: { cpuMilli: 500, memoryBytes: 512 * 1024 ** 2, windowMs: 30_000, timestampMs: NOW_MS - 5_000 },
    ...overrides,
  };
}

/** `n` pods like {@link pod} using `cpuMilli` each (and half their memory request). */
export function cpuPods(n: number, cpuMilli: number, prefix = 'p'): PodSample[] {
  return Array.from({ length: n }, (_, i) =>
    pod(`${prefix}${i}`, { usage: { cpuMilli, memoryBytes: 512 * 1024 ** 2, windowMs: 30_000, timestampMs: NOW_MS - 5_000 } }),
  );
}
