import { targetKey } from '@ebb/core';
import { StaticDiscovery } from '../discovery/static-discovery.ts';
import type { GatewayLimits } from '../gateway/gateway-limits.ts';
import type { GatewayHandle } from '../gateway/gateway-options.ts';
import { startGateway } from '../gateway/start-gateway.ts';
import type { GatewayEndpoint, TargetRoute } from '../gateway/target-route.ts';
import type { Backend } from './backends.ts';

/** A route for `shop/<name>` on `<name>.example.com` with test-sized defaults. */
export function testRoute(name: string, over: Partial<TargetRoute> = {}): TargetRoute {
  const ref = { namespace: 'shop', name };
  return { ref, key: targetKey(ref), hosts: [`${name}.example.com`], pathPrefix: '/', containerConcurrency: 1, queueLength: 100, queueTimeoutMs: 10_000, ...over };
}

/** The endpoint of a backend. */
export function endpointOf(b: Backend, id = `pod-${b.address}`): GatewayEndpoint {
  return { id, address: b.address, port: b.port };
}

/** A gateway on 127.0.0.1 (ephemeral ports) fed by a {@link StaticDiscovery}. */
export async function startTestGateway(options: { limits?: Partial<GatewayLimits>; scalerUrl?: string; drainTimeoutMs?: number } = {}): Promise<{ gateway: GatewayHandle; discovery: StaticDiscovery }> {
  const discovery = new StaticDiscovery();
  const gateway = await startGateway({
    discovery,
    host: '127.0.0.1',
    port: 0,
    adminHost: '127.0.0.1',
    adminPort: 0,
    processMetrics: false,
    gatewayId: 'test-gateway',
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.scalerUrl ? { scalerUrl: options.scalerUrl } : {}),
    ...(options.drainTimeoutMs !== undefined ? { drainTimeoutMs: options.drainTimeoutMs } : {}),
  });
  return { gateway, discovery };
}
