import type { IncomingHttpHeaders } from 'node:http';

/** gRPC status codes the gateway answers with (grpc/grpc doc/statuscodes.md). */
export const GrpcStatus = {
  deadlineExceeded: 4,
  resourceExhausted: 8,
  unimplemented: 12,
  failedPrecondition: 9,
  internal: 13,
  unavailable: 14,
  unknown: 2,
} as const;

/**
 * Whether a request is a gRPC call over HTTP/2 (`content-type: application/grpc`, `application/grpc+proto`, ...;
 * not gRPC-Web, `application/grpc-web*`, which works over HTTP/1.1 without trailers).
 */
export function isGrpcRequest(headers: IncomingHttpHeaders): boolean {
  const type = headers['content-type'];
  if (type === undefined || !type.startsWith('application/grpc')) return false;
  const next = type.charCodeAt(16);
  return Number.isNaN(next) || next === 43 /* + */ || next === 59 /* ; */;
}

/**
 * The gRPC status for an HTTP status the gateway answers, as gRPC's HTTP-to-gRPC mapping does
 * (doc/http-grpc-status-mapping.md): 400 -> INTERNAL, 404 -> UNIMPLEMENTED, 429/502/503/504 -> UNAVAILABLE;
 * sizes over a limit (413, 431) -> RESOURCE_EXHAUSTED; anything else -> UNKNOWN.
 */
export function grpcStatusForHttp(status: number): number {
  switch (status) {
    case 400:
      return GrpcStatus.internal;
    case 404:
      return GrpcStatus.unimplemented;
    case 413:
    case 431:
      return GrpcStatus.resourceExhausted;
    case 429:
    case 502:
    case 503:
    case 504:
      return GrpcStatus.unavailable;
    default:
      return GrpcStatus.unknown;
  }
}

const UNIT_MS: Readonly<Record<string, number>> = { H: 3_600_000, M: 60_000, S: 1000, m: 1, u: 1e-3, n: 1e-6 };

/**
 * The `grpc-timeout` header in ms (gRPC over HTTP/2: 1 to 8 digits and a unit H, M, S, m, u or n), e.g.
 * `250m` -> 250, `2S` -> 2000, `1500u` -> 1.5. Undefined when absent or malformed (the call has no deadline).
 */
export function parseGrpcTimeout(value: string | string[] | undefined): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^(\d{1,8})([HMSmun])$/.exec(value);
  if (!m) return undefined;
  return Number(m[1]) * (UNIT_MS[m[2] ?? ''] ?? 0);
}

/** A `grpc-timeout` value for `ms` milliseconds, rounded up to whole ms (at least 1): 250 -> `250m`. */
export function formatGrpcTimeout(ms: number): string {
  const whole = Math.max(1, Math.ceil(ms));
  return whole <= 99_999_999 ? `${whole}m` : `${Math.min(99_999_999, Math.ceil(whole / 1000))}S`;
}

/** `grpc-message` encoding: UTF-8, percent-encoding every byte outside printable ASCII and `%` itself. */
export function encodeGrpcMessage(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    out += byte >= 0x20 && byte <= 0x7e && byte !== 0x25 ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
