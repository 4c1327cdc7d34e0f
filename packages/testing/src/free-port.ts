import { createServer } from 'node:net';

/**
 * Asks the kernel for a TCP port that is free on `host` right now (bind to port 0, read it, close).
 * Another process may take it before it is used; the callers start their servers at once.
 */
export async function findFreePort(host = '127.0.0.1'): Promise<number> {
  return await new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host, port: 0, exclusive: true }, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error(`could not read the port bound on ${host}`));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });
}

/** Distinct free ports on `host`, `count` of them. */
export async function findFreePorts(count: number, host = '127.0.0.1'): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await findFreePort(host));
  return [...ports];
}

/** True when a listener could bind `host`:`port` right now. */
export async function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return await new Promise<boolean>((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * Waits until `host`:`port` can be bound again, e.g. after the process that listened there was stopped: a
 * process whose main thread has exited may hold its sockets until its last thread is gone. Resolves false when
 * the port is still taken after `timeoutMs`.
 */
export async function waitForPortFree(port: number, timeoutMs = 10_000, host = '127.0.0.1'): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (await isPortFree(port, host)) return true;
    if (performance.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
}
