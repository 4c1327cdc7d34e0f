import type { KubeConfig } from '@kubernetes/client-node';
import type { CustomMetric, DescribedObject, MetricIdentifier } from '../custom-metric.ts';
import type { CustomMetricReading } from '../custom-metrics-snapshot.ts';
import { quantityText, quantityToMilli } from '../quantity.ts';
import { kubeGetJson } from './kube-get.ts';
import { readPromqlMetric, type HpaPrometheusOptions } from './promql-readers.ts';

/** The API versions the controller reads (`custom.metrics.k8s.io/v1beta2`, `external.metrics.k8s.io/v1beta1`). */
export const CUSTOM_METRICS_API = '/apis/custom.metrics.k8s.io/v1beta2';
export const EXTERNAL_METRICS_API = '/apis/external.metrics.k8s.io/v1beta1';

/** One item of a `MetricValueList` / `ExternalMetricValueList`, as far as it is read here. */
interface MetricItem {
  readonly describedObject?: { readonly name?: string };
  readonly value?: unknown;
}

/** What one round's reads share: credentials, the namespace, the abort signal and the kind-to-resource lookup. */
export interface ReadContext {
  readonly kc: KubeConfig;
  readonly namespace: string;
  /** The target's pod selector in text form (`app=web`). */
  readonly podSelector: string;
  readonly signal: AbortSignal;
  /** `deployments.apps` for `apps/v1` `Deployment` (the API's `<resource>.<group>`; core: `services`). */
  readonly resourceOf: (object: DescribedObject) => Promise<string>;
  /** The target's name (for `{{name}}` in PromQL queries). */
  readonly targetName: string;
  /** Where metrics with a PromQL `query` are read; undefined when the scaler has no Prometheus. */
  readonly prometheus?: HpaPrometheusOptions | undefined;
}

function query(params: Readonly<Record<string, string>>): string {
  const set = Object.entries(params).filter(([, v]) => v !== '');
  return set.length ? `?${new URLSearchParams(set).toString()}` : '';
}

/** The items of a metric list answer. */
function itemsOf(body: unknown): readonly MetricItem[] {
  const items = (body as { items?: unknown } | undefined)?.items;
  return Array.isArray(items) ? (items as MetricItem[]) : [];
}

/** An item's value in milli-units, rounded up (`Quantity.MilliValue()`). */
function milliOf(item: MetricItem, what: string): number {
  const text = quantityText(item.value);
  const milli = text === undefined ? undefined : quantityToMilli(text);
  if (milli === undefined) throw new Error(`${what}: the API answered a value that is not a quantity: ${JSON.stringify(item.value)}`);
  return milli;
}

const name = (m: MetricIdentifier): string => encodeURIComponent(m.name);

/**
 * A Pods metric like the controller's `GetRawMetric`: every pod the target selects, with its value, from
 * `GET <custom>/namespaces/<ns>/pods/*\/<metric>?labelSelector=<pods>&metricLabelSelector=<selector>`. No items is
 * an error, as in the controller.
 */
async function readPods(ctx: ReadContext, m: MetricIdentifier): Promise<CustomMetricReading> {
  const path = `${CUSTOM_METRICS_API}/namespaces/${ctx.namespace}/pods/*/${name(m)}${query({ labelSelector: ctx.podSelector, metricLabelSelector: m.selector })}`;
  const items = itemsOf(await kubeGetJson(ctx.kc, path, ctx.signal));
  if (items.length === 0) return { ok: false, error: `no values of pods metric ${m.name} returned from the custom metrics API` };
  const valuesMilli: Record<string, number> = {};
  for (const item of items) if (item.describedObject?.name) valuesMilli[item.describedObject.name] = milliOf(item, `pods metric ${m.name}`);
  return { ok: true, kind: 'pods', valuesMilli };
}

/**
 * An Object metric like `GetObjectMetric`: `GET <custom>/namespaces/<ns>/<resource>/<name>/<metric>` (for a
 * Namespace, `.../namespaces/<ns>/metrics/<metric>`: an object metric never leaves the target's namespace);
 * exactly one item.
 */
async function readObject(ctx: ReadContext, object: DescribedObject, m: MetricIdentifier): Promise<CustomMetricReading> {
  const group = object.apiVersion.includes('/') ? object.apiVersion.split('/')[0] : '';
  const base = `${CUSTOM_METRICS_API}/namespaces/${ctx.namespace}`;
  const at = object.kind === 'Namespace' && group === '' ? `${base}/metrics` : `${base}/${await ctx.resourceOf(object)}/${encodeURIComponent(object.name)}`;
  const items = itemsOf(await kubeGetJson(ctx.kc, `${at}/${name(m)}${query({ metricLabelSelector: m.selector })}`, ctx.signal));
  const [item] = items;
  if (items.length !== 1 || item === undefined) {
    return { ok: false, error: `the custom metrics API returned ${items.length} values of ${m.name} on ${object.kind} ${object.name}; expected exactly one` };
  }
  return { ok: true, kind: 'total', valueMilli: milliOf(item, `${object.kind} metric ${m.name}`) };
}

/** An External metric like `GetExternalMetric`: the sum of the series the selector matches; none is an error. */
async function readExternal(ctx: ReadContext, m: MetricIdentifier): Promise<CustomMetricReading> {
  const path = `${EXTERNAL_METRICS_API}/namespaces/${ctx.namespace}/${name(m)}${query({ labelSelector: m.selector })}`;
  const items = itemsOf(await kubeGetJson(ctx.kc, path, ctx.signal));
  if (items.length === 0) return { ok: false, error: `no values of external metric ${m.name} returned from the external metrics API` };
  const valueMilli = items.reduce((sum, item) => sum + milliOf(item, `external metric ${m.name}`), 0);
  return { ok: true, kind: 'total', valueMilli };
}

/**
 * Reads one metric (from Prometheus when it has a PromQL `query`); a failure is a reading with its error (the
 * metric is invalid this round), never a zero.
 */
export async function readCustomMetric(ctx: ReadContext, metric: CustomMetric): Promise<CustomMetricReading> {
  try {
    if (metric.source !== 'Object' && metric.query !== undefined) {
      return await readPromqlMetric(ctx.prometheus, { ...metric, query: metric.query }, { namespace: ctx.namespace, name: ctx.targetName }, ctx.signal);
    }
    if (metric.source === 'Pods') return await readPods(ctx, metric.metric);
    if (metric.source === 'Object') return await readObject(ctx, metric.describedObject, metric.metric);
    return await readExternal(ctx, metric.metric);
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}
