import { parseDuration } from '@ebb/core';
import type { PodMetric } from '@kubernetes/client-node';
import type { PodUsage } from '../pod-metrics-snapshot.ts';
import { quantityToMilli, quantityToUnits } from '../quantity.ts';
import { timeMs } from './pod-info.ts';

/**
 * One `metrics.k8s.io` PodMetrics item as a {@link PodUsage}, like the HPA's resource metrics client: CPU is the
 * sum of the containers' usage in millicores, each rounded up (`12345678n` -> 13), memory the sum of their working
 * sets in bytes. Undefined when the sample is incomplete: no containers, a container without CPU or memory, or an
 * unreadable timestamp or window (the HPA then treats the pod as one without metrics).
 * Example: containers at `250m`/`100Mi` and `5000000n`/`20Mi`, window `30s` -> 255 millicores, 125829120 bytes,
 * 30000 ms.
 */
export function podUsage(metric: PodMetric): PodUsage | undefined {
  const containers = metric.containers ?? [];
  if (containers.length === 0) return undefined;
  let cpuMilli = 0;
  let memoryBytes = 0;
  for (const c of containers) {
    const cpu = c.usage?.cpu === undefined ? undefined : quantityToMilli(String(c.usage.cpu));
    const memory = c.usage?.memory === undefined ? undefined : quantityToUnits(String(c.usage.memory));
    if (cpu === undefined || memory === undefined) return undefined;
    cpuMilli += cpu;
    memoryBytes += memory;
  }
  const timestampMs = timeMs(metric.timestamp);
  const windowMs = typeof metric.window === 'string' ? parseDuration(metric.window) : undefined;
  if (timestampMs === undefined || windowMs === undefined || windowMs < 0) return undefined;
  return { cpuMilli, memoryBytes, windowMs, timestampMs };
}
