/**
 * Loaded into the scaler process under benchmark (`node --import`): times every HTTP request to the pods'
 * metrics port (EBB_PROBE_PORT) through the diagnostics channels of node:http (request start to response) and of
 * undici (fetch: creation to the end of the body), and writes the counts to EBB_PROBE_FILE every second as JSON `{ ok, failed, ms: { "<0.1 ms bucket>": count } }`.
 * The scaler's own code is not changed; the probe costs one map update per scrape.
 */
import { subscribe } from 'node:diagnostics_channel';
import { writeFileSync } from 'node:fs';

const port = `:${process.env['EBB_PROBE_PORT'] ?? '9090'}`;
const file = process.env['EBB_PROBE_FILE'];
const started = new WeakMap<object, number>();
const buckets = new Map<number, number>();
const counts = { ok: 0, failed: 0 };

interface UndiciRequest {
  readonly origin?: string;
}

/** Counts a timed request's duration in its 0.1 ms bucket. */
function answered(request: object): void {
  const t0 = started.get(request);
  if (t0 === undefined) return;
  started.delete(request);
  const bucket = Math.min(50_000, Math.floor((performance.now() - t0) * 10));
  buckets.set(bucket, (buckets.get(bucket) ?? 0) + 1);
  counts.ok++;
}

subscribe('undici:request:create', (m) => {
  const request = (m as { request: UndiciRequest }).request;
  if (String(request.origin ?? '').endsWith(port)) started.set(request, performance.now());
});
subscribe('undici:request:trailers', (m) => {
  const request = (m as { request: UndiciRequest }).request;
  answered(request);
});
subscribe('undici:request:error', (m) => {
  const request = (m as { request: UndiciRequest }).request;
  if (started.delete(request)) counts.failed++;
});

subscribe('http.client.request.start', (m) => {
  const { request } = m as { request: { getHeader(name: string): unknown } };
  if (String(request.getHeader('host') ?? '').endsWith(port)) started.set(request, performance.now());
});
subscribe('http.client.response.finish', (m) => {
  const { request } = m as { request: object };
  answered(request);
});
subscribe('http.client.request.error', (m) => {
  if (started.delete((m as { request: object }).request)) counts.failed++;
});

if (file) {
  setInterval(() => writeFileSync(file, JSON.stringify({ ...counts, ms: Object.fromEntries(buckets) })), 1000).unref();
}
