/**
 * One process of the h2c/gRPC benchmark (`h2-bench.ts`), started with an IPC channel so that its CPU time can be
 * read on its own:
 *
 * - `h2backend`: a node:http2 h2c server answering every stream at once with a small body.
 * - `grpcbackend`: the gRPC Echo service of the tests (@grpc/grpc-js) answering `Say`.
 * - `gateway <backendPort>`: the event gateway (production defaults) with a StaticDiscovery routing `echo.local`
 *   to the backend over h2c, containerConcurrency 0.
 *
 * Each sends `{ ready: true, port }` once listening and stops on `stop` or when its parent goes away.
 */
import { createServer } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { targetKey } from '@ebb/core';
import { startGateway, StaticDiscovery } from '../src/index.ts';
import { startGrpcBackend } from '../src/test-support/grpc-echo.ts';

const BODY = 'hello from the backend\n';

async function h2backend(): Promise<() => Promise<void>> {
  const server = createServer({ settings: { maxConcurrentStreams: 1000 } });
  server.on('stream', (stream) => {
    stream.resume();
    stream.respond({ ':status': 200, 'content-type': 'text/plain', 'content-length': Buffer.byteLength(BODY) });
    stream.end(BODY);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.send?.({ ready: true, port: (server.address() as AddressInfo).port });
  return () => new Promise((resolve) => server.close(() => resolve()));
}

async function grpcbackend(): Promise<() => Promise<void>> {
  const b = await startGrpcBackend('127.0.0.1', 'bench');
  process.send?.({ ready: true, port: b.port });
  return () => b.close();
}

async function gateway(backendPort: number): Promise<() => Promise<void>> {
  const discovery = new StaticDiscovery();
  const ref = { namespace: 'bench', name: 'echo' };
  const key = targetKey(ref);
  discovery.setRoute({ ref, key, hosts: ['echo.local'], pathPrefix: '/', containerConcurrency: 0, queueLength: 1000, queueTimeoutMs: 30_000, protocol: 'h2c' });
  discovery.setEndpoints(key, [{ id: 'backend-0', address: '127.0.0.1', port: backendPort }]);
  const gw = await startGateway({ discovery, host: '127.0.0.1', port: 0, adminHost: '127.0.0.1', adminPort: 0, gatewayId: 'bench' });
  process.send?.({ ready: true, port: gw.port });
  return () => gw.stop({ drainTimeoutMs: 1000 });
}

const [role, arg] = process.argv.slice(2);
const stop = role === 'h2backend' ? await h2backend() : role === 'grpcbackend' ? await grpcbackend() : await gateway(Number(arg));
const exit = (): void => void stop().then(() => process.exit(0));
process.on('message', (m) => m === 'stop' && exit());
process.on('disconnect', exit);
