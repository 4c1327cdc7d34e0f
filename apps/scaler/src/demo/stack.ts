import { appendFileSync } from 'node:fs';
import type { KubeConfig } from '@kubernetes/client-node';
import { SELECTION_LABEL, systemClock, type Decision, type GatewayTargetStats, type Logger } from '@ebb/core';
import { startGateway, type GatewayHandle } from '@ebb/plugin-eventgw';
import { findFreePort } from '@ebb/testing';
import { BUILTIN_FACTORIES } from '../builtins.ts';
import { DEFAULT_CONFIG, type ScalerConfig } from '../runtime/config-file.ts';
import { jsonLogger } from '../runtime/logger.ts';
import { startScaler, type RunningScaler } from '../runtime/scaler.ts';
import { DEMO_TIMINGS } from './coffee.ts';

/** The scaler and the gateway, both in this process, both on 127.0.0.1. */
export interface DemoStack {
  readonly scaler: RunningScaler;
  readonly gateway: GatewayHandle;
  /** `http://127.0.0.1:<port>` of the gateway's data plane. */
  readonly gatewayUrl: string;
  /** The live evaluation of a target (what `ebb explain` shows), or undefined before the scaler knows it. */
  decision(key: string): Decision | undefined;
  /** The gateway's figures for a target (`GET /stats` of its admin port). */
  gatewayStats(key: string): Promise<GatewayTargetStats | undefined>;
  stop(): Promise<void>;
}

/** A JSON-lines logger into `file` (the live view owns the terminal), or a silent one without a file. */
export function fileLogger(file: string | undefined, component: string): Logger {
  if (!file) return jsonLogger({ level: 'error', clock: systemClock, write: () => undefined });
  return jsonLogger({ level: 'info', clock: systemClock, base: { component }, write: (line) => appendFileSync(file, line + '\n') });
}

/**
 * Starts the gateway (watching `namespace` for Deployments that opted in, poking the scaler when a target has no
 * ready pod) and the scaler (kpa and eventgw plugins; the eventgw collector polls this gateway's `/stats`, and
 * shares concurrency and rps with the KPA). The scaler's port is chosen first so that the gateway knows it.
 */
export async function startDemoStack(kc: KubeConfig, namespace: string, logFile: string | undefined): Promise<DemoStack> {
  const scalerPort = await findFreePort();
  const gateway = await startGateway({
    kubeConfig: kc,
    namespaces: [namespace],
    labelSelector: `${SELECTION_LABEL}=true`,
    host: '127.0.0.1',
    port: 0,
    adminHost: '127.0.0.1',
    adminPort: 0,
    scalerUrl: `http://127.0.0.1:${scalerPort}`,
    gatewayId: 'demo-gateway',
    drainTimeoutMs: 2000,
    logger: fileLogger(logFile, 'ebb-gateway'),
  });
  const adminUrl = `http://127.0.0.1:${gateway.adminPort}`;
  const config: ScalerConfig = {
    ...DEFAULT_CONFIG,
    namespaces: [namespace],
    tickIntervalMs: DEMO_TIMINGS.tickIntervalMs,
    http: { host: '127.0.0.1', port: scalerPort },
    plugins: ['kpa', 'eventgw'],
    pluginOptions: { eventgw: { gateways: [adminUrl], sharedMetrics: true } },
  };
  let scaler: RunningScaler;
  try {
    scaler = await startScaler({ config, builtins: BUILTIN_FACTORIES, kc, clock: systemClock, logger: fileLogger(logFile, 'ebb-scaler'), identity: 'demo-scaler' });
  } catch (e) {
    await gateway.stop({ drainTimeoutMs: 0 });
    throw e;
  }
  return {
    scaler,
    gateway,
    gatewayUrl: `http://127.0.0.1:${gateway.port}`,
    decision: (key) => {
      const d = scaler.explain(key);
      return d && 'recommendations' in d ? d : undefined;
    },
    gatewayStats: async (key) => {
      const res = await fetch(`${adminUrl}/stats`, { signal: AbortSignal.timeout(2000) });
      const report = (await res.json()) as { targets: GatewayTargetStats[] };
      return report.targets.find((t) => t.target === key);
    },
    stop: async () => {
      await scaler.stop();
      await gateway.stop({ drainTimeoutMs: 2000 });
    },
  };
}
