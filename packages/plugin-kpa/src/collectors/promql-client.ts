/** A PromQL query failed: unreachable server, HTTP error, an error answer, or a value that is not a number. */
export class PromqlError extends Error {
  override readonly name = 'PromqlError';
}

/** Where and how to query. */
export interface PromqlEndpoint {
  /** Base URL of the Prometheus server, e.g. `http://prometheus.monitoring:9090` (no trailing `/api/...`). */
  readonly url: string;
  /** Longest wait for one answer, ms. */
  readonly timeoutMs: number;
}

/** The part of Prometheus' `/api/v1/query` answer read here. */
interface QueryAnswer {
  readonly status?: string;
  readonly error?: string;
  readonly errorType?: string;
  readonly data?: { readonly resultType?: string; readonly result?: unknown };
}

/** One sample `[unixSeconds, "value"]` as the API writes it. */
function sampleValue(sample: unknown, query: string): number {
  const text = Array.isArray(sample) ? sample[1] : undefined;
  const value = typeof text === 'string' ? Number(text) : NaN;
  if (!Number.isFinite(value)) throw new PromqlError(`query ${query} gave ${JSON.stringify(text)}, not a finite number`);
  return value;
}

/**
 * Runs an instant query (`POST /api/v1/query`, form-encoded, evaluated at the server's now) and returns its value:
 * a scalar as is, a vector summed over its series (a per-pod query gives the target's total), or undefined for
 * an empty vector (no series: no data, never 0).
 * Example: a vector `[{pod a} 3, {pod b} 4]` -> 7; `[]` -> undefined.
 * @throws PromqlError naming the query and the cause.
 */
export async function queryPromql(endpoint: PromqlEndpoint, query: string, signal: AbortSignal): Promise<number | undefined> {
  const url = `${endpoint.url.replace(/\/+$/, '')}/api/v1/query`;
  let answer: QueryAnswer;
  let status: number;
  try {
    const res = await fetch(url, {
      method: 'POST',
      body: new URLSearchParams({ query }),
      headers: { accept: 'application/json' },
      signal: AbortSignal.any([signal, AbortSignal.timeout(endpoint.timeoutMs)]),
    });
    status = res.status;
    const text = await res.text();
    try {
      answer = JSON.parse(text) as QueryAnswer;
    } catch {
      throw new PromqlError(`${url} answered HTTP ${status} without a JSON body: ${text.slice(0, 200)}`);
    }
  } catch (error) {
    if (error instanceof PromqlError) throw error;
    const cause = error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${endpoint.timeoutMs} ms` : describe(error);
    throw new PromqlError(`${url}: ${cause}`, { cause: error });
  }
  if (answer.status !== 'success') {
    throw new PromqlError(`query ${query} failed (HTTP ${status}, ${answer.errorType ?? 'error'}): ${answer.error ?? 'no message'}`);
  }
  const { resultType, result } = answer.data ?? {};
  if (resultType === 'scalar') return sampleValue(result, query);
  if (resultType === 'vector' && Array.isArray(result)) {
    if (result.length === 0) return undefined;
    return result.reduce<number>((sum, series: { value?: unknown }) => sum + sampleValue(series?.value, query), 0);
  }
  throw new PromqlError(`query ${query} gave a ${resultType ?? 'missing'} result; expected a scalar or an instant vector`);
}

/** The message of an error and of its cause (fetch puts the socket error there). */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}
