import { formatDuration, parseDuration } from '@ebb/core';
import { clampSeconds, FieldReader, secondsToDuration, type Mapping } from './convert-fields.ts';
import { KEYS } from './convert-keys.ts';

/** Routing and scaling settings of an HTTPScaledObject or InterceptorRoute, before a target is known. */
export interface HttpSettings {
  readonly annotations: Record<string, string>;
  readonly policies: Set<string>;
  readonly notes: string[];
}

/**
 * `hosts` -> `ebb.dev/eventgw.host`. Exact names and `*.domain` wildcards carry over; the gateway's wildcard
 * matches one label (`a.example.com`, not `a.b.example.com`) where the add-on's matches any depth, which gets a
 * note. The catch-all `*` does not carry over (the gateway routes only hosts a Deployment claims).
 */
export function routeHosts(hosts: readonly string[], path: string, out: HttpSettings): void {
  const claims = [...new Set(hosts.filter((h) => !h.includes('*') || (h.startsWith('*.') && !h.slice(2).includes('*'))))];
  const dropped = hosts.filter((h) => !claims.includes(h));
  const wild = claims.filter((h) => h.startsWith('*.'));
  if (wild.length) out.notes.push(`${path}: wildcard host(s) ${wild.join(', ')} match one label at the event gateway (a.example.com, not a.b.example.com); the add-on matches any depth`);
  if (dropped.length) out.notes.push(`${path}: host(s) ${dropped.join(', ')} not carried over: the event gateway routes only names and *.domain wildcards a Deployment claims, no catch-all`);
  // The add-on puts no limit on the requests in flight per pod; the gateway's default is 1.
  out.annotations[KEYS.gwContainerConcurrency] = '0';
  if (claims.length) out.annotations[KEYS.gwHost] = claims.join(',');
  else out.notes.push(`${path}: no host name, so the event gateway will not route to this target until ebb.dev/eventgw.host is set`);
}

/**
 * Path prefixes -> `ebb.dev/eventgw.path-prefix`. The gateway takes one prefix per Deployment; several become
 * their longest common prefix on a `/` boundary (which routes a superset of them), with a note.
 * Example: `/api/v1`, `/api/v2` -> `/api`; `/path1`, `/path2` -> `/`.
 */
export function routePaths(prefixes: readonly string[], path: string, out: HttpSettings): void {
  const list = [...new Set(prefixes.map((p) => (p.startsWith('/') ? p : `/${p}`)))];
  const [first, ...rest] = list.map((p) => p.split('/').filter(Boolean));
  if (!first) return;
  const common = first.filter((segment, i) => first.slice(0, i + 1).every((s, j) => rest.every((p) => p[j] === s)));
  const prefix = `/${common.join('/')}`;
  if (prefix !== '/') out.annotations[KEYS.gwPathPrefix] = prefix;
  if (!rest.length) return;
  out.notes.push(`${path}: the event gateway routes one path prefix per Deployment: ${list.join(', ')} become ${prefix} (which also routes the paths between them)`);
}

/**
 * `scalingMetric` -> policies. `concurrency.targetValue` T (default: `targetPendingRequests`, else 100) -> the
 * eventgw policy, `ceil(in-flight and queued / T)` pods with no per-pod limit (container-concurrency 0), as the
 * add-on counts pending requests. `requestRate` {targetValue, window} -> the KPA on the gateway's request rate at
 * 100 % utilization over that window. Both -> both (the higher count wins, as in the add-on).
 */
export function httpScaling(f: FieldReader, value: unknown, path: string, pendingDefault: number | undefined, out: HttpSettings): void {
  const sm = f.mapping(value, path);
  const concurrency = f.mapping(sm?.concurrency, `${path}.concurrency`);
  const rate = f.mapping(sm?.requestRate, `${path}.requestRate`);
  if (concurrency || !rate) {
    const target = concurrency ? (f.integer(concurrency.targetValue, `${path}.concurrency.targetValue`, { min: 1 }) ?? 100) : (pendingDefault ?? 100);
    out.annotations[KEYS.gwTarget] = String(target);
    out.policies.add('eventgw');
  }
  if (rate) {
    const target = f.integer(rate.targetValue, `${path}.requestRate.targetValue`, { min: 1 }) ?? 100;
    const windowS = durationSeconds(f, rate.window, `${path}.requestRate.window`) ?? 60;
    const window = clampSeconds(Math.round(windowS), 6, 3600, `${path}.requestRate.window`, KEYS.kpaWindow, out.notes);
    Object.assign(out.annotations, {
      [KEYS.kpaMetric]: 'rps',
      [KEYS.kpaMetricSource]: 'external',
      [KEYS.kpaTarget]: String(target),
      [KEYS.kpaUtilization]: '100',
      [KEYS.kpaWindow]: secondsToDuration(window),
    });
    out.policies.add('kpa');
    if (rate.granularity !== undefined) out.notes.push(`${path}.requestRate.granularity not carried over: the KPA keeps 1 s buckets`);
  }
}

/** A Go/metav1 duration string (`1m`, `90s`) in seconds, or undefined when absent. */
export function durationSeconds(f: FieldReader, value: unknown, path: string): number | undefined {
  const text = f.string(value, path);
  if (text === undefined) return undefined;
  const ms = parseDuration(text);
  if (ms === undefined || ms < 0) return f.fail(path, value, 'a duration such as 30s, 1m or 1m30s');
  return ms / 1000;
}

/** Settings of the add-on without a counterpart, each with a note when present. */
export function unsupportedHttpFields(spec: Mapping, path: string, fields: Readonly<Record<string, string>>, out: HttpSettings): void {
  for (const [field, why] of Object.entries(fields)) {
    if (spec[field] !== undefined && spec[field] !== null) out.notes.push(`${path}.${field} not carried over: ${why}`);
  }
}

/** A wait for a Ready pod in seconds -> `ebb.dev/eventgw.queue-timeout` (10ms..1h; 0, "no deadline", becomes 1h). */
export function queueTimeout(seconds: number): string {
  const ms = seconds === 0 ? 3_600_000 : Math.round(seconds * 1000);
  return formatDuration(Math.min(3_600_000, Math.max(10, ms)));
}
