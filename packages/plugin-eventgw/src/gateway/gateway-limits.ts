import { EbbError, ErrorCodes } from '@ebb/core';

/** Protections of the data plane. Sizes in bytes, durations in ms. */
export interface GatewayLimits {
  /** Most bytes of request line plus headers (default 16 KiB); beyond: 431. */
  readonly maxHeaderBytes: number;
  /** Most bytes of one request body (default 100 MiB); beyond: 413 (at once when Content-Length says so). */
  readonly maxBodyBytes: number;
  /** Longest time a client may take to send its request headers (default 10 s); then 408 and close. */
  readonly headersTimeoutMs: number;
  /** Longest pause while a client sends its request body (default 30 s; 0 = none); then 408 and close. */
  readonly bodyIdleTimeoutMs: number;
  /**
   * Longest pause in a response body, when neither the backend sends nor the client reads (default 60 s;
   * 0 = none, e.g. for long-polling); then the connection is cut. Frees the pod's slot from a stuck client.
   */
  readonly responseIdleTimeoutMs: number;
  /** How long an idle client keep-alive connection stays open (default 5 s). */
  readonly keepAliveTimeoutMs: number;
  /** Longest wait for the TCP connection to a pod (default 3 s); a timeout counts as a connection failure. */
  readonly connectTimeoutMs: number;
  /** Forwarding attempts per request, 1..10 (default 3): retries happen only when they are safe. */
  readonly maxAttempts: number;
  /** Most open client connections (default 0 = unlimited); beyond, new connections are closed at once. */
  readonly maxConnections: number;
  /**
   * Most concurrent streams (requests) on one HTTP/2 client connection (default 100); the client is told in its
   * SETTINGS, and streams beyond it are refused (RST_STREAM REFUSED_STREAM). Queue limits apply per request.
   */
  readonly maxConcurrentStreams: number;
}

/** The defaults of {@link GatewayLimits}. */
export const DEFAULT_GATEWAY_LIMITS: GatewayLimits = {
  maxHeaderBytes: 16 * 1024,
  maxBodyBytes: 100 * 1024 * 1024,
  headersTimeoutMs: 10_000,
  bodyIdleTimeoutMs: 30_000,
  responseIdleTimeoutMs: 60_000,
  keepAliveTimeoutMs: 5_000,
  connectTimeoutMs: 3_000,
  maxAttempts: 3,
  maxConnections: 0,
  maxConcurrentStreams: 100,
};

const RANGES: Readonly<Record<keyof GatewayLimits, readonly [number, number]>> = {
  maxHeaderBytes: [1024, 1024 * 1024],
  maxBodyBytes: [0, Number.MAX_SAFE_INTEGER],
  headersTimeoutMs: [100, 600_000],
  bodyIdleTimeoutMs: [0, 3_600_000],
  responseIdleTimeoutMs: [0, 3_600_000],
  keepAliveTimeoutMs: [0, 600_000],
  connectTimeoutMs: [10, 60_000],
  maxAttempts: [1, 10],
  maxConnections: [0, 10_000_000],
  maxConcurrentStreams: [1, 10_000],
};

/**
 * Applies `limits` over {@link DEFAULT_GATEWAY_LIMITS} and checks every value is an integer in its range.
 * @throws EbbError `EBB_CONFIG_FILE_INVALID` naming every invalid limit and its range.
 */
export function resolveGatewayLimits(limits: Partial<GatewayLimits> = {}): GatewayLimits {
  const resolved = { ...DEFAULT_GATEWAY_LIMITS, ...limits };
  const problems: string[] = [];
  for (const [name, [min, max]] of Object.entries(RANGES) as Array<[keyof GatewayLimits, readonly [number, number]]>) {
    const v = resolved[name];
    if (!Number.isInteger(v) || v < min || v > max) problems.push(`limits.${name}: invalid value ${String(v)}: expected an integer ${min}..${max}`);
  }
  if (problems.length) throw new EbbError(ErrorCodes.CONFIG_FILE_INVALID, `invalid gateway limits: ${problems.join('; ')}`);
  return resolved;
}
