import type { CustomMetric } from '../custom-metric.ts';
import type { CustomMetricReading } from '../custom-metrics-snapshot.ts';

/** Where the PromQL queries of `ebb.dev/hpa.metrics` go (`pluginOptions.hpa.prometheus`). */
export interface HpaPrometheusOptions {
  /** Base URL of the Prometheus server, e.g. `http://prometheus.monitoring:9090`. */
  readonly url: string;
  /** Longest wait for one answer, ms (default 5000). */
  readonly timeoutMs?: number;
}

/** One series of an instant vector: its labels and value. */
interface Series {
  readonly metric?: Readonly<Record<string, string>>;
  readonly value?: readonly [number, string];
}

/** The part of `/api/v1/query`'s answer read here. */
interface QueryAnswer {
  readonly status?: string;
  readonly error?: string;
  readonly data?: { readonly resultType?: string; readonly result?: unknown };
}

/** `{{namespace}}` and `{{name}}` of the target, filled into a query. */
export function expandQuery(query: string, target: { readonly namespace: string; readonly name: string }): string {
  return query.replaceAll('{{namespace}}', target.namespace).replaceAll('{{name}}', target.name);
}

/** A sample value in milli-units, rounded up like `Quantity.MilliValue()`; undefined when not a finite number. */
function milli(text: unknown): number | undefined {
  const value = typeof text === 'string' ? Number(text) : NaN;
  return Number.isFinite(value) ? Math.ceil(Math.round(value * 1e9) / 1e6) : undefined;
}

/** Runs an instant query; returns its series (a scalar as one series without labels). */
async function instantQuery(prometheus: HpaPrometheusOptions, query: string, signal: AbortSignal): Promise<readonly Series[]> {
  const url = `${prometheus.url.replace(/\/+$/, '')}/api/v1/query`;
  const res = await fetch(url, {
    method: 'POST',
    body: new URLSearchParams({ query }),
    headers: { accept: 'application/json' },
    signal: AbortSignal.any([signal, AbortSignal.timeout(prometheus.timeoutMs ?? 5000)]),
  });
  const text = await res.text();
  let answer: QueryAnswer;
  try {
    answer = JSON.parse(text) as QueryAnswer;
  } catch {
    throw new Error(`${url} answered HTTP ${res.status} without a JSON body: ${text.slice(0, 200)}`);
  }
  if (answer.status !== 'success') throw new Error(`query ${query} failed (HTTP ${res.status}): ${answer.error ?? 'no message'}`);
  const { resultType, result } = answer.data ?? {};
  if (resultType === 'scalar' && Array.isArray(result)) return [{ value: result as [number, string] }];
  if (resultType === 'vector' && Array.isArray(result)) return result as Series[];
  throw new Error(`query ${query} gave a ${resultType ?? 'missing'} result; expected a scalar or an instant vector`);
}

/**
 * Reads a Pods or External metric from its PromQL `query` (with `{{namespace}}` and `{{name}}` of the target):
 * - External: the sum of the series (a scalar as is), like the sum of external.metrics.k8s.io's series;
 * - Pods: one value per series, by its `pod` label (series without one are an error), like custom.metrics.k8s.io's
 *   per-pod values.
 * No series is an error, as no items is for the metrics APIs; values are in milli-units, rounded up.
 */
export async function readPromqlMetric(
  prometheus: HpaPrometheusOptions | undefined,
  metric: CustomMetric & { readonly query: string },
  target: { readonly namespace: string; readonly name: string },
  signal: AbortSignal,
): Promise<CustomMetricReading> {
  if (prometheus === undefined) {
    return { ok: false, error: `${metric.metric.name} has a PromQL query, but the scaler has no Prometheus (pluginOptions.hpa.prometheus.url)` };
  }
  const query = expandQuery(metric.query, target);
  const series = await instantQuery(prometheus, query, signal);
  if (series.length === 0) return { ok: false, error: `query ${query} returned no series` };
  const values = series.map((s) => ({ pod: s.metric?.['pod'], milli: milli(s.value?.[1]) }));
  if (values.some((v) => v.milli === undefined)) return { ok: false, error: `query ${query} returned a value that is not a finite number` };
  if (metric.source !== 'Pods') return { ok: true, kind: 'total', valueMilli: values.reduce((sum, v) => sum + (v.milli ?? 0), 0) };
  const valuesMilli: Record<string, number> = {};
  for (const v of values) {
    if (v.pod === undefined) return { ok: false, error: `query ${query} returned a series without a pod label; a Pods metric needs one series per pod` };
    valuesMilli[v.pod] = v.milli ?? 0;
  }
  return { ok: true, kind: 'pods', valuesMilli };
}
