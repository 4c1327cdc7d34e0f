import { describe, expect, it } from 'vitest';
import { ManualClock } from '../contracts/clock.ts';
import type { ScaleTarget, TargetSource, TargetStatus } from '../contracts/cluster.ts';
import { STATUS_ANNOTATION } from '../contracts/config.ts';
import { CORE_VERSION } from '../version.ts';
import { defineConfig } from '../config/define-config.ts';
import { scalingConfigSchema } from '../config/scaling-schema.ts';
import { MAX_PERSIST_CHARS, type PolicyPlugin } from '../contracts/plugin.ts';
import { targetKey } from '../contracts/target.ts';
import { ControlLoop } from './control-loop.ts';
import { combine } from '../scaling/combine.ts';
import { MetricStore } from '../metrics/metric-store.ts';

/** Counts its decisions in its state; persists the count every second decision (or `blob` when set). */
function counter(seen: Array<string | undefined>, blob?: () => unknown) {
  const plugin: PolicyPlugin<Record<string, never>, number> = {
    manifest: { id: 'count', version: '1.0.0', coreVersion: `^${CORE_VERSION}`, description: 'Counts decisions.' },
    config: defineConfig({}),
    recommend: ({ state, persisted }) => {
      seen.push(persisted);
      const n = (state ?? Number(persisted ?? 0)) + 1;
      const persist = blob ? (blob() as string) : n % 2 === 0 ? String(n) : undefined;
      return { recommendation: { kind: 'replicas', replicas: 1, reason: `decision ${n}` }, state: n, ...(persist === undefined ? {} : { persist }) };
    },
  };
  return plugin as PolicyPlugin<unknown, unknown>;
}

function targetWith(annotations: Record<string, string>): ScaleTarget {
  const ref = { namespace: 'ns', name: 'web' };
  return {
    ref,
    key: targetKey(ref),
    uid: 'u',
    resourceVersion: '1',
    labels: {},
    annotations: { 'ebb.dev/policies': 'count', ...annotations },
    selector: { app: 'web' },
    specReplicas: 1,
    readyReplicas: 1,
    observed: true,
  };
}

async function run(target: ScaleTarget, plugin: PolicyPlugin<unknown, unknown>, ticks: number): Promise<TargetStatus[]> {
  const source: TargetSource = { list: () => [target], get: () => target, subscribe: () => () => undefined, start: async () => undefined, stop: async () => undefined };
  const written: TargetStatus[] = [];
  const loop = new ControlLoop({
    clock: new ManualClock(),
    source,
    actuator: { scale: async () => undefined },
    events: { event: async () => undefined },
    status: { write: async (_t, s) => void written.push(s) },
    plugins: new Map([['count', plugin]]),
    scalingSchema: scalingConfigSchema,
    combine,
    store: new MetricStore(),
    tickIntervalMs: 3_600_000,
  });
  await loop.start();
  for (let i = 0; i < ticks; i++) await loop.tick(target.key);
  await loop.stop();
  return written;
}

describe('what a plugin persists', () => {
  it('is written into the status annotation when it changes and handed back after a restart', async () => {
    const seen: Array<string | undefined> = [];
    const written = await run(targetWith({}), counter(seen), 4);
    // Decision 1 writes the status without persist; decision 2 persists "2" (a change: written); 4 persists "4".
    expect(written.map((s) => s.persist)).toEqual([undefined, { count: '2' }, { count: '4' }]);
    expect(seen).toEqual([undefined, undefined, undefined, undefined]);

    // A new scaler (restart, or another replica that becomes leader) finds the status on the Deployment.
    const restartedSeen: Array<string | undefined> = [];
    const status = written.at(-1)!;
    const after = await run(targetWith({ [STATUS_ANNOTATION]: JSON.stringify(status) }), counter(restartedSeen), 2);
    // Only the first decision (no state yet) receives it; the count goes on from 4.
    expect(restartedSeen).toEqual(['4', undefined]);
    expect(after.map((s) => s.persist)).toEqual([{ count: '6' }]);
  });

  it.each<[string, unknown]>([
    ['too long', 'x'.repeat(MAX_PERSIST_CHARS + 1)],
    ['not a string', 42],
  ])('%s makes the target hold, like a throw', async (_what, blob) => {
    const written = await run(targetWith({}), counter([], () => blob), 1);
    expect(written).toHaveLength(1);
    expect(written[0]!.persist).toBeUndefined();
    expect(written[0]!.recommendations).toEqual({});
  });

  it('of a plugin the target no longer enables is dropped', async () => {
    const status: TargetStatus = { desired: 1, current: 1, recommendations: {}, applied: [], persist: { count: '8', gone: 'x' } };
    const seen: Array<string | undefined> = [];
    const written = await run(targetWith({ [STATUS_ANNOTATION]: JSON.stringify(status) }), counter(seen), 1);
    expect(seen).toEqual(['8']);
    // "gone" was persisted by a plugin the target no longer enables; the count plugin's own entry stays as it
    // was (decision 9 persists nothing).
    expect(written.at(-1)?.persist).toEqual({ count: '8' });
  });
});
