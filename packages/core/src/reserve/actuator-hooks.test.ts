import { describe, expect, it } from 'vitest';
import { ManualClock } from '../contracts/clock.ts';
import type { Actuator, ReconcileResult, ScaleTarget, TargetEvent, TargetSource, TargetStatus } from '../contracts/cluster.ts';
import { CORE_VERSION } from '../version.ts';
import { defineConfig, field } from '../config/define-config.ts';
import { scalingConfigSchema } from '../config/scaling-schema.ts';
import type { PolicyPlugin } from '../contracts/plugin.ts';
import { targetKey } from '../contracts/target.ts';
import { ControlLoop } from '../loop/control-loop.ts';
import { combine } from '../scaling/combine.ts';
import { MetricStore } from '../metrics/metric-store.ts';
import { RESERVE_ANNOTATION_KEYS } from './reserve-config.ts';

/** Recommends `ebb.dev/fixed.replicas`. */
const fixed: PolicyPlugin<{ readonly replicas: number }, undefined> = {
  manifest: { id: 'fixed', version: '1.0.0', coreVersion: `^${CORE_VERSION}`, description: 'Fixed count.' },
  config: defineConfig({ replicas: field<number>({ key: 'replicas', type: { kind: 'int', min: 0 }, default: 1, description: 'Replicas.' }) }),
  recommend: ({ config }) => ({ recommendation: { kind: 'replicas', replicas: config.replicas, reason: `fixed at ${config.replicas}` } }),
};

function setup(fixedReplicas: number, spec: number) {
  const ref = { namespace: 'ns', name: 'web' };
  let target: ScaleTarget = {
    ref,
    key: targetKey(ref),
    uid: 'u',
    resourceVersion: '1',
    labels: {},
    annotations: { 'ebb.dev/policies': 'fixed', 'ebb.dev/fixed.replicas': String(fixedReplicas), 'ebb.dev/reserve': 'true', 'ebb.dev/scale-to-zero-grace-period': '6s' },
    selector: { app: 'web' },
    specReplicas: spec,
    readyReplicas: spec,
    observed: true,
  };
  const calls: string[] = [];
  const statuses: TargetStatus[] = [];
  const holds = { next: undefined as string | undefined };
  const source: TargetSource = {
    list: () => [target],
    get: () => target,
    subscribe: (_l: (e: TargetEvent, t: ScaleTarget) => void) => () => undefined,
    start: async () => void calls.push('source.start'),
    stop: async () => void calls.push('source.stop'),
  };
  const actuator: Actuator = {
    start: async () => void calls.push('actuator.start'),
    stop: async () => void calls.push('actuator.stop'),
    reconcile: async (t, desired): Promise<ReconcileResult> => {
      calls.push(`reconcile spec=${t.specReplicas} desired=${desired}`);
      return holds.next === undefined ? {} : { hold: holds.next };
    },
    scale: async (t, replicas) => {
      calls.push(`scale ${replicas}`);
      target = { ...t, specReplicas: replicas, readyReplicas: replicas, resourceVersion: String(Number(t.resourceVersion) + 1) };
    },
  };
  const loop = new ControlLoop({
    clock: new ManualClock(),
    source,
    actuator,
    events: { event: async () => undefined },
    status: { write: async (_t, s) => void statuses.push(s) },
    plugins: new Map([['fixed', fixed as PolicyPlugin<unknown, unknown>]]),
    scalingSchema: scalingConfigSchema,
    combine,
    store: new MetricStore(),
    extraKeys: RESERVE_ANNOTATION_KEYS,
  });
  // Known to the loop without starting its scheduler: ticks are run by hand.
  loop.registry.upsert(target);
  return { loop, calls, statuses, holds };
}

describe('the loop and the optional actuator hooks', () => {
  it('starts the actuator before the watch and stops it after', async () => {
    const { loop, calls } = setup(1, 1);
    await loop.start();
    await loop.stop();
    expect(calls.filter((c) => !c.startsWith('reconcile'))).toEqual(['actuator.start', 'source.start', 'source.stop', 'actuator.stop']);
  });

  it('reconciles on every tick, also when nothing is to be scaled, with the desired count', async () => {
    const { loop, calls } = setup(2, 2);
    await loop.tick('ns/web');
    await loop.tick('ns/web');
    expect(calls).toEqual(['reconcile spec=2 desired=2', 'reconcile spec=2 desired=2']);
  });

  it('a hold keeps the target as it is (status says so); without one the loop scales', async () => {
    const { loop, calls, statuses, holds } = setup(3, 1);
    holds.next = 'waiting for something';
    await loop.tick('ns/web');
    await loop.tick('ns/web');
    expect(calls).toEqual(['reconcile spec=1 desired=3', 'reconcile spec=1 desired=3']);
    expect(statuses.at(-1)).toMatchObject({ desired: 3, current: 1 });
    holds.next = undefined;
    await loop.tick('ns/web');
    expect(calls.slice(2)).toEqual(['reconcile spec=1 desired=3', 'scale 3']);
    expect(statuses.at(-1)).toMatchObject({ desired: 3, current: 3 });
  });

  it('knows the reserve keys through extraKeys (no unknown-key problem)', () => {
    expect(setup(1, 1).loop.explain('ns/web')).toMatchObject({ desired: 1 });
  });
});
