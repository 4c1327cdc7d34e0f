import type { ServerResponse } from 'node:http';
import { encodeGrpcMessage, grpcStatusForHttp, isGrpcRequest } from './grpc-status.ts';

/** Machine-readable reasons the gateway answers itself, sent in the `x-ebb-error` header. */
export const GatewayErrors = {
  /** 400: no Host header, or a request the gateway cannot read. */
  badRequest: 'bad-request',
  /** 404: no opted-in target claims the host (and path). */
  noRoute: 'no-route',
  /** 408: the client stopped sending its body. */
  clientTimeout: 'client-timeout',
  /** 413: the body is larger than the limit. */
  bodyTooLarge: 'body-too-large',
  /** 502: the backend failed before answering (connection refused, reset, closed). */
  backendFailed: 'backend-failed',
  /** 503: the target's queue is full. */
  queueFull: 'queue-full',
  /** 503: the target stopped being routed, or the gateway is shutting down. */
  unavailable: 'unavailable',
  /** 504: no slot became free (no pod turned Ready) within the queue timeout. */
  queueTimeout: 'queue-timeout',
} as const;

/** One of {@link GatewayErrors}. */
export type GatewayError = (typeof GatewayErrors)[keyof typeof GatewayErrors];

/** Options of {@link sendError}. */
export interface SendErrorOptions {
  /** Seconds for `Retry-After`. */
  readonly retryAfterS?: number;
  /** Close the connection after the answer (the request body was not read). HTTP/1.1 only. */
  readonly close?: boolean;
  /** gRPC status for a gRPC call instead of the one mapped from `status` (e.g. DEADLINE_EXCEEDED). */
  readonly grpcStatus?: number;
}

/**
 * Answers with a short plain-text message naming what happened, the `x-ebb-error` code, and optionally
 * `Retry-After`. A gRPC call gets a gRPC answer instead: HTTP 200 with `grpc-status` (mapped from `status`, see
 * `grpcStatusForHttp`) and `grpc-message`, so gRPC clients see a status, not a protocol error. Does nothing when
 * the response has started or the connection is gone.
 */
export function sendError(res: ServerResponse, status: number, code: GatewayError, message: string, options: SendErrorOptions = {}): void {
  if (res.headersSent || res.destroyed || res.writableEnded) return;
  const h2 = res.req?.httpVersionMajor === 2;
  if (res.req && isGrpcRequest(res.req.headers)) {
    res.statusCode = 200;
    res.setHeader('content-type', 'application/grpc');
    res.setHeader('grpc-status', String(options.grpcStatus ?? grpcStatusForHttp(status)));
    res.setHeader('grpc-message', encodeGrpcMessage(message));
    res.setHeader('x-ebb-error', code);
    if (options.close && !h2) res.setHeader('connection', 'close');
    res.end();
    return;
  }
  const body = `${message}\n`;
  res.statusCode = status;
  res.setHeader('content-type', 'text/plain; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(body));
  res.setHeader('cache-control', 'no-store');
  res.setHeader('x-ebb-error', code);
  if (options.retryAfterS !== undefined) res.setHeader('retry-after', String(Math.max(0, Math.ceil(options.retryAfterS))));
  if (options.close && !h2) res.setHeader('connection', 'close');
  res.end(body);
}
