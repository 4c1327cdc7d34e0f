import { isMapping, METRIC_NAME, OptionChecks } from './option-checks.ts';

/** How the requests metric on a pod's page counts. */
export const REQUESTS_METRIC_TYPES = ['per-second', 'counter'] as const;
/** `per-second`: a gauge already in requests per second (Knative's queue-proxy); `counter`: a monotonic total. */
export type RequestsMetricType = (typeof REQUESTS_METRIC_TYPES)[number];

/**
 * Settings of the pod-scraping collector (`pluginOptions.kpa.pods` in the scaler's config file). Every field is
 * optional; the defaults read a Knative queue-proxy sidecar as Knative's autoscaler does.
 */
export interface PodScrapeOptions {
  /** Port of the metrics endpoint on each pod (default 9090, the queue-proxy's autoscaling metrics port). */
  readonly port?: number;
  /** Path of the metrics endpoint (default `/metrics`). */
  readonly path?: string;
  /** Gauge of requests in flight on the pod, summed over its series (default `queue_average_concurrent_requests`). */
  readonly inFlightMetric?: string;
  /** Requests metric, summed over its series (default `queue_requests_per_second`; e.g. `http_requests_total` with `counter`). */
  readonly requestsMetric?: string;
  /** `per-second` (default, a rate gauge) or `counter` (rates from the increase between two scrapes). */
  readonly requestsMetricType?: RequestsMetricType;
  /** Longest wait for one pod, ms (default 800, under the 1 s cadence; Knative waits up to 3 s). */
  readonly timeoutMs?: number;
  /** Cadence, ms (default 1000, Knative's scrape tick). */
  readonly intervalMs?: number;
  /** Longest time between two counter readings of a pod that still gives a rate, ms (default 10 000). */
  readonly maxRateIntervalMs?: number;
  /** Most pod requests in flight at once over all targets (default 64). */
  readonly maxParallelScrapes?: number;
}

/** {@link PodScrapeOptions} with every default applied. */
export type ResolvedPodScrapeOptions = Required<PodScrapeOptions>;

/** Defaults of {@link PodScrapeOptions}. */
export const POD_SCRAPE_DEFAULTS: ResolvedPodScrapeOptions = {
  port: 9090,
  path: '/metrics',
  inFlightMetric: 'queue_average_concurrent_requests',
  requestsMetric: 'queue_requests_per_second',
  requestsMetricType: 'per-second',
  timeoutMs: 800,
  intervalMs: 1000,
  maxRateIntervalMs: 10_000,
  maxParallelScrapes: 64,
};

const KNOWN = Object.keys(POD_SCRAPE_DEFAULTS);

/**
 * Checks pod-scraping settings (from YAML or code) and applies the defaults.
 * @returns the settings, and every problem found (each naming `where`, the option, the value and what is allowed).
 */
export function resolvePodScrapeOptions(options: unknown, where = 'pluginOptions.kpa.pods'): { value: ResolvedPodScrapeOptions; problems: string[] } {
  const d = POD_SCRAPE_DEFAULTS;
  const c = new OptionChecks(where);
  if (options === true || options === null) options = {};
  if (!isMapping(options)) {
    c.problems.push(`${where}: expected a mapping of pod-scraping settings (or true for the defaults), got ${JSON.stringify(options)}`);
    return { value: d, problems: c.problems };
  }
  c.unknownKeys(options, KNOWN);
  const intervalMs = c.int(options, 'intervalMs', 100, 60_000, d.intervalMs, 'ms');
  const value: ResolvedPodScrapeOptions = {
    port: c.int(options, 'port', 1, 65_535, d.port),
    path: c.string(options, 'path', /^\/\S*$/, 'a path starting with /', d.path),
    inFlightMetric: c.string(options, 'inFlightMetric', METRIC_NAME, 'a Prometheus metric name', d.inFlightMetric),
    requestsMetric: c.string(options, 'requestsMetric', METRIC_NAME, 'a Prometheus metric name', d.requestsMetric),
    requestsMetricType: c.oneOf(options, 'requestsMetricType', REQUESTS_METRIC_TYPES, d.requestsMetricType),
    timeoutMs: c.int(options, 'timeoutMs', 10, 60_000, d.timeoutMs, 'ms'),
    intervalMs,
    maxRateIntervalMs: c.int(options, 'maxRateIntervalMs', 1000, 3_600_000, d.maxRateIntervalMs, 'ms'),
    maxParallelScrapes: c.int(options, 'maxParallelScrapes', 1, 10_000, d.maxParallelScrapes),
  };
  if (value.maxRateIntervalMs < value.intervalMs) {
    c.problems.push(`${where}.maxRateIntervalMs: ${value.maxRateIntervalMs} is shorter than intervalMs ${value.intervalMs}; no counter rate could ever be computed`);
  }
  return { value, problems: c.problems };
}
