import { request, type IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Duplex } from 'node:stream';
import type { Clock, TargetKey } from '@ebb/core';
import { rawAnswer, type UpgradeHandler } from './data-server.ts';
import type { Lease } from './dispatcher.ts';
import { GatewayErrors } from './error-response.ts';
import type { GatewayLimits } from './gateway-limits.ts';
import type { GatewayMetrics } from './gateway-metrics.ts';
import type { GatewayTargets } from './gateway-targets.ts';
import { upstreamRequestHeaders } from './hop-headers.ts';
import type { ScalerPoke } from './scaler-poke.ts';
import type { HttpRouteTable } from '../routes/http-route-table.ts';
import { lookupTarget } from '../routes/target-lookup.ts';

/** What the upgrade (WebSocket) handler needs. */
export interface UpgradeDeps {
  readonly targets: GatewayTargets;
  readonly metrics: GatewayMetrics;
  readonly limits: GatewayLimits;
  readonly clock: Clock;
  readonly poke: ScalerPoke | undefined;
  readonly draining: () => boolean;
  /** The rules of accepted HTTPRoutes, tried before the annotation hosts; undefined: none. */
  readonly httpRoutes?: HttpRouteTable;
}

/**
 * Forwards WebSocket upgrades (HTTP/1.1 `Upgrade: websocket`) to the routed target's pods: routed like any
 * request (404 for a host nobody opted in: never an open proxy), one slot of the target for the connection's whole
 * life (held at zero, queued, refused like a request), the pod spoken to over HTTP/1.1 whatever the route
 * protocol. When the pod answers 101 the gateway passes the answer on and copies bytes both ways until either side
 * closes; any other answer is passed on and the connection closed. Other upgrades get 501.
 */
export function createUpgradeHandler(deps: UpgradeDeps): UpgradeHandler {
  return (req, socket, head) => {
    void upgrade(deps, req, socket, head).catch((e: unknown) => {
      rawAnswer(socket, 500, GatewayErrors.badRequest, `gateway error: ${e instanceof Error ? e.message : String(e)}`);
    });
  };
}

async function upgrade(deps: UpgradeDeps, req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
  const startedAt = performance.now();
  const protocol = req.headers.upgrade ?? '';
  if (protocol.toLowerCase() !== 'websocket') {
    return rawAnswer(socket, 501, GatewayErrors.badRequest, `only WebSocket upgrades are forwarded, not "${protocol.slice(0, 50)}"`);
  }
  const host = req.headers.host;
  const url = req.url ?? '';
  if (!host || !url.startsWith('/')) return rawAnswer(socket, 400, GatewayErrors.badRequest, 'a WebSocket upgrade needs a Host header and a path');
  const found = lookupTarget(deps.targets, deps.httpRoutes, host, url, req.headers);
  if (found.kind === 'refused') {
    deps.metrics.reject(undefined, 'unavailable');
    return rawAnswer(socket, found.status, GatewayErrors.unavailable, found.message);
  }
  const target = found.kind === 'target' ? found.target : undefined;
  if (!target) {
    deps.metrics.reject(undefined, 'no_route');
    return rawAnswer(socket, 404, GatewayErrors.noRoute, `no target is routed for host "${host.slice(0, 255)}" and path "${url.split('?')[0]?.slice(0, 255)}"`);
  }
  const key = target.route.key;
  const finish = (status: number): void => deps.metrics.request(key, status, (performance.now() - startedAt) / 1000);
  if (deps.draining()) {
    deps.metrics.reject(key, 'unavailable');
    rawAnswer(socket, 503, GatewayErrors.unavailable, 'the gateway is shutting down');
    return finish(503);
  }
  target.requestCount++;
  if (target.dispatcher.readyEndpoints === 0) {
    target.coldStarts++;
    deps.poke?.poke(key);
  }
  let lease: Lease | undefined = target.dispatcher.tryAcquire();
  if (!lease) {
    const abort = new AbortController();
    const onClose = (): void => abort.abort();
    socket.once('close', onClose);
    const got = await target.dispatcher.acquire({ signal: abort.signal });
    socket.off('close', onClose);
    if (got.kind !== 'lease') {
      const [status, code, why] =
        got.kind === 'queue-full'
          ? ([503, GatewayErrors.queueFull, `the queue of ${key} is full`] as const)
          : got.kind === 'timeout'
            ? ([504, GatewayErrors.queueTimeout, `no pod of ${key} had a free slot within the queue timeout`] as const)
            : got.kind === 'closed'
              ? ([503, GatewayErrors.unavailable, got.reason] as const)
              : ([499, GatewayErrors.badRequest, 'client went away'] as const);
      if (status !== 499) {
        deps.metrics.reject(key, got.kind === 'queue-full' ? 'queue_full' : got.kind === 'timeout' ? 'queue_timeout' : 'unavailable');
        rawAnswer(socket, status, code, why);
      }
      return finish(status);
    }
    lease = got.lease;
  }
  deps.metrics.dispatched(key, lease.waitedMs / 1000, lease.coldStart);
  finish(await connectPod(deps, req, socket, head, lease, key));
}

/** Opens the upgrade on the lease's pod and joins the two sockets; resolves with the status once all is closed. */
function connectPod(deps: UpgradeDeps, req: IncomingMessage, socket: Duplex, head: Buffer, lease: Lease, key: TargetKey): Promise<number> {
  const { endpoint } = lease;
  const pod = `pod ${endpoint.id} (${endpoint.address}:${endpoint.port}) of ${key}`;
  const headers = upstreamRequestHeaders(req.headers, { remoteAddress: req.socket.remoteAddress, proto: 'http' });
  headers.connection = 'Upgrade';
  headers.upgrade = req.headers.upgrade;
  return new Promise<number>((resolve) => {
    let done = false;
    const end = (status: number): void => {
      if (done) return;
      done = true;
      lease.release();
      resolve(status);
    };
    const upstream = request({ host: endpoint.address, port: endpoint.port, method: req.method, path: req.url, headers, agent: false });
    const connectTimer = deps.clock.setTimeout(() => upstream.destroy(new Error(`connect timeout after ${deps.limits.connectTimeoutMs} ms`)), deps.limits.connectTimeoutMs);
    upstream.once('socket', (s) => s.once('connect', () => connectTimer.cancel()));
    const onClientClose = (): void => {
      upstream.destroy();
    };
    socket.once('close', onClientClose);
    upstream.on('error', (err: NodeJS.ErrnoException) => {
      connectTimer.cancel();
      socket.off('close', onClientClose);
      deps.metrics.reject(key, 'backend_failed');
      rawAnswer(socket, 502, GatewayErrors.backendFailed, `${pod} failed the WebSocket upgrade (${err.code ?? err.message})`);
      end(502);
    });
    upstream.once('response', (ures: IncomingMessage) => {
      // The pod refused the upgrade: pass its answer on and close.
      connectTimer.cancel();
      socket.off('close', onClientClose);
      socket.write(statusLine(ures) + rawHeaderBlock(ures.rawHeaders, ['connection']) + 'connection: close\r\n\r\n');
      ures.pipe(socket);
      ures.once('end', () => socket.end());
      socket.once('close', () => end(ures.statusCode ?? 502));
    });
    upstream.once('upgrade', (ures: IncomingMessage, podSocket: Duplex, podHead: Buffer) => {
      connectTimer.cancel();
      socket.off('close', onClientClose);
      podSocket.on('error', () => undefined);
      socket.write(statusLine(ures) + rawHeaderBlock(ures.rawHeaders, []) + '\r\n');
      if (podHead.length) socket.write(podHead);
      if (head.length) podSocket.write(head);
      podSocket.pipe(socket);
      socket.pipe(podSocket);
      let open = 2;
      const closed = (): void => {
        podSocket.destroy();
        socket.destroy();
        if (--open === 0) end(101);
      };
      podSocket.once('close', closed);
      socket.once('close', closed);
    });
    upstream.end();
  });
}

function statusLine(res: IncomingMessage): string {
  return `HTTP/1.1 ${res.statusCode ?? 502} ${res.statusMessage ?? ''}\r\n`;
}

/** `name: value` lines of raw headers, minus the names (lower-case) in `skip`. */
function rawHeaderBlock(raw: readonly string[], skip: readonly string[]): string {
  let out = '';
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] ?? '';
    if (skip.includes(name.toLowerCase())) continue;
    out += `${name}: ${raw[i + 1] ?? ''}\r\n`;
  }
  return out;
}
