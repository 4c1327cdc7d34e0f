import type { TargetInfo } from '@ebb/core';

/** Placeholders a PromQL template may use, filled per target. */
export const PROMQL_PLACEHOLDERS = ['{{namespace}}', '{{name}}', '{{selector}}'] as const;

/** A value inside a PromQL double-quoted string: backslashes and quotes escaped, newlines as `\n`. */
function quoted(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/**
 * A Kubernetes label key as a Prometheus label name, as Prometheus' `labelmap` of pod labels writes it: every
 * character outside `[a-zA-Z0-9_]` becomes `_` (`app.kubernetes.io/name` -> `app_kubernetes_io_name`).
 */
export function promLabelName(key: string): string {
  const name = key.replace(/[^a-zA-Z0-9_]/g, '_');
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

/**
 * Fills a PromQL template for one target: `{{namespace}}` and `{{name}}` with the Deployment's namespace and name,
 * `{{selector}}` with its pod selector as label matchers, sorted by key. Values are escaped for use inside
 * double quotes, where the template puts them.
 * Example: `sum(http_in_flight{namespace="{{namespace}}",{{selector}}})` for `shop/web` with selector
 * `app: web` -> `sum(http_in_flight{namespace="shop",app="web"})`.
 */
export function expandPromql(template: string, target: Pick<TargetInfo, 'ref' | 'selector'>): string {
  const selector = Object.entries(target.selector)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${promLabelName(k)}="${quoted(v)}"`)
    .join(',');
  return template
    .replaceAll('{{namespace}}', quoted(target.ref.namespace))
    .replaceAll('{{name}}', quoted(target.ref.name))
    .replaceAll('{{selector}}', selector);
}
