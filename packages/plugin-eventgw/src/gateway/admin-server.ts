import { createServer, type Server, type ServerResponse } from 'node:http';
import { GatewayProtocol, type GatewayStatsReport } from '@ebb/core';
import type { Registry } from 'prom-client';

/** Paths of the gateway's admin port. */
export const AdminPaths = {
  /** GET: the replica's {@link GatewayStatsReport} as JSON (for the scaler's collector). */
  stats: GatewayProtocol.statsPath,
  /** GET: Prometheus metrics. */
  metrics: '/metrics',
  /** GET: 200 while the process serves. */
  healthz: '/healthz',
  /** GET: 200 once discovery has synced and until shutdown starts; 503 otherwise. */
  readyz: '/readyz',
} as const;

/** What the admin server reads. */
export interface AdminServerDeps {
  readonly stats: () => GatewayStatsReport;
  readonly registry: Registry;
  readonly ready: () => boolean;
}

function send(res: ServerResponse, status: number, body: string, contentType = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(body);
}

/** The admin HTTP server (stats, metrics, health); kept apart from the data plane so it is never routed. */
export function createAdminServer(deps: AdminServerDeps): Server {
  const server = createServer((req, res) => {
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed\n');
    switch (path) {
      case AdminPaths.stats:
        return send(res, 200, JSON.stringify(deps.stats()), 'application/json');
      case AdminPaths.healthz:
        return send(res, 200, 'ok\n');
      case AdminPaths.readyz:
        return deps.ready() ? send(res, 200, 'ready\n') : send(res, 503, 'not ready\n');
      case AdminPaths.metrics:
        deps.registry.metrics().then(
          (text) => send(res, 200, text, deps.registry.contentType),
          (e: unknown) => send(res, 500, `metrics failed: ${String(e)}\n`),
        );
        return;
      default:
        return send(res, 404, `not found; try ${Object.values(AdminPaths).join(', ')}\n`);
    }
  });
  server.on('clientError', (_err, socket) => socket.destroy());
  return server;
}
