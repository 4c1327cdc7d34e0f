import { createTestDeployment, findFreePort, useTestNamespace } from '@ebb/testing';
import { targetKey, type TargetInfo } from '@ebb/core';
import { afterEach, describe, expect, it } from 'vitest';
import { echoClient, say } from '../test-support/grpc-echo.ts';
import { serveGrpcPods } from '../test-support/grpc-pods.ts';
import { eventually, targetStats } from '../test-support/http-client.ts';
import { startMiniScaler } from '../test-support/mini-scaler.ts';
import { startGateway } from './start-gateway.ts';

const ns = useTestNamespace('eventgw-grpc');
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('gRPC through the gateway on a real cluster', () => {
  it('holds a call to a target at zero, scales it up, and completes the call when the pod turns Ready', async () => {
    const port = await findFreePort();
    const annotations = {
      'ebb.dev/eventgw.host': 'echo.example.com',
      'ebb.dev/eventgw.protocol': 'h2c',
      'ebb.dev/eventgw.container-concurrency': '1',
    };
    await createTestDeployment(ns.kubeConfig, { namespace: ns.name, name: 'echo', replicas: 0, containerPort: port, annotations, readinessDelay: '1s' });
    const ref = { namespace: ns.name, name: 'echo' };
    const info: TargetInfo = { ref, key: targetKey(ref), selector: { app: 'echo' }, policies: ['eventgw'], annotations };
    const pods = await serveGrpcPods(ns.kubeConfig, ns.name, 'app=echo', port);
    cleanups.push(() => pods.stop());

    const gatewayPort = await findFreePort();
    const adminPort = await findFreePort();
    const scaler = await startMiniScaler(ns.kubeConfig, `http://127.0.0.1:${adminPort}`, [info]);
    const gateway = await startGateway({ kubeConfig: ns.kubeConfig, namespaces: [ns.name], host: '127.0.0.1', port: gatewayPort, adminHost: '127.0.0.1', adminPort, scalerUrl: scaler.url, processMetrics: false });
    cleanups.push(() => scaler.stop(), () => gateway.stop({ drainTimeoutMs: 0 }));
    const client = echoClient(gatewayPort, 'echo.example.com');
    cleanups.push(() => client.close());

    const call = say(client, 'cold call', 90_000);
    await eventually(() => scaler.pokes.includes(info.key), 'the poke');
    expect(await targetStats(adminPort, info.key)).toMatchObject({ readyEndpoints: 0, coldStarts: 1 });
    const { reply, error } = await call;
    expect(error).toBeUndefined();
    expect(reply?.text).toBe('cold call');
    expect(reply?.pod).toMatch(/^echo-/);
    expect(scaler.scaled[0]).toBe(`${info.key}=1`);
    // Served exactly once, by one pod (the scaler may have asked for more pods meanwhile).
    expect([...pods.byPod.values()].flatMap((b) => b.received)).toEqual(['Say cold call']);
  });
});
