import type { IssueReporter } from './behavior-parse.ts';
import type { CustomMetric, DescribedObject, MetricIdentifier, ValueTarget } from './custom-metric.ts';
import { labelSelectorText } from './label-selector.ts';
import type { MetricTarget } from './metric-target.ts';
import { quantityText, quantityToMilli, quantityToUnits } from './quantity.ts';

/** The metrics of `ebb.dev/hpa.metrics`: CPU/memory targets and Pods/Object/External metrics, in their order. */
export interface HpaMetricsSpec {
  readonly resources: readonly MetricTarget[];
  readonly custom: readonly CustomMetric[];
}

const TYPES = ['Resource', 'Pods', 'Object', 'External'];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function show(v: unknown): string {
  return typeof v === 'string' ? `"${v}"` : (JSON.stringify(v) ?? String(v));
}

/** A mapping at `path`, or undefined after reporting. */
function mapping(doc: unknown, path: string, fields: string, issue: IssueReporter): Record<string, unknown> | undefined {
  if (isRecord(doc)) return doc;
  issue(`${path} must be a mapping with ${fields}, got ${show(doc)}`, fields);
  return undefined;
}

/** A quantity > 0 in milli-units (rounded up like `MilliValue()`), or undefined after reporting. */
function positiveMilli(doc: unknown, path: string, issue: IssueReporter): number | undefined {
  const text = quantityText(doc);
  const milli = text === undefined ? undefined : quantityToMilli(text);
  if (milli !== undefined && milli > 0) return milli;
  issue(`${path} must be a quantity greater than 0 such as 500m, 10 or 2k, got ${show(doc)}`, 'quantity > 0');
  return undefined;
}

function identifier(doc: unknown, path: string, issue: IssueReporter): MetricIdentifier | undefined {
  const m = mapping(doc, path, 'name and an optional selector', issue);
  if (!m) return undefined;
  const name = m['name'];
  if (typeof name !== 'string' || name === '') {
    issue(`${path}.name must be the metric's name, got ${show(name)}`);
    return undefined;
  }
  const selector = labelSelectorText(m['selector'], `${path}.selector`, issue);
  return selector === undefined ? undefined : { name, selector };
}

/** A target of one of `allowed` types, with its value field. */
function valueTarget(doc: unknown, path: string, allowed: readonly ('Value' | 'AverageValue')[], issue: IssueReporter): ValueTarget | undefined {
  const t = mapping(doc, path, 'type and value or averageValue', issue);
  if (!t) return undefined;
  const type = t['type'];
  if (type !== 'Value' && type !== 'AverageValue') {
    issue(`${path}.type must be ${allowed.join(' or ')}, got ${show(type)}`, allowed.join(' | '));
    return undefined;
  }
  if (!allowed.includes(type)) {
    issue(`${path}.type must be ${allowed.join(' or ')} for this metric, got ${show(type)}`, allowed.join(' | '));
    return undefined;
  }
  if (type === 'Value') {
    const valueMilli = positiveMilli(t['value'], `${path}.value`, issue);
    return valueMilli === undefined ? undefined : { type, valueMilli };
  }
  const averageValueMilli = positiveMilli(t['averageValue'], `${path}.averageValue`, issue);
  return averageValueMilli === undefined ? undefined : { type, averageValueMilli };
}

function resource(doc: unknown, path: string, issue: IssueReporter): MetricTarget | undefined {
  const r = mapping(doc, path, 'name and target', issue);
  if (!r) return undefined;
  const name = r['name'];
  if (name !== 'cpu' && name !== 'memory') {
    issue(`${path}.name must be cpu or memory, got ${show(name)}`, 'cpu | memory');
    return undefined;
  }
  const t = mapping(r['target'], `${path}.target`, 'type and averageUtilization or averageValue', issue);
  if (!t) return undefined;
  if (t['type'] === 'Utilization') {
    const u = t['averageUtilization'];
    if (typeof u === 'number' && Number.isSafeInteger(u) && u >= 1) return { resource: name, kind: 'utilization', averageUtilization: u };
    issue(`${path}.target.averageUtilization must be an integer >= 1 (percent of requests), got ${show(u)}`, 'integer >= 1');
    return undefined;
  }
  if (t['type'] === 'AverageValue') {
    const text = quantityText(t['averageValue']);
    const value = text === undefined ? undefined : name === 'cpu' ? quantityToMilli(text) : quantityToUnits(text);
    if (value !== undefined && value > 0) return { resource: name, kind: 'average', averageValue: value };
    issue(`${path}.target.averageValue must be a quantity greater than 0 such as 250m or 512Mi, got ${show(t['averageValue'])}`, 'quantity > 0');
    return undefined;
  }
  issue(`${path}.target.type must be Utilization or AverageValue, got ${show(t['type'])}`, 'Utilization | AverageValue');
  return undefined;
}

function describedObject(doc: unknown, path: string, issue: IssueReporter): DescribedObject | undefined {
  const o = mapping(doc, path, 'apiVersion, kind and name', issue);
  if (!o) return undefined;
  const { apiVersion = 'v1', kind, name } = o;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || kind === '' || typeof name !== 'string' || name === '') {
    issue(`${path} must name the object with apiVersion, kind and name, got ${show(doc)}`, 'apiVersion, kind, name');
    return undefined;
  }
  return { apiVersion, kind, name };
}

/**
 * Ebb's extension of Pods and External metrics: a PromQL query to read the metric from Prometheus directly.
 * Undefined when absent; null after reporting a problem.
 */
function promql(doc: unknown, path: string, type: unknown, issue: IssueReporter): string | undefined | null {
  if (doc === undefined) return undefined;
  if (type === 'Object') {
    issue(`${path}: a PromQL query is read as a Pods or External metric; write this metric as type External with the query`, 'Pods | External');
    return null;
  }
  if (typeof doc === 'string' && doc.trim() !== '') return doc.trim();
  issue(`${path} must be a PromQL query, got ${show(doc)}`, 'a PromQL expression');
  return null;
}

function metricSpec(doc: unknown, path: string, issue: IssueReporter): MetricTarget | CustomMetric | undefined {
  const spec = mapping(doc, path, `type (${TYPES.join(', ')}) and its source`, issue);
  if (!spec) return undefined;
  const type = spec['type'];
  if (type === 'ContainerResource') {
    issue(`${path}.type ContainerResource is not supported: the plugin reads whole pods' usage; use Resource`, TYPES.join(' | '));
    return undefined;
  }
  const field = typeof type === 'string' ? type.charAt(0).toLowerCase() + type.slice(1) : '';
  if (!TYPES.includes(type as string)) {
    issue(`${path}.type must be one of ${TYPES.join(', ')}, got ${show(type)}`, TYPES.join(' | '));
    return undefined;
  }
  const src = mapping(spec[field], `${path}.${field}`, 'metric and target', issue);
  if (!src) return undefined;
  const at = `${path}.${field}`;
  if (type === 'Resource') return resource(src, at, issue);
  const metric = identifier(src['metric'], `${at}.metric`, issue);
  const query = promql(src['query'], `${at}.query`, type, issue);
  if (query === null) return undefined;
  const withQuery = query === undefined ? {} : { query };
  if (type === 'Pods') {
    const target = valueTarget(src['target'], `${at}.target`, ['AverageValue'], issue);
    return metric && target?.type === 'AverageValue' ? { source: 'Pods', metric, averageValueMilli: target.averageValueMilli, ...withQuery } : undefined;
  }
  const target = valueTarget(src['target'], `${at}.target`, ['Value', 'AverageValue'], issue);
  if (type === 'External') return metric && target ? { source: 'External', metric, target, ...withQuery } : undefined;
  const object = describedObject(src['describedObject'], `${at}.describedObject`, issue);
  return metric && target && object ? { source: 'Object', describedObject: object, metric, target } : undefined;
}

/**
 * Checks a YAML document in the shape of an autoscaling/v2 HPA's `metrics:` list (or a mapping holding that
 * list under `metrics`, so the block can be pasted with its key) and returns the metrics typed. Supported:
 * `Resource` (cpu, memory; Utilization or AverageValue), `Pods` (AverageValue), `Object` and `External` (Value
 * or AverageValue), with selectors. Every problem is reported through `issue`; undefined when there are any.
 *
 * ```yaml
 * - type: External
 *   external:
 *     metric: { name: queue_messages_ready, selector: { matchLabels: { queue: orders } } }
 *     target: { type: AverageValue, averageValue: "30" }
 * ```
 */
export function parseMetricSpecs(doc: unknown, issue: IssueReporter): HpaMetricsSpec | undefined {
  const list = isRecord(doc) && Object.keys(doc).length === 1 && 'metrics' in doc ? doc['metrics'] : doc;
  if (!Array.isArray(list) || list.length === 0) {
    issue(`metrics must be a non-empty YAML list of autoscaling/v2 metric specs, got ${show(list)}`, 'a list of {type, resource|pods|object|external}');
    return undefined;
  }
  let problems = 0;
  const count: IssueReporter = (message, allowed) => {
    problems++;
    issue(message, allowed);
  };
  const parsed = list.map((item, i) => metricSpec(item, `metrics[${i}]`, count));
  if (problems > 0 || parsed.some((p) => p === undefined)) return undefined;
  const all = parsed as (MetricTarget | CustomMetric)[];
  return {
    resources: all.filter((m): m is MetricTarget => 'resource' in m),
    custom: all.filter((m): m is CustomMetric => 'source' in m),
  };
}
