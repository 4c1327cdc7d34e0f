/** A query failed: unreachable server, HTTP error, an error answer, no series, or a value that is not a number. */
export class PrometheusQueryError extends Error {
  override readonly name = 'PrometheusQueryError';
}

/** The part of Prometheus' `/api/v1/query` answer read here. */
interface QueryAnswer {
  readonly status?: string;
  readonly error?: string;
  readonly data?: { readonly resultType?: string; readonly result?: unknown };
}

/** `[unixSeconds, "value"]`, as the API writes a sample, to a finite number. */
function sampleValue(sample: unknown, query: string): number {
  const text = Array.isArray(sample) ? sample[1] : undefined;
  const value = typeof text === 'string' ? Number(text) : Number.NaN;
  if (!Number.isFinite(value)) throw new PrometheusQueryError(`query ${query} gave ${JSON.stringify(text)}, not a finite number`);
  return value;
}

/**
 * Runs an instant query (`GET <baseUrl>/api/v1/query?query=...`) and returns its value: a scalar as is, a vector
 * summed over its series. An empty vector is an error, not 0: a queue whose metric is missing has unknown depth.
 * Example: vector `[{queue="a"} 3, {queue="b"} 4]` -> 7.
 * @throws PrometheusQueryError naming the URL or the query and the cause.
 */
export async function queryPrometheus(baseUrl: string, query: string, signal: AbortSignal): Promise<number> {
  const url = `${baseUrl.replace(/\/+$/, '')}/api/v1/query?${new URLSearchParams({ query })}`;
  let answer: QueryAnswer;
  try {
    const res = await fetch(url, { headers: { accept: 'application/json' }, signal });
    const text = await res.text();
    try {
      answer = JSON.parse(text) as QueryAnswer;
    } catch {
      throw new PrometheusQueryError(`${baseUrl} answered HTTP ${res.status} without JSON: ${text.slice(0, 200)}`);
    }
  } catch (error) {
    if (error instanceof PrometheusQueryError) throw error;
    const cause = error instanceof Error ? `${error.message}${error.cause instanceof Error ? `: ${error.cause.message}` : ''}` : String(error);
    throw new PrometheusQueryError(`${baseUrl}: ${cause}`, { cause: error });
  }
  if (answer.status !== 'success') throw new PrometheusQueryError(`query ${query} failed: ${answer.error ?? 'no message'}`);
  const { resultType, result } = answer.data ?? {};
  if (resultType === 'scalar') return sampleValue(result, query);
  if (resultType === 'vector' && Array.isArray(result)) {
    if (result.length === 0) throw new PrometheusQueryError(`query ${query} gave no series`);
    return result.reduce<number>((sum, series: { value?: unknown }) => sum + sampleValue(series?.value, query), 0);
  }
  throw new PrometheusQueryError(`query ${query} gave a ${resultType ?? 'missing'} result; expected a scalar or an instant vector`);
}
