import { AppsV1Api } from '@kubernetes/client-node';
import { CORE_VERSION, defineConfig, STATUS_ANNOTATION, systemClock, type PolicyPlugin } from '@ebb/core';
import { useTestNamespace, waitFor } from '@ebb/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../runtime/config-file.ts';
import { startScaler, type RunningScaler } from '../runtime/scaler.ts';
import { createTarget } from '../test-support/cluster-helpers.ts';

const ns = useTestNamespace('persist');
const running: RunningScaler[] = [];
afterAll(async () => {
  for (const s of running) await s.stop();
});

/** Counts its decisions; persists the count every 4th decision; records what core handed back on its first one. */
function countingPlugin(handedBack: Array<string | undefined>): PolicyPlugin<Record<string, never>, number> {
  return {
    manifest: { id: 'count', version: '1.0.0', coreVersion: `^${CORE_VERSION}`, description: 'Counts its decisions (tests).' },
    config: defineConfig({}),
    recommend: ({ state, persisted }) => {
      if (state === undefined) handedBack.push(persisted);
      const n = (state ?? Number(persisted ?? 0)) + 1;
      return { recommendation: { kind: 'replicas', replicas: 1, reason: `decision ${n}` }, state: n, ...(n % 4 === 0 ? { persist: String(n) } : {}) };
    },
  };
}

async function start(handedBack: Array<string | undefined>): Promise<RunningScaler> {
  const scaler = await startScaler({
    config: { ...DEFAULT_CONFIG, namespaces: [ns.name], tickIntervalMs: 200, http: { host: '127.0.0.1', port: 0 }, plugins: ['count'] },
    builtins: { count: () => countingPlugin(handedBack) },
    kc: ns.kubeConfig,
    clock: systemClock,
  });
  running.push(scaler);
  return scaler;
}

describe('what a plugin persists, on the real apiserver', () => {
  it('is kept in the status annotation and handed back to the next scaler', async () => {
    const apps = ns.kubeConfig.makeApiClient(AppsV1Api);
    const persistedOnDeployment = async (): Promise<string | undefined> => {
      const d = await apps.readNamespacedDeployment({ name: 'counted', namespace: ns.name });
      const raw = d.metadata?.annotations?.[STATUS_ANNOTATION];
      return raw ? (JSON.parse(raw) as { persist?: Record<string, string> }).persist?.['count'] : undefined;
    };
    const first: Array<string | undefined> = [];
    const scaler = await start(first);
    await createTarget(ns.kubeConfig, ns.name, 'counted', { 'ebb.dev/policies': 'count' }, 1);
    // Written when it changes: "4", then "8".
    await waitFor(async () => Number(await persistedOnDeployment()) >= 8, { timeoutMs: 30_000, description: 'persist.count >= 8 on the Deployment' });
    expect(first).toEqual([undefined]);
    await scaler.stop();
    const kept = await persistedOnDeployment();

    // A new scaler (a restart, or a replica that becomes leader) gets it on its first decision and goes on from it.
    const second: Array<string | undefined> = [];
    await start(second);
    await waitFor(() => second.length > 0, { timeoutMs: 30_000, description: 'the first decision of the new scaler' });
    // The stopped scaler's writes had all finished when stop() resolved, so what the next one gets is exactly `kept`.
    expect(second).toEqual([kept]);
    await waitFor(async () => Number(await persistedOnDeployment()) > Number(second[0]), { timeoutMs: 30_000, description: 'a newer count persisted by the new scaler' });
  });
});
