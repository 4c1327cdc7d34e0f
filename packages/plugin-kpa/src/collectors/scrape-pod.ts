import { readMetricTotals, type MetricTotal } from './prometheus-text.ts';
import type { ScrapePod } from './pod-selection.ts';

/** Where and what to read on each pod. */
export interface PodEndpoint {
  /** Port of the metrics endpoint, 1..65535. */
  readonly port: number;
  /** Path of the metrics endpoint, starting with `/`. */
  readonly path: string;
  /** Longest wait for one pod's answer, ms. */
  readonly timeoutMs: number;
}

/** A pod's metrics page could not be read (refused, timed out, not 200, malformed, or a metric missing). */
export class PodScrapeError extends Error {
  override readonly name = 'PodScrapeError';
}

/** `http://<ip>:<port><path>`, with IPv6 addresses bracketed. */
export function podMetricsUrl(pod: ScrapePod, endpoint: PodEndpoint): string {
  const host = pod.ip.includes(':') ? `[${pod.ip}]` : pod.ip;
  return `http://${host}:${endpoint.port}${endpoint.path}`;
}

/**
 * Reads `names` from `pod`'s metrics page (Prometheus text), each summed over its series. Connections are kept
 * alive between rounds, as Knative's direct pod scraping does.
 * @throws PodScrapeError naming the pod and the cause; every metric in `names` must be on the page.
 */
export async function scrapePod(pod: ScrapePod, endpoint: PodEndpoint, names: ReadonlySet<string>, signal: AbortSignal): Promise<Map<string, MetricTotal>> {
  const url = podMetricsUrl(pod, endpoint);
  let text: string;
  try {
    const res = await fetch(url, { signal: AbortSignal.any([signal, AbortSignal.timeout(endpoint.timeoutMs)]), headers: { accept: 'text/plain' } });
    if (res.status !== 200) {
      await res.body?.cancel();
      throw new PodScrapeError(`pod ${pod.name}: ${url} answered HTTP ${res.status}`);
    }
    text = await res.text();
  } catch (error) {
    if (error instanceof PodScrapeError) throw error;
    const cause = error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${endpoint.timeoutMs} ms` : describe(error);
    throw new PodScrapeError(`pod ${pod.name}: ${url}: ${cause}`, { cause: error });
  }
  let totals: Map<string, MetricTotal>;
  try {
    totals = readMetricTotals(text, names);
  } catch (error) {
    throw new PodScrapeError(`pod ${pod.name}: ${url}: ${(error as Error).message}`, { cause: error });
  }
  for (const name of names) if (!totals.has(name)) throw new PodScrapeError(`pod ${pod.name}: ${url} does not expose ${name}`);
  return totals;
}

/** The message of an error and of its cause (fetch puts the socket error there). */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}
