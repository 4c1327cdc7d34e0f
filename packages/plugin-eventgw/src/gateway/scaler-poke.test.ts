import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ManualClock, type LogFields, type Logger } from '@ebb/core';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../test-support/http-client.ts';
import { createScalerPoke } from './scaler-poke.ts';

/** A scaler replica's /poke on `address`:`port` that records the targets it was poked for. */
async function replica(address: string, port = 0, status = 202): Promise<{ server: Server; port: number; poked: string[] }> {
  const poked: string[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://scaler');
    if (req.method === 'POST' && url.pathname === '/poke') poked.push(url.searchParams.get('target') ?? '');
    res.statusCode = status;
    res.end();
  });
  server.listen(port, address);
  await once(server, 'listening');
  return { server, port: (server.address() as AddressInfo).port, poked };
}

function recordingLogger(): Logger & { warnings: Array<[string, LogFields | undefined]> } {
  const warnings: Array<[string, LogFields | undefined]> = [];
  const ignore = (): void => undefined;
  return { warnings, debug: ignore, info: ignore, error: ignore, warn: (msg, fields) => void warnings.push([msg, fields]) };
}

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

describe('createScalerPoke', () => {
  it('pokes every address the scaler host resolves to, so the replica that owns the target hears it', async () => {
    const a = await replica('127.0.0.1');
    const b = await replica('127.0.0.2', a.port);
    servers.push(a.server, b.server);
    const results: string[] = [];
    const resolved: string[] = [];
    const poke = createScalerPoke({
      scalerUrl: `http://scaler-replicas.ebb-system.svc:${a.port}/`,
      clock: new ManualClock(0),
      logger: recordingLogger(),
      resolveAll: async (host) => (resolved.push(host), ['127.0.0.1', '127.0.0.2']),
      observe: (r) => results.push(r),
    });
    poke.poke('shop/coffee');
    await eventually(() => results.length === 1, 'the poke');
    expect(a.poked).toEqual(['shop/coffee']);
    expect(b.poked).toEqual(['shop/coffee']);
    expect(results).toEqual(['sent']);
    expect(resolved).toEqual(['scaler-replicas.ebb-system.svc']);
  });

  it('counts a poke as sent when one replica took it, and warns only when none did', async () => {
    const owner = await replica('127.0.0.1');
    const other = await replica('127.0.0.2', owner.port, 404);
    servers.push(owner.server, other.server);
    const clock = new ManualClock(0);
    const logger = recordingLogger();
    const results: string[] = [];
    const addresses = [['127.0.0.1', '127.0.0.2'], ['127.0.0.2']];
    const poke = createScalerPoke({ scalerUrl: `http://scaler:${owner.port}`, clock, logger, resolveTtlMs: 0, resolveAll: async () => addresses.shift() ?? [], observe: (r) => results.push(r) });
    poke.poke('shop/coffee');
    await eventually(() => results.length === 1, 'the first poke');
    expect(results).toEqual(['sent']);
    expect(logger.warnings).toEqual([]);
    clock.advance(1000);
    poke.poke('shop/coffee');
    await eventually(() => results.length === 2, 'the second poke');
    expect(results).toEqual(['sent', 'failed']);
    expect(logger.warnings).toHaveLength(1);
    expect(logger.warnings[0]?.[0]).toBe('could not poke the scaler');
    expect(String(logger.warnings[0]?.[1]?.['error'])).toContain('HTTP 404');
  });

  it('reuses the resolved addresses for the TTL and rate-limits each target', async () => {
    const a = await replica('127.0.0.1');
    servers.push(a.server);
    const clock = new ManualClock(0);
    const results: string[] = [];
    let lookups = 0;
    const poke = createScalerPoke({ scalerUrl: `http://scaler:${a.port}`, clock, logger: recordingLogger(), resolveAll: async () => (lookups++, ['127.0.0.1']), observe: (r) => results.push(r) });
    poke.poke('shop/a');
    poke.poke('shop/a');
    poke.poke('shop/b');
    await eventually(() => results.filter((r) => r !== 'skipped').length === 2, 'two pokes');
    expect(results.filter((r) => r === 'skipped')).toHaveLength(1);
    expect(a.poked.sort()).toEqual(['shop/a', 'shop/b']);
    expect(lookups).toBe(1);
    clock.advance(6000);
    poke.poke('shop/a');
    await eventually(() => a.poked.length === 3, 'the poke after the TTL');
    expect(lookups).toBe(2);
  });

  it('pokes an IP address as it is, without resolving', async () => {
    const a = await replica('127.0.0.1');
    servers.push(a.server);
    const results: string[] = [];
    const poke = createScalerPoke({
      scalerUrl: `http://127.0.0.1:${a.port}`,
      clock: new ManualClock(0),
      logger: recordingLogger(),
      resolveAll: () => Promise.reject(new Error('must not resolve an IP address')),
      observe: (r) => results.push(r),
    });
    poke.poke('shop/coffee');
    await eventually(() => results.length === 1, 'the poke');
    expect(results).toEqual(['sent']);
    expect(a.poked).toEqual(['shop/coffee']);
  });

  it('pokes through the system resolver by default (localhost)', async () => {
    const a = await replica('127.0.0.1');
    servers.push(a.server);
    const results: string[] = [];
    const poke = createScalerPoke({ scalerUrl: `http://localhost:${a.port}`, clock: new ManualClock(0), logger: recordingLogger(), observe: (r) => results.push(r) });
    poke.poke('shop/coffee');
    await eventually(() => results.length === 1, 'the poke');
    expect(a.poked).toEqual(['shop/coffee']);
    expect(results).toEqual(['sent']);
  });
});
