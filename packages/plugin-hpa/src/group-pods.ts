import type { PodSample } from './pod-metrics-snapshot.ts';

/** The resources the HPA plugin scales on. */
export type ResourceName = 'cpu' | 'memory';

/** Readiness rules of {@link groupPods}, in ms. */
export interface ReadinessTimings {
  /** After a pod starts, CPU samples count only once taken a full window after the pod became ready (default 5 min). */
  readonly cpuInitializationPeriodMs: number;
  /** A pod that turned unready within this long after starting counts as never ready (default 30 s). */
  readonly initialReadinessDelayMs: number;
}

/** The pods of a target sorted the way the HPA controller sorts them (`groupPods`). */
export interface PodGroups {
  /** Pods whose sample is used as is. */
  readonly readyPodCount: number;
  /** Pending pods and (for CPU) pods not ready or still initialising: left out, or counted as 0 % on a scale-up. */
  readonly unready: readonly string[];
  /** Running pods without a sample: counted as 0 % on a scale-up and 100 % on a scale-down. */
  readonly missing: readonly string[];
  /** Deleted pods and pods that have finished (Failed or Succeeded): left out entirely. */
  readonly ignored: readonly string[];
}

/**
 * True when the pod's Ready condition is `False`. The controller tests `condition.Status == ConditionFalse`, so a
 * pod whose readiness is `Unknown` (its node stopped reporting) is not unready and its sample counts.
 */
function readyFalse(pod: PodSample): boolean {
  return pod.readyStatus === undefined ? !pod.ready : pod.readyStatus === 'False';
}

/**
 * Whether a running pod's CPU sample must be treated as unready.
 *
 * - No Ready condition or no start time: unready.
 * - Within the CPU initialisation period after the start: unready when Ready is False, or when the sample's window
 *   began before the pod became ready. Example: started 60 s ago, ready since 30 s, sample with a 60 s window
 *   ending now -> the window began 30 s before readiness -> unready; with a 30 s window it counts.
 * - After the initialisation period: unready only when Ready is False and it never was ready, i.e. its last
 *   transition happened within the initial readiness delay of the start. Example: started 10 min ago, unready
 *   since 9 min 54 s, delay 10 s -> it never became ready -> unready; unready since 9 min -> it was ready once
 *   and its sample counts.
 */
function cpuSampleUnready(pod: PodSample, timings: ReadinessTimings, nowMs: number): boolean {
  const { startTimeMs, readyTransitionMs, usage } = pod;
  if (startTimeMs === undefined || readyTransitionMs === undefined || usage === undefined) return true;
  if (startTimeMs + timings.cpuInitializationPeriodMs > nowMs) {
    return readyFalse(pod) || usage.timestampMs < readyTransitionMs + usage.windowMs;
  }
  return readyFalse(pod) && startTimeMs + timings.initialReadinessDelayMs > readyTransitionMs;
}

/** Failed and Succeeded pods have finished (`podutil.IsPodTerminal`). */
function terminal(pod: PodSample): boolean {
  return pod.phase === 'Failed' || pod.phase === 'Succeeded';
}

/**
 * Sorts pods into ready, unready, missing and ignored, in this order of checks: deleted or finished (Failed,
 * Succeeded) -> ignored; pending -> unready; no sample -> missing; for CPU only, {@link cpuSampleUnready} ->
 * unready; else ready.
 * For memory and for Pods metrics (`resource` undefined, samples told by `hasSample`) a running pod that is not
 * ready still counts as ready, as in the controller.
 */
export function groupPods(
  pods: readonly PodSample[],
  resource: ResourceName | undefined,
  timings: ReadinessTimings,
  nowMs: number,
  hasSample: (pod: PodSample) => boolean = (pod) => pod.usage !== undefined,
): PodGroups {
  let readyPodCount = 0;
  const unready: string[] = [];
  const missing: string[] = [];
  const ignored: string[] = [];
  for (const pod of pods) {
    if (pod.deleted || terminal(pod)) {
      ignored.push(pod.name);
    } else if (pod.phase === 'Pending') {
      unready.push(pod.name);
    } else if (!hasSample(pod)) {
      missing.push(pod.name);
    } else if (resource === 'cpu' && cpuSampleUnready(pod, timings, nowMs)) {
      unready.push(pod.name);
    } else {
      readyPodCount++;
    }
  }
  return { readyPodCount, unready, missing, ignored };
}
