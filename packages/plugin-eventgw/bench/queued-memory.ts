import { connect, type Socket } from 'node:net';
import { rssBytes, startChild, type BenchChild } from './bench-tools.ts';

/** What the queued-memory phase measured. */
export interface QueuedMemory {
  readonly queued: number;
  readonly baseline: NodeJS.MemoryUsage;
  readonly whileQueued: NodeJS.MemoryUsage;
  readonly afterDrain: NodeJS.MemoryUsage;
  /** RSS from /proc while queued (includes memory not yet returned to the OS). */
  readonly rssQueuedProc: number;
  /** Status of one request sent when the queue was full. */
  readonly overflowStatus: number;
  /** Requests answered 200 after the backend released its slot. */
  readonly served: number;
}

interface Stats {
  readonly targets: ReadonlyArray<{ inFlight: number; queued: number }>;
}

async function stats(adminPort: number): Promise<Stats> {
  return (await (await fetch(`http://127.0.0.1:${adminPort}/stats`)).json()) as Stats;
}

async function until(what: string, pred: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await pred())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** One raw HTTP/1.1 request on its own connection; resolves with the status (0 on a connection error). */
function rawRequest(port: number, host: string, sockets: Socket[]): Promise<number> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    sockets.push(socket);
    let head = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      head += chunk;
      const m = /^HTTP\/1\.1 (\d{3})/.exec(head);
      if (m) {
        resolve(Number(m[1]));
        socket.destroy();
      }
    });
    socket.on('error', () => resolve(0));
    socket.on('close', () => resolve(0));
    socket.write(`GET / HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
  });
}

/**
 * Memory of the gateway with `queued` requests waiting: a backend that holds every request, a route with
 * containerConcurrency 1 and a queue of exactly `queued`, so one request is in flight and `queued` wait. Then one
 * more request (expected: 503, the bound), then the backend answers everything and the queue drains.
 */
export async function measureQueuedMemory(queued: number): Promise<QueuedMemory> {
  const host = 'hold.local';
  const backend: BenchChild = await startChild(['backend', 'hold']);
  const spec = { host, backendPort: backend.port, containerConcurrency: 1, queueLength: queued, queueTimeoutMs: 600_000 };
  const gateway: BenchChild = await startChild(['gateway', JSON.stringify(spec)]);
  const adminPort = gateway.adminPort ?? 0;
  const sockets: Socket[] = [];
  try {
    const baseline = await gateway.memory();
    const answers: Promise<number>[] = [];
    for (let i = 0; i < queued + 1; i++) {
      answers.push(rawRequest(gateway.port, host, sockets));
      if (i % 200 === 199) await new Promise((r) => setTimeout(r, 20));
    }
    await until(`${queued} queued requests`, async () => {
      const t = (await stats(adminPort)).targets[0];
      return t?.inFlight === 1 && t.queued === queued;
    });
    const whileQueued = await gateway.memory();
    const rssQueuedProc = rssBytes(gateway.pid);
    const overflowStatus = await rawRequest(gateway.port, host, sockets);
    backend.send('release');
    const statuses = await Promise.all(answers);
    const served = statuses.filter((s) => s === 200).length;
    await until('an empty queue', async () => (await stats(adminPort)).targets[0]?.queued === 0);
    await new Promise((r) => setTimeout(r, 500));
    const afterDrain = await gateway.memory();
    return { queued, baseline, whileQueued, afterDrain, rssQueuedProc, overflowStatus, served };
  } finally {
    for (const s of sockets) s.destroy();
    await gateway.stop();
    await backend.stop();
  }
}
