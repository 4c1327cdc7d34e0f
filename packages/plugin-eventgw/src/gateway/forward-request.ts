import { request, type Agent, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import type { Clock, TimerHandle } from '@ebb/core';
import { GatewayErrors, sendError } from './error-response.ts';
import { downstreamResponseHeaders, hasRequestBody, IDEMPOTENT_METHODS } from './hop-headers.ts';
import type { GatewayEndpoint } from './target-route.ts';

/** Settings of one forwarding attempt. */
export interface ForwardSettings {
  readonly agent: Agent;
  readonly clock: Clock;
  /** Headers for the backend request (see `upstreamRequestHeaders`). */
  readonly headers: OutgoingHttpHeaders;
  /** Headers added to the client response, e.g. the cold-start marker. */
  readonly responseHeaders: OutgoingHttpHeaders;
  /** Longest wait for the TCP connection to the pod, ms. */
  readonly connectTimeoutMs: number;
  /** Longest pause while the client sends its body, ms; 0 = none. */
  readonly bodyIdleTimeoutMs: number;
  /** Longest pause in the response body (neither the backend sends nor the client reads), ms; 0 = none. */
  readonly responseIdleTimeoutMs: number;
  /** Most request body bytes; beyond: 413. */
  readonly maxBodyBytes: number;
  /** Text naming the target in messages, e.g. `shop/coffee`. */
  readonly targetName: string;
}

/** How one attempt ended. */
export type ForwardOutcome =
  /** The backend's response was passed on completely. */
  | { readonly kind: 'done'; readonly status: number }
  /** Failed before anything the backend could act on was consumed: the caller may try another endpoint. */
  | { readonly kind: 'retry'; readonly reason: string }
  /** Failed; an error answer was sent when the response had not started, else the connection was cut. */
  | { readonly kind: 'failed'; readonly status: number; readonly reason: string }
  /** The client went away; the backend request was aborted. */
  | { readonly kind: 'client-gone' };

/**
 * Whether the client sends a request body: HTTP/1.1 framing headers (`hasRequestBody`), or for an HTTP/2
 * client a HEADERS frame without END_STREAM (its body length need not be declared, e.g. gRPC).
 */
export function clientSendsBody(req: IncomingMessage): boolean {
  if (req.httpVersionMajor === 2) return (req as unknown as { stream?: { endAfterHeaders?: boolean } }).stream?.endAfterHeaders !== true;
  return hasRequestBody(req.headers);
}

/**
 * Forwards `req` to `endpoint` and streams the answer to `res`; bodies are piped both ways with backpressure,
 * never buffered. The request body is read only once the TCP connection is up, so a connection failure before
 * that is retryable. After the request was sent, only a bodiless idempotent request that got no answer is
 * retryable; other failures answer 502 naming the pod (or cut the connection when the response had started).
 */
export function forwardOnce(req: IncomingMessage, res: ServerResponse, endpoint: GatewayEndpoint, s: ForwardSettings): Promise<ForwardOutcome> {
  return new Promise<ForwardOutcome>((resolve) => {
    const withBody = clientSendsBody(req);
    const pod = `pod ${endpoint.id} (${endpoint.address}:${endpoint.port}) of ${s.targetName}`;
    let connected = false;
    let responded = false;
    let settled = false;
    let connectTimer: TimerHandle | undefined;
    let bodyTimer: TimerHandle | undefined;
    let bodyBytes = 0;

    const upstream = request({
      host: endpoint.address,
      port: endpoint.port,
      method: req.method,
      path: req.url,
      headers: s.headers,
      agent: s.agent,
    });

    const finish = (outcome: ForwardOutcome): void => {
      if (settled) return;
      settled = true;
      connectTimer?.cancel();
      bodyTimer?.cancel();
      req.off('data', onData);
      req.off('end', onBodyEnd);
      req.off('error', onClientGone);
      res.off('close', onResponseClose);
      if (outcome.kind !== 'done') {
        req.unpipe(upstream);
        upstream.destroy();
      }
      resolve(outcome);
    };
    const fail = (status: number, code: (typeof GatewayErrors)[keyof typeof GatewayErrors], reason: string): void => {
      if (res.headersSent) res.destroy();
      else sendError(res, status, code, reason, { close: withBody });
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
      bodyBytes += chunk.length;
      if (bodyBytes > s.maxBodyBytes) fail(413, GatewayErrors.bodyTooLarge, `request body larger than ${s.maxBodyBytes} bytes`);
      else armBodyTimer();
    };
    const onBodyEnd = (): void => bodyTimer?.cancel();

    const onConnected = (): void => {
      if (settled || connected) return;
      connected = true;
      connectTimer?.cancel();
      if (!withBody) {
        upstream.end();
        return;
      }
      req.on('data', onData);
      req.once('end', onBodyEnd);
      armBodyTimer();
      req.pipe(upstream);
    };

    upstream.once('socket', (socket) => {
      if (!socket.connecting) return onConnected();
      socket.once('connect', onConnected);
      connectTimer = s.clock.setTimeout(
        () => upstream.destroy(new Error(`connect timeout after ${s.connectTimeoutMs} ms`)),
        s.connectTimeoutMs,
      );
    });

    upstream.on('error', (err: NodeJS.ErrnoException) => {
      if (settled || responded) return;
      const why = err.code ?? err.message;
      if (!connected) return finish({ kind: 'retry', reason: `could not connect to ${pod}: ${why}` });
      if (!withBody && IDEMPOTENT_METHODS.has(req.method ?? '')) {
        return finish({ kind: 'retry', reason: `${pod} closed the connection before answering (${why})` });
      }
      fail(502, GatewayErrors.backendFailed, `${pod} closed the connection before answering (${why})`);
    });

    upstream.on('response', (ures: IncomingMessage) => {
      if (settled) return void ures.resume();
      responded = true;
      bodyTimer?.cancel();
      const status = ures.statusCode ?? 502;
      try {
        const headers = { ...downstreamResponseHeaders(ures.headers), ...s.responseHeaders };
        // HTTP/2 has no reason phrase (Node warns when given one).
        if (req.httpVersionMajor === 2) res.writeHead(status, headers);
        else res.writeHead(status, ures.statusMessage, headers);
      } catch (e) {
        ures.resume();
        return fail(502, GatewayErrors.backendFailed, `${pod} answered headers the gateway cannot pass on: ${e instanceof Error ? e.message : String(e)}`);
      }
      if (s.responseIdleTimeoutMs > 0) {
        res.setTimeout(s.responseIdleTimeoutMs, () => {
          res.destroy();
          finish({ kind: 'failed', status, reason: `no response bytes moved for ${s.responseIdleTimeoutMs} ms` });
        });
      }
      ures.on('error', () => undefined);
      ures.once('close', () => {
        if (ures.complete) return;
        res.destroy();
        finish({ kind: 'failed', status: 502, reason: `${pod} closed the connection in the middle of its response` });
      });
      res.once('finish', () => finish({ kind: 'done', status }));
      ures.pipe(res);
    });

    req.once('error', onClientGone);
    res.once('close', onResponseClose);
  });
}
