import { describe, expect, it } from 'vitest';
import { ManualClock } from '../contracts/clock.ts';
import type { ScaleTarget, TargetEvent, TargetSource } from '../contracts/cluster.ts';
import { CORE_VERSION } from '../version.ts';
import { defineConfig } from '../config/define-config.ts';
import { scalingConfigSchema } from '../config/scaling-schema.ts';
import type { PolicyPlugin } from '../contracts/plugin.ts';
import { targetKey } from '../contracts/target.ts';
import { ControlLoop } from './control-loop.ts';
import { combine } from '../scaling/combine.ts';
import { MetricStore } from '../metrics/metric-store.ts';

/** Recommends whatever the test sets, as a schedule boundary would change it. */
function steerable() {
  const wanted = { replicas: 1 };
  const plugin: PolicyPlugin<Record<string, never>, undefined> = {
    manifest: { id: 'steer', version: '1.0.0', coreVersion: `^${CORE_VERSION}`, description: 'Recommends what the test says.' },
    config: defineConfig({}),
    recommend: () => ({ recommendation: { kind: 'replicas', replicas: wanted.replicas, reason: `steered to ${wanted.replicas}` } }),
  };
  return { plugin, wanted };
}

describe('a decision made while the cache has not caught up with our last scale', () => {
  it('is carried out as soon as the watch delivers a newer version, not at the next periodic tick', async () => {
    const ref = { namespace: 'ns', name: 'web' };
    let target: ScaleTarget = {
      ref,
      key: targetKey(ref),
      uid: 'u',
      resourceVersion: '1',
      labels: {},
      annotations: { 'ebb.dev/policies': 'steer', 'ebb.dev/min-replicas': '1' },
      selector: { app: 'web' },
      specReplicas: 1,
      readyReplicas: 1,
      observed: true,
    };
    const listeners = new Set<(e: TargetEvent, t: ScaleTarget) => void>();
    const source: TargetSource = {
      list: () => [target],
      get: () => target,
      subscribe: (l) => {
        listeners.add(l);
        return () => listeners.delete(l);
      },
      start: async () => undefined,
      stop: async () => undefined,
    };
    /** What the watch would deliver later: the Deployment as the apiserver has it now. */
    let server = target;
    const scaled: number[] = [];
    const { plugin, wanted } = steerable();
    const clock = new ManualClock();
    const loop = new ControlLoop({
      clock,
      source,
      // The write reaches the apiserver; the informer cache (`target`) still shows the old version.
      actuator: { scale: async (t, replicas) => void (scaled.push(replicas), (server = { ...t, specReplicas: replicas, resourceVersion: String(Number(t.resourceVersion) + 1) })) },
      events: { event: async () => undefined },
      status: { write: async () => undefined },
      plugins: new Map([['steer', plugin as PolicyPlugin<unknown, unknown>]]),
      scalingSchema: scalingConfigSchema,
      combine,
      store: new MetricStore(),
      tickIntervalMs: 3_600_000,
    });
    const deliver = async (t: ScaleTarget): Promise<void> => {
      target = t;
      for (const l of listeners) l('upsert', t);
      for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    };
    await loop.start();

    wanted.replicas = 4;
    loop.poke(target.key, 'a boundary');
    await new Promise((r) => setImmediate(r));
    expect(scaled).toEqual([4]);

    // A second boundary before the cache shows the first scale (it still shows 1, which is what is wanted now):
    // the loop must not act on the stale object...
    wanted.replicas = 1;
    loop.poke(target.key, 'another boundary');
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    expect(scaled).toEqual([4]);

    // ...and acts the moment the watch delivers the newer version, with no clock movement (the period is an hour).
    await deliver(server);
    expect(scaled).toEqual([4, 1]);

    // Newer versions without a pending decision tick nothing.
    await deliver({ ...server, resourceVersion: '99', readyReplicas: 2 });
    expect(scaled).toEqual([4, 1]);
    await loop.stop();
  });
});
