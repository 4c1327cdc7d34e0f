import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A backend "pod": a node:http server on its own loopback address, counting what it sees. */
export interface Backend {
  readonly address: string;
  readonly port: number;
  readonly server: Server;
  /** Requests received (headers seen), in order, as `<method> <url> <x-test-id>`. */
  readonly received: string[];
  /** Requests being handled now. */
  inFlight: number;
  /** Highest `inFlight` seen. */
  maxInFlight: number;
  close(): Promise<void>;
}

/**
 * Starts a backend on `address` (any 127.x.y.z) and an ephemeral port, or on `port` when given. The handler
 * runs for every request; `inFlight` counts requests until their response closes.
 */
export async function startBackend(address: string, handler: (req: IncomingMessage, res: ServerResponse, b: Backend) => void, port = 0): Promise<Backend> {
  const sockets = new Set<Socket>();
  const server = createServer();
  const backend: Backend = {
    address,
    port: 0,
    server,
    received: [],
    inFlight: 0,
    maxInFlight: 0,
    async close() {
      for (const s of sockets) s.destroy();
      if (server.listening) await new Promise<void>((r) => server.close(() => r()));
    },
  };
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    backend.received.push(`${req.method} ${req.url} ${String(req.headers['x-test-id'] ?? '')}`.trim());
    backend.inFlight++;
    backend.maxInFlight = Math.max(backend.maxInFlight, backend.inFlight);
    res.once('close', () => backend.inFlight--);
    handler(req, res, backend);
  });
  server.listen(port, address);
  await once(server, 'listening');
  (backend as { port: number }).port = (server.address() as AddressInfo).port;
  return backend;
}

/** A handler that answers `<name>` after reading the body. */
export function answer(name: string): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    req.resume();
    req.on('end', () => res.end(name));
  };
}

/** Holds requests (see {@link gatedHandler}) until the test releases them, in arrival order. */
export class Gate {
  readonly held: Array<{ readonly id: string; release(): void }> = [];
  private waiters: Array<{ n: number; resolve: () => void }> = [];

  /** Resolves when at least `n` requests have been held so far. */
  waitFor(n: number): Promise<void> {
    if (this.seen >= n) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ n, resolve }));
  }

  /** Answers every held request. */
  releaseAll(): void {
    for (const h of this.held.splice(0)) h.release();
  }

  /** Requests held so far (released or not). */
  seen = 0;
  /** `x-test-id` of every request held so far, in arrival order. */
  readonly ids: string[] = [];

  /** Releases the oldest held request. */
  releaseOldest(): void {
    this.held.shift()?.release();
  }

  hold(id: string, release: () => void): void {
    this.held.push({ id, release });
    this.ids.push(id);
    this.seen++;
    this.waiters = this.waiters.filter((w) => (this.seen >= w.n ? (w.resolve(), false) : true));
  }
}

/** A handler that holds every request in `gate`, then answers with `<name> <x-test-id>`. */
export function gatedHandler(name: string, gate: Gate): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    req.resume();
    const id = String(req.headers['x-test-id'] ?? '');
    gate.hold(id, () => res.end(`${name} ${id}`));
  };
}
