import { targetKey } from '@ebb/core';
import { useTestNamespace } from '@ebb/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { StaticDiscovery } from '../discovery/static-discovery.ts';
import type { GatewayHandle } from '../gateway/gateway-options.ts';
import { startGateway } from '../gateway/start-gateway.ts';
import { Gate, gatedHandler, startBackend } from '../test-support/backends.ts';
import { startCuttableProxy } from '../test-support/cuttable-proxy.ts';
import { eventually, pause, send, targetStats } from '../test-support/http-client.ts';
import { endpointOf, testRoute } from '../test-support/test-gateway.ts';

const ns = useTestNamespace('eventgw-partition');
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('a gateway replica cut off from the apiserver', () => {
  it('stops taking the shared slot, the other replica takes it over, and it comes back after the partition', async () => {
    const gate = new Gate();
    const backend = await startBackend('127.0.0.61', gatedHandler('pod', gate));
    cleanups.push(() => backend.close());
    const route = testRoute('part', { containerConcurrency: 1, queueTimeoutMs: 60_000 });
    const proxy = await startCuttableProxy(ns.kubeConfig);
    cleanups.push(() => proxy.close());
    const start = async (id: string, kubeConfig = ns.kubeConfig): Promise<GatewayHandle> => {
      const discovery = new StaticDiscovery();
      discovery.setRoute(route);
      discovery.setEndpoints(route.key, [endpointOf(backend)]);
      const gw = await startGateway({ discovery, host: '127.0.0.1', port: 0, adminHost: '127.0.0.1', adminPort: 0, processMetrics: false, gatewayId: id, coordination: { namespace: ns.name, group: 'part', kubeConfig } });
      cleanups.push(() => gw.stop({ drainTimeoutMs: 0 }));
      return gw;
    };
    const a = await start('part-a');
    const b = await start('part-b', proxy.kubeConfig);
    const call = (gw: GatewayHandle, id: string) => send(gw.port, { host: 'part.example.com', method: 'POST', body: id, headers: { 'x-test-id': id }, timeoutMs: 60_000 });

    const r1 = call(b, 'r1');
    await gate.waitFor(1); // b holds the only slot
    proxy.cut();
    gate.releaseOldest();
    expect((await r1).status).toBe(200);

    // a gets the slot only once b's Lease expired; b, which cannot renew, must have stopped using it by then.
    const r2 = call(a, 'r2');
    await gate.waitFor(2);
    const r3 = call(b, 'r3');
    await eventually(async () => gate.seen > 2 || (await targetStats(b.adminPort, targetKey(route.ref)))?.queued === 1, 'r3 waiting at b (or forwarded)');
    await pause(1500); // b must not forward r3 while r2 runs on the pod (the backend would count 2 in flight)
    expect(gate.ids).toEqual(['r1', 'r2']);

    proxy.heal();
    gate.releaseOldest();
    expect((await r2).status).toBe(200);
    await gate.waitFor(3); // b renews, claims the slot a gave up, and forwards r3
    gate.releaseAll();
    expect((await r3).status).toBe(200);
    expect(backend.maxInFlight).toBe(1);
  }, 120_000);
});
