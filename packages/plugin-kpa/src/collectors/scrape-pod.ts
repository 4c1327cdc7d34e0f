import { Agent, get } from 'node:http';
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
 * One connection kept alive per pod between rounds, as Knative's direct pod scraping does (its transport keeps
 * idle connections); `lifo` reuses the most recent one.
 */
const podAgent = new Agent({ keepAlive: true, maxFreeSockets: 2, scheduling: 'lifo' });

/** Largest metrics page read, bytes: a queue-proxy page is under 2 KB; an app's whole registry may be larger. */
const MAX_PAGE_BYTES = 4 * 2 ** 20;

/**
 * Reads `names` from `pod`'s metrics page (Prometheus text), each summed over its series, with a plain HTTP/1.1
 * GET on a kept-alive connection (node:http: a few timers and buffers per scrape, where fetch builds streams,
 * headers objects and composite abort signals).
 * @throws PodScrapeError naming the pod and the cause; every metric in `names` must be on the page.
 */
export function scrapePod(pod: ScrapePod, endpoint: PodEndpoint, names: ReadonlySet<string>, signal: AbortSignal): Promise<Map<string, MetricTotal>> {
  const url = podMetricsUrl(pod, endpoint);
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (error: PodScrapeError | undefined, totals?: Map<string, MetricTotal>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      if (error) {
        req.destroy();
        reject(error);
      } else resolve(totals as Map<string, MetricTotal>);
    };
    const failWith = (cause: string, error?: unknown): void => finish(new PodScrapeError(`pod ${pod.name}: ${url}${cause}`, error === undefined ? undefined : { cause: error }));
    const onAbort = (): void => failWith(`: ${describe(signal.reason)}`, signal.reason);
    const timer = setTimeout(() => failWith(`: no answer within ${endpoint.timeoutMs} ms`), endpoint.timeoutMs);
    const req = get({ host: pod.ip, port: endpoint.port, path: endpoint.path, agent: podAgent, headers: { accept: 'text/plain' } }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        return failWith(` answered HTTP ${res.statusCode}`);
      }
      res.setEncoding('utf8');
      let text = '';
      res.on('data', (chunk: string) => {
        text += chunk;
        if (text.length > MAX_PAGE_BYTES) failWith(`: the page is larger than ${MAX_PAGE_BYTES} bytes`);
      });
      res.on('error', (error) => failWith(`: ${describe(error)}`, error));
      res.on('end', () => {
        let totals: Map<string, MetricTotal>;
        try {
          totals = readMetricTotals(text, names);
        } catch (error) {
          return failWith(`: ${(error as Error).message}`, error);
        }
        for (const name of names) if (!totals.has(name)) return failWith(` does not expose ${name}`);
        finish(undefined, totals);
      });
    });
    req.on('error', (error) => failWith(`: ${describe(error)}`, error));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** The message of an error and of its cause (socket errors may carry one). */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}
