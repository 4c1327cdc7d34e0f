/**
 * One process of the gateway benchmark, started by `gateway-bench.ts` with an IPC channel, so that each process's
 * CPU time and memory can be read on its own:
 *
 * - `backend fast [µs]`: a node:http server on 127.0.0.1 answering every request at once with a small body, after
 *   spinning the CPU for the given microseconds (default 0; stands in for an application's own work).
 * - `backend hold`: the same, but it holds every request until the parent sends `release` (slots stay full).
 * - `proxy <backendPort>`: the least a Node reverse proxy does (node:http server, keep-alive agent, pipe both
 *   ways, no routing, limits or metrics): the reference for what Node itself costs per proxied request.
 * - `gateway <json>`: the event gateway (production defaults) with a StaticDiscovery routing one host to the
 *   backend port given in the JSON ({ host, backendPort, containerConcurrency, queueLength, queueTimeoutMs }).
 *
 * Each sends `{ ready: true, port, adminPort? }` once listening and answers `{ mem }` to a `mem` message (after a
 * full GC when Node runs with --expose-gc).
 */
import { Agent, createServer, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { targetKey } from '@ebb/core';
import { startGateway, StaticDiscovery, type GatewayLimits } from '../src/index.ts';

/** The backend's answer: a small payload, as in the goals. */
export const BODY = 'hello from the backend\n';

interface GatewaySpec {
  readonly host: string;
  readonly backendPort: number;
  readonly containerConcurrency: number;
  readonly queueLength: number;
  readonly queueTimeoutMs: number;
  /** Overrides of the gateway's limits (default: production defaults). */
  readonly limits?: Partial<GatewayLimits>;
}

function send(message: unknown): void {
  process.send?.(message);
}

function memory(): NodeJS.MemoryUsage {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage();
}

/** Keeps the CPU busy for `us` microseconds. */
function spin(us: number): void {
  const end = performance.now() + us / 1000;
  while (performance.now() < end);
}

async function backend(mode: string, workUs: number): Promise<() => Promise<void>> {
  const held: ServerResponse[] = [];
  let holding = mode === 'hold';
  const answer = (res: ServerResponse): void => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(BODY) }).end(BODY);
  };
  const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
    req.resume();
    if (holding) return void held.push(res);
    if (workUs > 0) spin(workUs);
    answer(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.on('message', (m) => {
    if (m !== 'release') return;
    holding = false;
    for (const res of held.splice(0)) answer(res);
  });
  send({ ready: true, port: (server.address() as AddressInfo).port });
  return async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
}

async function gateway(spec: GatewaySpec): Promise<() => Promise<void>> {
  const discovery = new StaticDiscovery();
  const ref = { namespace: 'bench', name: 'echo' };
  const key = targetKey(ref);
  discovery.setRoute({
    ref,
    key,
    hosts: [spec.host],
    pathPrefix: '/',
    containerConcurrency: spec.containerConcurrency,
    queueLength: spec.queueLength,
    queueTimeoutMs: spec.queueTimeoutMs,
  });
  discovery.setEndpoints(key, [{ id: 'backend-0', address: '127.0.0.1', port: spec.backendPort }]);
  const gw = await startGateway({ discovery, host: '127.0.0.1', port: 0, adminHost: '127.0.0.1', adminPort: 0, gatewayId: 'bench', ...(spec.limits ? { limits: spec.limits } : {}) });
  send({ ready: true, port: gw.port, adminPort: gw.adminPort });
  return async () => gw.stop({ drainTimeoutMs: 1000 });
}

async function proxy(backendPort: number): Promise<() => Promise<void>> {
  const agent = new Agent({ keepAlive: true, scheduling: 'lifo', maxFreeSockets: 1024 });
  const server = createServer({ noDelay: true }, (req, res) => {
    const upstream = request({ host: '127.0.0.1', port: backendPort, method: req.method, path: req.url, headers: req.headers, agent }, (ures) => {
      res.writeHead(ures.statusCode ?? 502, ures.headers);
      ures.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  send({ ready: true, port: (server.address() as AddressInfo).port });
  return async () => {
    server.closeAllConnections();
    agent.destroy();
    await new Promise((resolve) => server.close(resolve));
  };
}

const [role, arg, extra] = process.argv.slice(2);
const stop =
  role === 'backend' ? await backend(arg ?? 'fast', Number(extra ?? 0)) : role === 'proxy' ? await proxy(Number(arg)) : await gateway(JSON.parse(arg ?? '{}') as GatewaySpec);
process.on('message', (m) => {
  if (m === 'mem') send({ mem: memory() });
  if (m === 'stop') void stop().then(() => process.exit(0));
});
process.on('disconnect', () => void stop().then(() => process.exit(0)));
