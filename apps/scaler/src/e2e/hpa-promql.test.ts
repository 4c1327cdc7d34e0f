import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppsV1Api } from '@kubernetes/client-node';
import { SELECTION_LABEL, systemClock, type Decision } from '@ebb/core';
import { startPrometheus, testDeploymentManifest, useTestNamespace, waitFor, type RunningPrometheus } from '@ebb/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_FACTORIES } from '../builtins.ts';
import { DEFAULT_CONFIG } from '../runtime/config-file.ts';
import { startScaler, type RunningScaler } from '../runtime/scaler.ts';
import { eventsOf, memoryLogger, waitForReplicas } from '../test-support/cluster-helpers.ts';

// The built-in hpa plugin as `ebb run` wires it (its collectors from the scaler's cluster access, the Prometheus
// server from pluginOptions.hpa.prometheus), scaling from zero on an External metric read with PromQL from a real
// Prometheus that scrapes a local endpoint.
const ns = useTestNamespace('hpa-promql');
const logger = memoryLogger();
const backlog = { value: 0 };
let app: Server;
let prometheus: RunningPrometheus;
let scaler: RunningScaler;

beforeAll(async () => {
  app = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(`# TYPE orders_backlog gauge\norders_backlog{queue="orders"} ${backlog.value}\n`);
  });
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  prometheus = await startPrometheus([{ name: 'orders', targets: [`127.0.0.1:${(app.address() as AddressInfo).port}`], labels: { namespace: ns.name } }]);
  await prometheus.untilScraped();
  scaler = await startScaler({
    config: {
      ...DEFAULT_CONFIG,
      namespaces: [ns.name],
      tickIntervalMs: 500,
      http: { host: '127.0.0.1', port: 0 },
      plugins: ['hpa'],
      pluginOptions: { hpa: { prometheus: { url: prometheus.url } } },
    },
    builtins: BUILTIN_FACTORIES,
    kc: ns.kubeConfig,
    clock: systemClock,
    logger,
  });
});

afterAll(async () => {
  await scaler?.stop();
  await prometheus?.stop();
  await new Promise((resolve) => app?.close(resolve));
});

describe('the built-in hpa plugin on a PromQL External metric', () => {
  it('stays at zero while the backlog is 0, and scales from zero to ceil(backlog / 30 per pod) when it grows', async () => {
    const kc = ns.kubeConfig;
    const metrics = `
- type: External
  external:
    metric: {name: orders_backlog}
    query: sum(orders_backlog{namespace="{{namespace}}", queue="orders"})
    target: {type: AverageValue, averageValue: "30"}`;
    const body = testDeploymentManifest({
      namespace: ns.name,
      name: 'worker',
      replicas: 0,
      labels: { [SELECTION_LABEL]: 'true' },
      // initial-replicas 0: core does not start a new target at one pod; the hpa decides from zero.
      annotations: { 'ebb.dev/policies': 'hpa', 'ebb.dev/min-replicas': '0', 'ebb.dev/initial-replicas': '0', 'ebb.dev/max-replicas': '10', 'ebb.dev/hpa.metrics': metrics },
    });
    await kc.makeApiClient(AppsV1Api).createNamespacedDeployment({ namespace: ns.name, body });
    // A backlog of 0: ceil(0 / 30) = 0, the target stays at zero (the decision is made, not skipped).
    const hpaReason = (): string | undefined =>
      (scaler.explain(`${ns.name}/worker`) as Decision | undefined)?.recommendations?.find((r) => r.pluginId === 'hpa')?.recommendation.reason;
    await waitFor(
      () => {
        const reason = hpaReason();
        if (reason === 'external metric orders_backlog 0 in total below target 30 per pod (0 ready pods): 0 replicas') return true;
        throw new Error(`hpa: ${reason ?? 'no decision yet'}`);
      },
      { timeoutMs: 30_000, description: 'a decision at zero' },
    );
    await waitForReplicas(kc, ns.name, 'worker', 0, 1_000);
    // 75 messages: ceil(75 / 30) = 3.
    backlog.value = 75;
    await waitForReplicas(kc, ns.name, 'worker', 3, 60_000);
    // The Event is recorded right after the scale write: wait for it.
    const events = await waitFor(async () => {
      const found = await eventsOf(kc, ns.name, 'worker', 'SuccessfulRescale');
      return found.some((e) => e.message?.startsWith('New size: 3')) ? found : undefined;
    }, { timeoutMs: 15_000, description: 'the SuccessfulRescale Event of worker to 3' });
    expect(events.map((e) => e.message)).toContain('New size: 3; reason: hpa: external metric orders_backlog 75 in total above target 30 per pod (0 ready pods): 3 replicas');
  }, 120_000);
});
