import { AppsV1Api } from '@kubernetes/client-node';
import { createCronPlugin } from '@ebb/plugin-cron';
import { useTestNamespace, waitFor } from '@ebb/testing';
import { STATUS_ANNOTATION, systemClock } from '@ebb/core';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../runtime/config-file.ts';
import { startScaler, type RunningScaler } from '../runtime/scaler.ts';
import { createTarget, waitForReplicas } from '../test-support/cluster-helpers.ts';
import { TEST_FACTORIES } from '../test-support/test-plugins.ts';

const ns = useTestNamespace('cron-window');
let scaler: RunningScaler | undefined;
afterAll(async () => {
  await scaler?.stop();
});

/** A 6-field cron expression (with seconds) for the UTC instant `ms`. */
function cronAt(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCSeconds()} ${d.getUTCMinutes()} ${d.getUTCHours()} ${d.getUTCDate()} ${d.getUTCMonth() + 1} *`;
}

describe('a cron window on the real cluster', () => {
  it('scales the Deployment at the window start itself (not a tick later) and releases it when the window ends', async () => {
    const kc = ns.kubeConfig;
    // A long tick (30 s) shows that the boundary poke, not the periodic tick, requests the capacity.
    scaler = await startScaler({
      config: { ...DEFAULT_CONFIG, namespaces: [ns.name], tickIntervalMs: 30_000, http: { host: '127.0.0.1', port: 0 }, plugins: ['cron', 'fixed'] },
      builtins: { ...TEST_FACTORIES, cron: () => createCronPlugin() },
      kc,
      clock: systemClock,
    });
    const startMs = Math.ceil((Date.now() + 8_000) / 1000) * 1000;
    const windows = `- name: launch\n  start: "${cronAt(startMs)}"\n  duration: 8s\n  timezone: UTC\n  replicas: 4\n`;
    await createTarget(kc, ns.name, 'shop', { 'ebb.dev/policies': 'cron,fixed', 'ebb.dev/fixed.replicas': '1', 'ebb.dev/cron': windows }, 1);
    // Before the window: the other plugin decides (1).
    await new Promise((r) => setTimeout(r, Math.max(0, startMs - Date.now() - 1500)));
    const apps = kc.makeApiClient(AppsV1Api);
    expect((await apps.readNamespacedDeployment({ name: 'shop', namespace: ns.name })).spec?.replicas).toBe(1);
    await waitForReplicas(kc, ns.name, 'shop', 4, 15_000);
    // The status annotation is written right after the scale.
    const statusOf = async () => JSON.parse((await apps.readNamespacedDeployment({ name: 'shop', namespace: ns.name })).metadata?.annotations?.[STATUS_ANNOTATION] ?? '{}');
    const status = await waitFor(async () => {
      const st = await statusOf();
      return st.current === 4 ? st : undefined;
    });
    const decidedAt = Date.parse(status.lastScaleTime);
    // Decided at the boundary: at or after the start, and within one second of it.
    expect(decidedAt).toBeGreaterThanOrEqual(startMs);
    expect(decidedAt - startMs).toBeLessThan(1000);
    // After the window (8 s), cron has no opinion and the other plugin decides again, at the end boundary.
    try {
      await waitForReplicas(kc, ns.name, 'shop', 1, 20_000);
    } catch (e) {
      // What the scaler would decide now and what the cluster shows, so that a failure can be read.
      const d = await apps.readNamespacedDeployment({ name: 'shop', namespace: ns.name });
      console.error(`explain: ${JSON.stringify(scaler.explain(`${ns.name}/shop`))}\ndeployment: spec ${d.spec?.replicas}, rv ${d.metadata?.resourceVersion}, status ${JSON.stringify(d.status)}`);
      throw e;
    }
    const after = await waitFor(async () => {
      const st = await statusOf();
      return st.current === 1 ? st : undefined;
    });
    expect(after.recommendations.cron.kind).toBe('no-opinion');
    const releasedAt = Date.parse(after.lastScaleTime);
    expect(releasedAt).toBeGreaterThanOrEqual(startMs + 8_000);
    expect(releasedAt - (startMs + 8_000)).toBeLessThan(1000);
  });
});
