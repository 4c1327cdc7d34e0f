import { once } from 'node:events';
import { request, type IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaticDiscovery } from '../discovery/static-discovery.ts';
import { startBackend, type Backend } from '../test-support/backends.ts';
import { endpointOf, startTestGateway, testRoute } from '../test-support/test-gateway.ts';
import type { GatewayHandle } from './gateway-options.ts';

let gateway: GatewayHandle;
let discovery: StaticDiscovery;
const backends: Backend[] = [];
const MiB = 1024 * 1024;

beforeAll(async () => {
  ({ gateway, discovery } = await startTestGateway({ limits: { maxBodyBytes: 1024 * MiB } }));
});
afterAll(async () => {
  await gateway.stop({ drainTimeoutMs: 0 });
  await Promise.all(backends.map((b) => b.close()));
});

async function routeTo(name: string, b: Backend): Promise<void> {
  backends.push(b);
  const r = testRoute(name);
  discovery.setRoute(r);
  discovery.setEndpoints(r.key, [endpointOf(b)]);
}

/** `totalBytes` of one reused 64 KiB chunk; `counter.pulled` counts the bytes handed out so far. */
function generated(totalBytes: number, counter = { pulled: 0 }): Readable {
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  return new Readable({
    read() {
      const n = Math.min(totalBytes - counter.pulled, chunk.length);
      if (n <= 0) return void this.push(null);
      counter.pulled += n;
      this.push(n === chunk.length ? chunk : chunk.subarray(0, n));
    },
  });
}

/** Waits until `read()` stops changing (same value over 300 ms), then returns it; at most 10 s. */
async function settled(read: () => number): Promise<number> {
  let last = -1;
  let same = 0;
  for (let i = 0; i < 100 && same < 3; i++) {
    await new Promise((r) => setTimeout(r, 100));
    const v = read();
    same = v === last ? same + 1 : 0;
    last = v;
  }
  return last;
}

/** Resolves with the first chunk a stream delivers. */
async function firstChunk(stream: NodeJS.ReadableStream): Promise<string> {
  const [chunk] = (await once(stream, 'data')) as [Buffer];
  return chunk.toString();
}

describe('streaming through the gateway', () => {
  it('passes request and response bodies on as they come, without waiting for their end', async () => {
    let backendReq: IncomingMessage | undefined;
    const seen = Promise.withResolvers<IncomingMessage>();
    await routeTo('live', await startBackend('127.250.6.1', (req, res) => {
      backendReq = req;
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first;');
      seen.resolve(req);
      req.on('end', () => res.end('last'));
      void res;
    }));
    const clientReq = request({ host: '127.0.0.1', port: gateway.port, method: 'POST', path: '/', headers: { host: 'live.example.com', 'transfer-encoding': 'chunked' } });
    clientReq.write('hello;');
    const upstream = await seen.promise;
    expect(await firstChunk(upstream)).toBe('hello;');
    const [res] = (await once(clientReq, 'response')) as [IncomingMessage];
    expect(await firstChunk(res)).toBe('first;');
    clientReq.end('bye');
    let rest = '';
    res.on('data', (c: Buffer) => (rest += c.toString()));
    await once(res, 'end');
    expect(rest).toBe('last');
    expect(backendReq?.complete).toBe(true);
  });

  it('holds only a bounded amount of a large body when the receiver stops reading (backpressure both ways)', async () => {
    const size = 128 * MiB;
    const download = { pulled: 0 };
    let backendReq: IncomingMessage | undefined;
    let received = 0;
    const paused = Promise.withResolvers<void>();
    await routeTo('bulk', await startBackend('127.250.6.2', (req, res) => {
      backendReq = req;
      req.on('data', (c: Buffer) => {
        received += c.length;
        if (received >= MiB && received - c.length < MiB) {
          req.pause();
          paused.resolve();
        }
      });
      req.on('end', () => {
        res.writeHead(200, { 'x-received': String(received) });
        generated(size, download).pipe(res);
      });
    }));
    const upload = { pulled: 0 };
    const clientReq = request({ host: '127.0.0.1', port: gateway.port, method: 'POST', path: '/', headers: { host: 'bulk.example.com', 'content-length': String(size) } });
    generated(size, upload).pipe(clientReq);
    await paused.promise;
    // The backend stopped reading: the client can only get as far as the socket and stream buffers on the way.
    expect(await settled(() => upload.pulled) / MiB).toBeLessThan(32);
    backendReq?.resume();

    const [res] = (await once(clientReq, 'response')) as [IncomingMessage];
    expect(res.headers['x-received']).toBe(String(size));
    res.pause();
    // The client stopped reading the answer: the backend can only get as far as the buffers on the way.
    expect(await settled(() => download.pulled) / MiB).toBeLessThan(32);
    let downloaded = 0;
    res.on('data', (c: Buffer) => (downloaded += c.length));
    res.resume();
    await once(res, 'end');
    expect(downloaded).toBe(size);
  }, 60_000);
});
