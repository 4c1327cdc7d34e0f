import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createH2Server, type Http2Session } from 'node:http2';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { GatewayErrors } from './error-response.ts';
import type { GatewayLimits } from './gateway-limits.ts';
import { routeByPreface } from './h2-sniff.ts';

/** An HTTP/2 connection with no open stream for this long is closed (GOAWAY), ms. */
export const H2_IDLE_TIMEOUT_MS = 300_000;

/** Handles a protocol upgrade request (WebSocket); owns `socket` from then on. */
export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

/** Writes a complete error answer on a raw socket (no request object exists) and closes it. */
export function rawAnswer(socket: Duplex, status: number, code: string, message: string): void {
  const body = `${message}\n`;
  const head = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`,
    'connection: close',
    'content-type: text/plain; charset=utf-8',
    `content-length: ${Buffer.byteLength(body)}`,
    `x-ebb-error: ${code}`,
  ];
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
  (socket as Socket).destroySoon?.();
}

/** Status for a client error Node's HTTP parser reported. */
function clientErrorStatus(code: string | undefined): { status: number; message: string } {
  if (code === 'HPE_HEADER_OVERFLOW') return { status: 431, message: 'request headers are larger than the limit' };
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return { status: 408, message: 'the request headers did not arrive within the time limit' };
  return { status: 400, message: `malformed request (${code ?? 'parse error'})` };
}

/**
 * The data-plane HTTP server with the client protections of `limits`: header size (431), header timeout (408,
 * checked often enough to matter), keep-alive idle timeout, connection cap. Requests that Node cannot parse get
 * a short error answer on the raw socket; upgrade requests go to `upgrade` (501 without one). Node's
 * whole-request timeout is off: a request may rightly wait in the queue longer than it; slow bodies are caught by
 * the body idle timeout.
 *
 * The same port serves HTTP/2 with prior knowledge (h2c): a connection that opens with the HTTP/2 preface goes
 * to a `node:http2` server whose requests reach `handler` through Node's compatibility API (same shape as
 * HTTP/1.1 requests), with `maxConcurrentStreams` streams per connection and `maxHeaderBytes` of headers
 * (beyond: the stream is reset). `closeIdleConnections` also sends GOAWAY to every HTTP/2 connection (open
 * streams finish); `closeAllConnections` also cuts HTTP/2 connections and upgraded sockets.
 */
export function createDataServer(limits: GatewayLimits, handler: (req: IncomingMessage, res: ServerResponse) => void, upgrade?: UpgradeHandler): Server {
  const server = createServer(
    {
      maxHeaderSize: limits.maxHeaderBytes,
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: 0,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      connectionsCheckingInterval: Math.min(1000, Math.max(50, Math.floor(limits.headersTimeoutMs / 4))),
      noDelay: true,
    },
    handler,
  );
  if (limits.maxConnections > 0) server.maxConnections = limits.maxConnections;
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    const busy = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent;
    if (!socket.writable || busy || err.code === 'ECONNRESET') return void socket.destroy();
    const { status, message } = clientErrorStatus(err.code);
    rawAnswer(socket, status, status === 408 ? GatewayErrors.clientTimeout : GatewayErrors.badRequest, message);
  });
  const upgraded = new Set<Duplex>();
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => undefined);
    if (!upgrade) return rawAnswer(socket, 501, GatewayErrors.badRequest, 'protocol upgrades are not supported by the gateway');
    upgraded.add(socket);
    socket.once('close', () => upgraded.delete(socket));
    upgrade(req, socket, head);
  });
  const sessions = attachH2c(server, limits, handler);
  const closeIdle = server.closeIdleConnections.bind(server);
  const closeAll = server.closeAllConnections.bind(server);
  server.closeIdleConnections = () => {
    closeIdle();
    for (const s of sessions) if (!s.closed) s.close();
  };
  server.closeAllConnections = () => {
    closeAll();
    for (const s of sessions) s.destroy();
    for (const socket of upgraded) socket.destroy();
  };
  server.on('connect', (_req: IncomingMessage, socket: Duplex) => {
    socket.on('error', () => undefined);
    rawAnswer(socket, 405, GatewayErrors.badRequest, 'CONNECT is not supported: the gateway is not a forward proxy');
  });
  return server;
}

/**
 * Puts an HTTP/2 server behind `server`'s port: connections are told apart by their first bytes. Returns the
 * live HTTP/2 sessions (for shutdown).
 */
function attachH2c(server: Server, limits: GatewayLimits, handler: (req: IncomingMessage, res: ServerResponse) => void): ReadonlySet<Http2Session> {
  const sessions = new Set<Http2Session>();
  const h2 = createH2Server({
    settings: { maxConcurrentStreams: limits.maxConcurrentStreams, maxHeaderListSize: limits.maxHeaderBytes, enablePush: false },
    maxSessionInvalidFrames: 100,
    maxSessionRejectedStreams: 100,
  });
  // Node's compatibility API gives each stream a request and response object shaped like HTTP/1.1's; the handler
  // checks `httpVersionMajor` where the two differ (no `Connection` header, body framing, trailers).
  h2.on('request', handler as unknown as (...args: unknown[]) => void);
  h2.on('sessionError', () => undefined);
  h2.on('session', (session: Http2Session) => {
    sessions.add(session);
    session.on('error', () => undefined);
    session.setTimeout(H2_IDLE_TIMEOUT_MS, () => session.close());
    session.once('close', () => sessions.delete(session));
  });
  const http1 = server.listeners('connection') as Array<(socket: Socket) => void>;
  server.removeAllListeners('connection');
  server.on('connection', (socket: Socket) =>
    routeByPreface(
      socket,
      limits.headersTimeoutMs,
      (s) => {
        for (const l of http1) l.call(server, s);
      },
      (s) => h2.emit('connection', s),
    ),
  );
  return sessions;
}
