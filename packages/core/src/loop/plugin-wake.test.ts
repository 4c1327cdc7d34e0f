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

const START = Date.UTC(2026, 0, 5);

/** Answers 1 until `untilMs`, then 0, and asks for a decision at `untilMs` while it is ahead. */
function keepUntil(untilMs: number, decisions: number[]) {
  const plugin: PolicyPlugin<Record<string, never>, undefined> = {
    manifest: { id: 'keep', version: '1.0.0', coreVersion: `^${CORE_VERSION}`, description: 'Keeps a pod until a time.' },
    config: defineConfig({}),
    recommend: ({ nowMs }) => {
      decisions.push(nowMs - START);
      const replicas = nowMs < untilMs ? 1 : 0;
      return { recommendation: { kind: 'replicas', replicas, reason: `until ${untilMs}` }, ...(nowMs < untilMs ? { wakeAtMs: untilMs } : {}) };
    },
  };
  return plugin as PolicyPlugin<unknown, unknown>;
}

async function setup(untilMs: number) {
  const ref = { namespace: 'ns', name: 'web' };
  const target: ScaleTarget = {
    ref,
    key: targetKey(ref),
    uid: 'u',
    resourceVersion: '1',
    labels: {},
    annotations: { 'ebb.dev/policies': 'keep', 'ebb.dev/scale-to-zero-grace-period': '6s' },
    selector: { app: 'web' },
    specReplicas: 1,
    readyReplicas: 1,
    observed: true,
  };
  const source: TargetSource = { list: () => [target], get: () => target, subscribe: () => () => undefined, start: async () => undefined, stop: async () => undefined };
  const clock = new ManualClock(START);
  const decisions: number[] = [];
  const loop = new ControlLoop({
    clock,
    source,
    actuator: { scale: async () => undefined },
    events: { event: async () => undefined },
    status: { write: async () => undefined },
    plugins: new Map([['keep', keepUntil(untilMs, decisions)]]),
    scalingSchema: scalingConfigSchema,
    combine,
    store: new MetricStore(),
    // Periodic ticks an hour apart: only the asked-for decision can run in between.
    tickIntervalMs: 3_600_000,
  });
  await loop.start();
  return { loop, clock, decisions, key: target.key, pending: () => clock.pendingTimers() };
}

describe('a decision a plugin asks for (RecommendOutput.wakeAtMs)', () => {
  it('runs at that time, once, however many decisions asked for the same time', async () => {
    const { loop, clock, decisions, key } = await setup(START + 90_000);
    await loop.tick(key);
    clock.advance(30_000);
    await loop.tick(key);
    expect(decisions).toEqual([0, 30_000]);
    clock.advance(60_000);
    await new Promise((r) => setImmediate(r));
    expect(decisions).toEqual([0, 30_000, 90_000]);
    // The plugin asks for nothing more: no further decision until the periodic tick.
    clock.advance(600_000);
    await new Promise((r) => setImmediate(r));
    expect(decisions).toEqual([0, 30_000, 90_000]);
    await loop.stop();
  });

  it('is cancelled when the loop stops', async () => {
    const { loop, key, pending } = await setup(START + 90_000);
    const before = pending();
    await loop.tick(key);
    expect(pending()).toBe(before + 1);
    await loop.stop();
    expect(pending()).toBe(0);
  });

  it('is ignored when not in the future', async () => {
    const { loop, clock, decisions, key } = await setup(START);
    await loop.tick(key);
    clock.advance(600_000);
    await new Promise((r) => setImmediate(r));
    expect(decisions).toEqual([0]);
    await loop.stop();
  });
});
