import type { AnyMetric } from './compute-metrics.ts';
import { customMetricLabel, formatCustomTarget, formatMilli } from './custom-metric.ts';
import { formatMetricValue, formatTargetValue, metricLabel } from './metric-target.ts';

/** Short name of any metric: `cpu utilization`, `pods metric rps`, `external metric queue_depth`. */
export function anyMetricLabel(m: AnyMetric): string {
  return 'source' in m ? customMetricLabel(m) : metricLabel(m);
}

/** A current value of the metric for people: `85%`, `250m`, `512Mi`; `1500m`, `42` for Pods/Object/External. */
export function formatAnyValue(m: AnyMetric, value: number): string {
  return 'source' in m ? formatMilli(value) : formatMetricValue(m, value);
}

/** The target for people: `50%`, `512Mi`, `10 per pod`, `30`. */
export function formatAnyTarget(m: AnyMetric): string {
  return 'source' in m ? formatCustomTarget(m) : formatTargetValue(m);
}

/** The target as a number in the metric's unit (percent, millicores, bytes, or milli-units). */
export function targetNumber(m: AnyMetric): number {
  if (!('source' in m)) return m.kind === 'utilization' ? m.averageUtilization : m.averageValue;
  if (m.source === 'Pods') return m.averageValueMilli;
  return m.target.type === 'Value' ? m.target.valueMilli : m.target.averageValueMilli;
}
