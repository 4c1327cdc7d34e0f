import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { constants, type ClientHttp2Stream, type IncomingHttpHeaders as H2Headers, type ServerHttp2Stream } from 'node:http2';
import type { TimerHandle } from '@ebb/core';
import { GatewayErrors, sendError } from './error-response.ts';
import type { ForwardOutcome, ForwardSettings } from './forward-request.ts';
import type { H2Sessions } from './h2-sessions.ts';
import { downstreamResponseHeaders, IDEMPOTENT_METHODS } from './hop-headers.ts';
import type { GatewayEndpoint } from './target-route.ts';

/** Settings of one HTTP/2 forwarding attempt. */
export interface H2ForwardSettings extends ForwardSettings {
  readonly sessions: H2Sessions;
  /** The client sends a request body (see `clientSendsBody`). */
  readonly withBody: boolean;
}

/**
 * Request headers for a pod spoken to over HTTP/2: the pseudo-headers from the request, `:authority` from
 * `Host`, the forwarded headers of `headers` (already without hop-by-hop ones), and `te: trailers` when the
 * client sent it (gRPC needs it; it is the one `te` value HTTP/2 allows).
 */
export function h2RequestHeaders(method: string, path: string, headers: OutgoingHttpHeaders, te: string | undefined): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = { ':method': method, ':path': path, ':scheme': 'http' };
  for (const name in headers) {
    if (name === 'host') out[':authority'] = headers[name];
    else out[name] = headers[name];
  }
  if (te !== undefined && /(^|,)\s*trailers\s*(,|$)/i.test(te)) out.te = 'trailers';
  return out;
}

/**
 * Forwards `req` to `endpoint` over HTTP/2 (h2c) on a shared connection and streams the answer to `res`, trailers
 * included (gRPC's `grpc-status` arrives in them). Bodies are piped both ways with backpressure. Outcomes as
 * `forwardOnce`: a connection that cannot be opened, a stream the pod refused (REFUSED_STREAM: not processed), or
 * a bodiless idempotent request without an answer may be retried; other failures answer 502 naming the pod (a
 * gRPC answer for gRPC calls), or cut the stream when the response had started. A client that goes away resets
 * the stream to the pod (CANCEL), so the pod sees the cancellation.
 */
export function forwardH2Once(req: IncomingMessage, res: ServerResponse, endpoint: GatewayEndpoint, s: H2ForwardSettings): Promise<ForwardOutcome> {
  return new Promise<ForwardOutcome>((resolve) => {
    const pod = `pod ${endpoint.id} (${endpoint.address}:${endpoint.port}, h2c) of ${s.targetName}`;
    let upstream: ClientHttp2Stream | undefined;
    let responded = false;
    let bodyStarted = false;
    let settled = false;
    let bodyTimer: TimerHandle | undefined;
    let bodyBytes = 0;

    const finish = (outcome: ForwardOutcome): void => {
      if (settled) return;
      settled = true;
      bodyTimer?.cancel();
      req.off('data', onData);
      req.off('end', onBodyEnd);
      req.off('error', onClientGone);
      res.off('close', onResponseClose);
      if (outcome.kind !== 'done' && upstream) {
        req.unpipe(upstream);
        if (!upstream.closed) upstream.close(constants.NGHTTP2_CANCEL);
      }
      resolve(outcome);
    };
    const fail = (status: number, code: (typeof GatewayErrors)[keyof typeof GatewayErrors], reason: string): void => {
      if (res.headersSent) res.destroy();
      else sendError(res, status, code, reason, { close: s.withBody });
      finish({ kind: 'failed', status, reason });
    };
    const onClientGone = (): void => finish({ kind: 'client-gone' });
    const onResponseClose = (): void => {
      if (!res.writableFinished) onClientGone();
    };
    const armBodyTimer = (): void => {
      if (s.bodyIdleTimeoutMs <= 0) return;
      bodyTimer?.cancel();
      bodyTimer = s.clock.setTimeout(
        () => fail(408, GatewayErrors.clientTimeout, `the client sent no request body bytes for ${s.bodyIdleTimeoutMs} ms`),
        s.bodyIdleTimeoutMs,
      );
    };
    const onData = (chunk: Buffer): void => {
      bodyStarted = true;
      bodyBytes += chunk.length;
      if (bodyBytes > s.maxBodyBytes) fail(413, GatewayErrors.bodyTooLarge, `request body larger than ${s.maxBodyBytes} bytes`);
      else armBodyTimer();
    };
    const onBodyEnd = (): void => bodyTimer?.cancel();

    const onStream = (stream: ClientHttp2Stream): void => {
      if (settled) return void stream.close(constants.NGHTTP2_CANCEL);
      upstream = stream;
      stream.on('error', () => undefined);
      stream.once('close', () => {
        if (settled) return;
        const why = `stream reset with code ${stream.rstCode ?? 'unknown'}`;
        if (!responded) {
          const refused = stream.rstCode === constants.NGHTTP2_REFUSED_STREAM && !bodyStarted;
          if (refused || (!s.withBody && IDEMPOTENT_METHODS.has(req.method ?? ''))) {
            return finish({ kind: 'retry', reason: `${pod} closed the stream before answering (${why})` });
          }
          return fail(502, GatewayErrors.backendFailed, `${pod} closed the stream before answering (${why})`);
        }
        if (!res.writableEnded) {
          res.destroy();
          finish({ kind: 'failed', status: 502, reason: `${pod} reset the stream in the middle of its response (${why})` });
        }
      });
      stream.once('response', (headers: H2Headers, flags: number) => onResponse(stream, headers, (flags & constants.NGHTTP2_FLAG_END_STREAM) !== 0));
      stream.on('trailers', (trailers: H2Headers) => {
        if (!res.writableEnded) res.addTrailers(downstreamResponseHeaders(trailers) as Record<string, string>);
      });
      if (s.withBody) {
        req.on('data', onData);
        req.once('end', onBodyEnd);
        armBodyTimer();
        req.pipe(stream);
      }
    };

    const onResponse = (stream: ClientHttp2Stream, headers: H2Headers, ended: boolean): void => {
      if (settled) return;
      responded = true;
      bodyTimer?.cancel();
      const status = Number(headers[':status'] ?? 502);
      const out = { ...downstreamResponseHeaders(headers), ...s.responseHeaders };
      const clientStream = req.httpVersionMajor === 2 ? (res as unknown as { stream?: ServerHttp2Stream }).stream : undefined;
      if (ended && clientStream) {
        // A trailers-only answer (gRPC's form for an error without messages): one HEADERS frame that ends the
        // stream, as the pod sent it; headers then an empty body would read as a protocol error to gRPC clients.
        try {
          clientStream.respond({ ...out, ':status': status }, { endStream: true });
        } catch (e) {
          return fail(502, GatewayErrors.backendFailed, `${pod} answered headers the gateway cannot pass on: ${e instanceof Error ? e.message : String(e)}`);
        }
        stream.resume();
        return finish({ kind: 'done', status });
      }
      try {
        res.writeHead(status, out);
      } catch (e) {
        stream.resume();
        return fail(502, GatewayErrors.backendFailed, `${pod} answered headers the gateway cannot pass on: ${e instanceof Error ? e.message : String(e)}`);
      }
      if (s.responseIdleTimeoutMs > 0) {
        res.setTimeout(s.responseIdleTimeoutMs, () => {
          res.destroy();
          finish({ kind: 'failed', status, reason: `no response bytes moved for ${s.responseIdleTimeoutMs} ms` });
        });
      }
      res.once('finish', () => finish({ kind: 'done', status }));
      stream.pipe(res);
    };

    req.once('error', onClientGone);
    res.once('close', onResponseClose);
    const headers = h2RequestHeaders(req.method ?? 'GET', req.url ?? '/', s.headers, typeof req.headers.te === 'string' ? req.headers.te : undefined);
    s.sessions.request(endpoint, headers, !s.withBody, s.connectTimeoutMs).then(onStream, (err: unknown) =>
      finish({ kind: 'retry', reason: `could not connect to ${pod}: ${err instanceof Error ? ((err as NodeJS.ErrnoException).code ?? err.message) : String(err)}` }),
    );
  });
}
