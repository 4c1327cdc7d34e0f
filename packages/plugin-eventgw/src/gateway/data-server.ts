import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { GatewayErrors } from './error-response.ts';
import type { GatewayLimits } from './gateway-limits.ts';

/** Writes a complete error answer on a raw socket (no request object exists) and closes it. */
function rawAnswer(socket: Duplex, status: number, code: string, message: string): void {
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
 * a short error answer on the raw socket; upgrade requests (WebSocket) get 501. Node's whole-request timeout is
 * off: a request may rightly wait in the queue longer than it; slow bodies are caught by the body idle timeout.
 */
export function createDataServer(limits: GatewayLimits, handler: (req: IncomingMessage, res: ServerResponse) => void): Server {
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
  server.on('upgrade', (_req: IncomingMessage, socket: Duplex) => {
    socket.on('error', () => undefined);
    rawAnswer(socket, 501, GatewayErrors.badRequest, 'protocol upgrades (WebSocket) are not supported by the gateway');
  });
  server.on('connect', (_req: IncomingMessage, socket: Duplex) => {
    socket.on('error', () => undefined);
    rawAnswer(socket, 405, GatewayErrors.badRequest, 'CONNECT is not supported: the gateway is not a forward proxy');
  });
  return server;
}
