import { KPA_METRICS, type KpaMetric } from '../knative-constants.ts';
import { isMapping, OptionChecks } from './option-checks.ts';

/**
 * Settings of the PromQL collector (`pluginOptions.kpa.prometheus` in the scaler's config file). Templates may use
 * `{{namespace}}`, `{{name}}` and `{{selector}}` (see `expandPromql`); a target can bring its own query with
 * `ebb.dev/kpa.prometheus-query`.
 */
export interface PromqlOptions {
  /** Base URL of the Prometheus server, e.g. `http://prometheus.monitoring:9090` (required). */
  readonly url: string;
  /**
   * Query templates per metric, each giving the target's total (a vector is summed), e.g.
   * `concurrency: sum(http_requests_in_flight{namespace="{{namespace}}",{{selector}}})`.
   */
  readonly queries?: Readonly<Partial<Record<KpaMetric, string>>>;
  /** Longest wait for one answer, ms (default 800, under the 1 s cadence). */
  readonly timeoutMs?: number;
  /** Cadence, ms (default 1000; Prometheus itself scrapes less often, so seconds in between repeat its value). */
  readonly intervalMs?: number;
  /** Most queries in flight at once (default 16). */
  readonly maxParallelQueries?: number;
}

/** {@link PromqlOptions} with every default applied. */
export interface ResolvedPromqlOptions {
  readonly url: string;
  readonly queries: Readonly<Partial<Record<KpaMetric, string>>>;
  readonly timeoutMs: number;
  readonly intervalMs: number;
  readonly maxParallelQueries: number;
}

const KNOWN = ['url', 'queries', 'timeoutMs', 'intervalMs', 'maxParallelQueries'];

function validBaseUrl(v: unknown): v is string {
  if (typeof v !== 'string') return false;
  try {
    const u = new URL(v);
    return (u.protocol === 'http:' || u.protocol === 'https:') && !u.search && !u.hash;
  } catch {
    return false;
  }
}

/**
 * Checks PromQL collector settings (from YAML or code) and applies the defaults.
 * @returns the settings, and every problem found (each naming `where`, the option, the value and what is allowed).
 */
export function resolvePromqlOptions(options: unknown, where = 'pluginOptions.kpa.prometheus'): { value: ResolvedPromqlOptions; problems: string[] } {
  const c = new OptionChecks(where);
  const fallback: ResolvedPromqlOptions = { url: '', queries: {}, timeoutMs: 800, intervalMs: 1000, maxParallelQueries: 16 };
  if (!isMapping(options)) {
    c.problems.push(`${where}: expected a mapping with url and queries, got ${JSON.stringify(options)}`);
    return { value: fallback, problems: c.problems };
  }
  c.unknownKeys(options, KNOWN);
  const url = validBaseUrl(options['url']) ? options['url'] : (c.bad('url', options['url'], 'the base URL of a Prometheus server, e.g. http://prometheus:9090'), '');
  const queries: Partial<Record<KpaMetric, string>> = {};
  const raw = options['queries'];
  if (raw !== undefined && !isMapping(raw)) c.bad('queries', raw, `a mapping of ${KPA_METRICS.join(' and/or ')} to PromQL templates`);
  else if (raw) {
    for (const [metric, template] of Object.entries(raw)) {
      if (!(KPA_METRICS as readonly string[]).includes(metric)) c.problems.push(`${where}.queries.${metric}: unknown metric; expected ${KPA_METRICS.join(' or ')}`);
      else if (typeof template !== 'string' || template.trim() === '') c.bad(`queries.${metric}`, template, 'a non-empty PromQL expression');
      else queries[metric as KpaMetric] = template;
    }
  }
  const value: ResolvedPromqlOptions = {
    url,
    queries,
    timeoutMs: c.int(options, 'timeoutMs', 10, 60_000, fallback.timeoutMs, 'ms'),
    intervalMs: c.int(options, 'intervalMs', 100, 60_000, fallback.intervalMs, 'ms'),
    maxParallelQueries: c.int(options, 'maxParallelQueries', 1, 1000, fallback.maxParallelQueries),
  };
  return { value, problems: c.problems };
}
