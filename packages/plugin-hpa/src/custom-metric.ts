/**
 * The autoscaling/v2 metric sources beyond CPU and memory: `Pods`, `Object` and `External`, read from the
 * `custom.metrics.k8s.io` and `external.metrics.k8s.io` APIs. Values and targets are kept in thousandths of their
 * unit (milli-units), as the controller reads them (`Quantity.MilliValue()`): `500m` -> 500, `2` -> 2000.
 */

/** A metric's name and label selector, as autoscaling/v2 `MetricIdentifier`. */
export interface MetricIdentifier {
  readonly name: string;
  /** The selector in the API's query form (`env=prod,tier in (a,b)`); empty for none. */
  readonly selector: string;
}

/** The target of an Object or External metric: the total value, or the value per pod. */
export type ValueTarget =
  | { readonly type: 'Value'; readonly valueMilli: number }
  | { readonly type: 'AverageValue'; readonly averageValueMilli: number };

/** The object an Object metric describes (autoscaling/v2 `CrossVersionObjectReference`). */
export interface DescribedObject {
  /** `v1`, `apps/v1`, `networking.k8s.io/v1`. */
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
}

/** One Pods, Object or External metric of a target. */
export type CustomMetric =
  /**
   * The average over the target's pods of a per-pod metric, against `averageValueMilli`. With `query`, the values
   * come from that PromQL query (one series per pod, by its `pod` label) instead of custom.metrics.k8s.io.
   */
  | { readonly source: 'Pods'; readonly metric: MetricIdentifier; readonly averageValueMilli: number; readonly query?: string }
  /** A metric of another object in the target's namespace (an Ingress' requests per second). */
  | { readonly source: 'Object'; readonly describedObject: DescribedObject; readonly metric: MetricIdentifier; readonly target: ValueTarget }
  /**
   * A metric from outside the cluster: the sum of the series the selector matches. With `query`, the sum of that
   * PromQL query's series instead of external.metrics.k8s.io.
   */
  | { readonly source: 'External'; readonly metric: MetricIdentifier; readonly target: ValueTarget; readonly query?: string };

/** The source kinds of {@link CustomMetric}. */
export type CustomMetricSource = CustomMetric['source'];

/**
 * A stable identity of a metric, under which the collector publishes its reading and the decision finds it.
 * Example: `External/queue_depth{queue=orders}`, `Object/networking.k8s.io/v1/Ingress/main/requests`.
 */
export function customMetricId(m: CustomMetric): string {
  const metric = `${m.metric.name}${m.metric.selector ? `{${m.metric.selector}}` : ''}`;
  if (m.source === 'Object') {
    const o = m.describedObject;
    return `Object/${o.apiVersion}/${o.kind}/${o.name}/${metric}`;
  }
  return `${m.source}/${metric}${m.query === undefined ? '' : ` query ${m.query}`}`;
}

/** True for the metrics the HPA can scale from zero on (KEP-2021): Object and External. */
export function scalesFromZero(m: CustomMetric): boolean {
  return m.source === 'Object' || m.source === 'External';
}

/** A milli-value for people: `500m`, `42`, `1500m`. */
export function formatMilli(milli: number): string {
  return milli % 1000 === 0 ? `${milli / 1000}` : `${milli}m`;
}

/** Short name of the metric: `pods metric rps`, `Ingress metric requests`, `external metric queue_depth`. */
export function customMetricLabel(m: CustomMetric): string {
  if (m.source === 'Object') return `${m.describedObject.kind} metric ${m.metric.name}`;
  return `${m.source === 'Pods' ? 'pods' : 'external'} metric ${m.metric.name}`;
}

/** The target for people: `500m per pod`, `42` (total). */
export function formatCustomTarget(m: CustomMetric): string {
  if (m.source === 'Pods') return `${formatMilli(m.averageValueMilli)} per pod`;
  return m.target.type === 'Value' ? formatMilli(m.target.valueMilli) : `${formatMilli(m.target.averageValueMilli)} per pod`;
}
