import type { ResourceName } from './group-pods.ts';
import type { HpaMetricsSpec } from './metrics-parse.ts';
import { formatBytes, formatMillicores } from './quantity.ts';

/** The CPU utilization target (percent of requests) the HPA uses when no target is configured. */
export const DEFAULT_CPU_UTILIZATION = 80;

/** One resource metric target, as in an autoscaling/v2 `ResourceMetricSource`. */
export type MetricTarget =
  /** Average usage as a percentage of the pods' requests (may exceed 100). */
  | { readonly resource: ResourceName; readonly kind: 'utilization'; readonly averageUtilization: number }
  /** Average usage per pod: millicores for CPU, bytes for memory. */
  | { readonly resource: ResourceName; readonly kind: 'average'; readonly averageValue: number };

/** The targets a config declares; at least one, since an HPA without metrics defaults to CPU at 80 %. */
export interface MetricTargetConfig {
  readonly cpuUtilization: number | undefined;
  readonly memoryUtilization: number | undefined;
  readonly cpuAverageMilli: number | undefined;
  readonly memoryAverageBytes: number | undefined;
  /** `ebb.dev/hpa.metrics`, when set. */
  readonly metrics?: HpaMetricsSpec | undefined;
}

/**
 * The resource metric targets of a config, in a fixed order (CPU utilization, memory utilization, CPU average,
 * memory average, then the Resource metrics of `metrics` in their order). With no metric at all (no Pods, Object
 * or External metric either): CPU utilization at {@link DEFAULT_CPU_UTILIZATION} %, like the API default.
 */
export function metricTargets(config: MetricTargetConfig): readonly MetricTarget[] {
  const targets: MetricTarget[] = [];
  if (config.cpuUtilization !== undefined) targets.push({ resource: 'cpu', kind: 'utilization', averageUtilization: config.cpuUtilization });
  if (config.memoryUtilization !== undefined) targets.push({ resource: 'memory', kind: 'utilization', averageUtilization: config.memoryUtilization });
  if (config.cpuAverageMilli !== undefined) targets.push({ resource: 'cpu', kind: 'average', averageValue: config.cpuAverageMilli });
  if (config.memoryAverageBytes !== undefined) targets.push({ resource: 'memory', kind: 'average', averageValue: config.memoryAverageBytes });
  targets.push(...(config.metrics?.resources ?? []));
  if (targets.length === 0 && !config.metrics?.custom.length) targets.push({ resource: 'cpu', kind: 'utilization', averageUtilization: DEFAULT_CPU_UTILIZATION });
  return targets;
}

/** A metric value in the target's units, for people: `85%`, `250m`, `512Mi`. */
export function formatMetricValue(target: MetricTarget, value: number): string {
  if (target.kind === 'utilization') return `${value}%`;
  return target.resource === 'cpu' ? formatMillicores(value) : formatBytes(value);
}

/** A short name of the metric: `cpu utilization`, `memory average`. */
export function metricLabel(target: MetricTarget): string {
  return `${target.resource} ${target.kind === 'utilization' ? 'utilization' : 'average'}`;
}

/** The target value for people: `50%`, `500m`, `512Mi`. */
export function formatTargetValue(target: MetricTarget): string {
  return formatMetricValue(target, target.kind === 'utilization' ? target.averageUtilization : target.averageValue);
}
