import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

/** Hop-by-hop headers (RFC 9110 7.6.1): they describe one connection and are never forwarded. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** Copies `headers` without hop-by-hop headers, those named in `Connection`, and `skip`. */
function withoutHopByHop(headers: IncomingHttpHeaders, skip: ReadonlySet<string>): OutgoingHttpHeaders {
  // Runs twice per request: no intermediate arrays, and the `Connection` list is parsed only when it names
  // something other than the usual keep-alive / close.
  const connection = headers.connection;
  const named = connection && !/^\s*(keep-alive|close)\s*$/i.test(connection) ? connectionTokens(connection) : undefined;
  const out: OutgoingHttpHeaders = {};
  for (const name in headers) {
    const value = headers[name];
    // HTTP/2 pseudo-headers (`:method`, `:status`, ...) describe the message on its own connection too.
    if (value === undefined || HOP_BY_HOP.has(name) || skip.has(name) || named?.has(name) || name.charCodeAt(0) === 58) continue;
    out[name] = value;
  }
  return out;
}

/** Header names listed in a `Connection` header, lower-case. */
function connectionTokens(connection: string): ReadonlySet<string> {
  const named = new Set<string>();
  for (const token of connection.split(',')) {
    const name = token.trim().toLowerCase();
    if (name) named.add(name);
  }
  return named;
}

const REQUEST_SKIP = new Set(['expect']);
const RESPONSE_SKIP = new Set<string>();

/** Facts about the client connection that the backend is told through `X-Forwarded-*`. */
export interface ClientFacts {
  /** Remote address of the client socket, if known. */
  readonly remoteAddress: string | undefined;
  /** `http` (the gateway serves plain HTTP; TLS ends before it). */
  readonly proto: string;
}

/**
 * Headers for the backend request: the client's minus hop-by-hop headers, HTTP/2 pseudo-headers and `Expect`
 * (the gateway already answered `100-continue`); `Host` from `:authority` for an HTTP/2 client; plus `X-Forwarded-For` (appended), `X-Forwarded-Host` and `X-Forwarded-Proto`
 * (kept when a front proxy set them). `Host` is forwarded unchanged.
 */
export function upstreamRequestHeaders(headers: IncomingHttpHeaders, client: ClientFacts): OutgoingHttpHeaders {
  const out = withoutHopByHop(headers, REQUEST_SKIP);
  const prior = headers['x-forwarded-for'];
  const chain = [prior, client.remoteAddress].filter((v): v is string => typeof v === 'string' && v.length > 0);
  if (chain.length) out['x-forwarded-for'] = chain.join(', ');
  const host = headers.host ?? headers[':authority'];
  if (typeof host === 'string' && headers.host === undefined) out.host = host;
  if (host && !headers['x-forwarded-host']) out['x-forwarded-host'] = host;
  if (!headers['x-forwarded-proto']) out['x-forwarded-proto'] = client.proto;
  return out;
}

/** Headers for the client response: the backend's minus hop-by-hop headers. */
export function downstreamResponseHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  return withoutHopByHop(headers, RESPONSE_SKIP);
}

/**
 * The request's host: `Host`, else HTTP/2's `:authority`. Undefined when neither is there.
 */
export function requestHost(headers: IncomingHttpHeaders): string | undefined {
  const authority = headers.host ?? headers[':authority'];
  return typeof authority === 'string' ? authority : undefined;
}

/** Whether a request carries a body (RFC 9112 6.3: Transfer-Encoding, or a Content-Length above 0). */
export function hasRequestBody(headers: IncomingHttpHeaders): boolean {
  if (headers['transfer-encoding'] !== undefined) return true;
  const length = headers['content-length'];
  return length !== undefined && length !== '0';
}

/** Methods that RFC 9110 9.2.2 calls idempotent: a request may be repeated after a failed attempt. */
export const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);
