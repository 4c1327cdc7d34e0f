import { readFileSync } from 'node:fs';
import { request } from 'node:https';

/** TLS material for a probe: PEM file paths; without `ca` the server certificate is not verified. */
export interface ProbeTls {
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
}

/** Result of one probe: the HTTP status and body, or the connection error's message. */
export type ProbeResult = { readonly status: number; readonly body: string } | { readonly error: string };

/**
 * One HTTPS GET with a short timeout, for health endpoints (`/readyz`, `/healthz`) of the control plane.
 * Never throws: connection problems come back as `{ error }`.
 */
export async function probeHttps(url: string, tls: ProbeTls = {}, timeoutMs = 2_000): Promise<ProbeResult> {
  return await new Promise<ProbeResult>((resolve) => {
    const req = request(
      url,
      {
        method: 'GET',
        timeout: timeoutMs,
        ...(tls.ca ? { ca: readFileSync(tls.ca) } : { rejectUnauthorized: false }),
        ...(tls.cert && tls.key ? { cert: readFileSync(tls.cert), key: readFileSync(tls.key) } : {}),
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', (error) => resolve({ error: error.message }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (error) => resolve({ error: error.message }));
    req.end();
  });
}

/** True when a probe answered 200. */
export const isOk = (result: ProbeResult): boolean => 'status' in result && result.status === 200;

/** One line describing a probe result, for error messages. */
export function describeProbe(result: ProbeResult): string {
  return 'error' in result ? result.error : `HTTP ${result.status}: ${result.body.trim().split('\n').slice(-5).join(' | ')}`;
}
