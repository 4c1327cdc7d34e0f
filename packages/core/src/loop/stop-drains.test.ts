import { describe, expect, it } from 'vitest';
import { ManualClock } from '../contracts/clock.ts';
import type { ScaleTarget, TargetSource } from '../contracts/cluster.ts';
import { CORE_VERSION } from '../version.ts';
import { defineConfig } from '../config/define-config.ts';
import { scalingConfigSchema } from '../config/scaling-schema.ts';
import type { PolicyPlugin } from '../contracts/plugin.ts';
import { targetKey } from '../contracts/target.ts';
import { ControlLoop } from './control-loop.ts';
import { combine } from '../scaling/combine.ts';
import { MetricStore } from '../metrics/metric-store.ts';

const fixed: PolicyPlugin<Record<string, never>, undefined> = {
  manifest: { id: 'three', version: '1.0.0', coreVersion: `^${CORE_VERSION}`, description: 'Always 3.' },
  config: defineConfig({}),
  recommend: () => ({ recommendation: { kind: 'replicas', replicas: 3, reason: 'three' } }),
};

describe('stopping the loop', () => {
  it('resolves only once the writes of a tick in progress have finished', async () => {
    const ref = { namespace: 'ns', name: 'web' };
    const target: ScaleTarget = {
      ref,
      key: targetKey(ref),
      uid: 'u',
      resourceVersion: '1',
      labels: {},
      annotations: { 'ebb.dev/policies': 'three' },
      selector: { app: 'web' },
      specReplicas: 1,
      readyReplicas: 1,
      observed: true,
    };
    const source: TargetSource = { list: () => [target], get: () => target, subscribe: () => () => undefined, start: async () => undefined, stop: async () => undefined };
    let finishScale: () => void = () => undefined;
    const statusWrites: number[] = [];
    const loop = new ControlLoop({
      clock: new ManualClock(),
      source,
      // The scale write is slow: it finishes when the test says so.
      actuator: { scale: () => new Promise<void>((resolve) => (finishScale = resolve)) },
      events: { event: async () => undefined },
      status: { write: async (_t, s) => void statusWrites.push(s.desired) },
      plugins: new Map([['three', fixed as PolicyPlugin<unknown, unknown>]]),
      scalingSchema: scalingConfigSchema,
      combine,
      store: new MetricStore(),
    });
    await loop.start();
    const tick = loop.tick(target.key);
    let stopped = false;
    const stopping = loop.stop().then(() => void (stopped = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(stopped).toBe(false);
    finishScale();
    await stopping;
    // The status write that follows the scale was made before stop resolved, not after.
    expect(statusWrites).toEqual([3]);
    expect((await tick)?.desired).toBe(3);
  });
});
