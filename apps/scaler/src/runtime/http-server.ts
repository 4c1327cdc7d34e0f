import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';

/** A route handler returning a status and a JSON-able body (or text). */
export type Route = (req: IncomingMessage, url: URL) => Promise<{ status: number; body: unknown; contentType?: string }>;

/** Options of {@link startHttpServer}. */
export interface HttpServerOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly registry: Registry;
  /** Liveness: the process is working (event loop runs). */
  readonly healthy: () => boolean;
  /** Readiness: informers synced (and, for the scaler, config loaded). */
  readonly ready: () => boolean;
  /** Further GET routes by path, e.g. `/explain`. */
  readonly routes?: Readonly<Record<string, Route>>;
  /** POST routes by path, e.g. `/poke`. */
  readonly postRoutes?: Readonly<Record<string, Route>>;
}

/** The scaler's HTTP endpoints: `/metrics`, `/healthz`, `/readyz` and the given routes. */
export async function startHttpServer(o: HttpServerOptions): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  const server = createServer((req, res) => void handle(o, req, res));
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : o.port;
  return {
    server,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(o: HttpServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const send = (status: number, body: string, contentType = 'text/plain; charset=utf-8') => {
    res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
    res.end(body);
  };
  try {
    const post = o.postRoutes?.[url.pathname];
    if (req.method === 'POST' && post) {
      req.resume();
      return reply(send, await post(req, url));
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed\n');
    if (url.pathname === '/metrics') return send(200, await o.registry.metrics(), o.registry.contentType);
    if (url.pathname === '/healthz') return o.healthy() ? send(200, 'ok\n') : send(503, 'unhealthy\n');
    if (url.pathname === '/readyz') return o.ready() ? send(200, 'ok\n') : send(503, 'not ready\n');
    const route = o.routes?.[url.pathname];
    if (!route) return send(404, 'not found\n');
    return reply(send, await route(req, url));
  } catch (e) {
    send(500, `internal error: ${e instanceof Error ? e.message : String(e)}\n`);
  }
}

function reply(send: (status: number, body: string, contentType?: string) => void, out: Awaited<ReturnType<Route>>): void {
  if (typeof out.body === 'string') return send(out.status, out.body, out.contentType);
  send(out.status, JSON.stringify(out.body, null, 2) + '\n', 'application/json');
}
