import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppsV1Api, PatchStrategy, setHeaderOptions, type KubeConfig } from '@kubernetes/client-node';
import { MetricStore, parseTargetKey, type ScalingConfig, type TargetInfo } from '@ebb/core';
import { createGatewayStatsCollector } from '../collector/gateway-stats-collector.ts';
import { staticGatewayReplicas } from '../collector/gateway-replicas.ts';
import { parseEventGatewayConfig } from '../config/eventgw-config.ts';
import { createEventGatewayPlugin } from '../policy/eventgw-plugin.ts';

/** A stand-in for the scaler: its decisions and the pokes it received. */
export interface MiniScaler {
  readonly url: string;
  /** Targets poked, in order. */
  readonly pokes: string[];
  /** Replica counts written, in order, as `<target>=<replicas>`. */
  readonly scaled: string[];
  /** Lets a scaler started with `held` act (it records pokes but scales nothing until then). */
  release(): void;
  stop(): Promise<void>;
}

/**
 * Just enough of the scaler to close the loop in tests: each second (and at once on `POST /poke`) the gateway
 * stats collector records into a MetricStore, the eventgw plugin recommends, and the Deployment's scale is
 * patched when the recommendation differs. Core's combination (bounds, delays) is not involved.
 */
export async function startMiniScaler(kc: KubeConfig, gatewayAdminUrl: string, targets: readonly TargetInfo[], options: { held?: boolean } = {}): Promise<MiniScaler> {
  let held = options.held ?? false;
  const apps = kc.makeApiClient(AppsV1Api);
  const store = new MetricStore();
  const collector = createGatewayStatsCollector({ replicas: staticGatewayReplicas([gatewayAdminUrl]) });
  const plugin = createEventGatewayPlugin();
  const pokes: string[] = [];
  const scaled: string[] = [];
  const abort = new AbortController();
  for (const t of targets) {
    const config = parseEventGatewayConfig(t.annotations);
    if (config.ok) for (const need of plugin.metrics?.(config.value) ?? []) store.need(t.key, need);
  }
  let busy = Promise.resolve();
  const tick = (): Promise<void> => (busy = busy.then(async () => {
    if (held) return;
    const nowMs = Date.now();
    await collector.collect({ nowMs, targets, sink: store, signal: abort.signal });
    for (const t of targets) {
      const config = parseEventGatewayConfig(t.annotations);
      const ref = parseTargetKey(t.key);
      if (!config.ok || !ref) continue;
      const current = (await apps.readNamespacedDeploymentScale(ref)).spec?.replicas ?? 0;
      const rec = plugin.recommend({ nowMs, target: ref, config: config.value, scaling: {} as ScalingConfig, replicas: { current, ready: current }, metrics: store.view(t.key), state: undefined }).recommendation;
      if (rec.kind !== 'replicas' || rec.replicas === current) continue;
      await apps.patchNamespacedDeploymentScale({ ...ref, body: { spec: { replicas: rec.replicas } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
      scaled.push(`${t.key}=${rec.replicas}`);
    }
  }).catch((e: unknown) => console.error(`mini scaler tick failed: ${String(e)}`)));
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://scaler');
    if (req.method === 'POST' && url.pathname === '/poke') {
      pokes.push(url.searchParams.get('target') ?? '');
      void tick();
    }
    res.end();
  }).listen(0, '127.0.0.1');
  await once(server, 'listening');
  const timer = setInterval(() => void tick(), 1000);
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    pokes,
    scaled,
    release() {
      held = false;
      void tick();
    },
    async stop() {
      clearInterval(timer);
      abort.abort();
      await busy;
      server.close();
    },
  };
}
