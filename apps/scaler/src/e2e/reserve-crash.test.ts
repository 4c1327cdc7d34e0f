import { fileURLToPath } from 'node:url';
import { createTestDeployment, testKubeconfigPath, useTestNamespace } from '@ebb/testing';
import { SELECTION_LABEL } from '@ebb/core';
import { afterAll, describe, expect, it, onTestFailed } from 'vitest';
import { annotate } from '../test-support/cluster-helpers.ts';
import { SwapFleet, type Trickle } from '../test-support/reserve-helpers.ts';
import { spawnScaler, type ScalerProcess } from '../test-support/scaler-process.ts';

const ns = useTestNamespace('reserve-crash');
const PLUGIN_MODULE = fileURLToPath(new URL('../test-support/fixed-plugin-module.ts', import.meta.url));
const running: ScalerProcess[] = [];
afterAll(async () => {
  await Promise.all(running.map((p) => p.kill('SIGKILL')));
});

/** On failure, shows what each scaler process logged. */
function showLogsOnFailure(): void {
  onTestFailed(() => {
    running.forEach((p, i) => console.log(`--- ebb run #${i}\n${p.logs.join('')}`));
  });
}

let spawned = 0;
/** An `ebb run` process for the test namespace, ticking every 500 ms. */
async function startScaler(): Promise<ScalerProcess> {
  const p = await spawnScaler({
    kubeconfig: testKubeconfigPath(),
    config: { namespaces: [ns.name], tickInterval: '500ms', plugins: [PLUGIN_MODULE] },
    name: `reserve-crash-${spawned++}`,
  });
  running.push(p);
  return p;
}

/**
 * A target whose pods (and so its reserve's) take 3 s to be Ready: every step of the swap then lasts long enough
 * to kill the scaler right after it, before the next one can happen.
 */
async function createTarget(name: string, fixed: number): Promise<SwapFleet> {
  await createTestDeployment(ns.kubeConfig, {
    namespace: ns.name,
    name,
    replicas: 1,
    readinessDelay: '3s',
    labels: { [SELECTION_LABEL]: 'true' },
    annotations: { 'ebb.dev/policies': 'fixed', 'ebb.dev/fixed.replicas': String(fixed), 'ebb.dev/reserve': 'true', 'ebb.dev/scale-to-zero-grace-period': '6s' },
  });
  const fleet = new SwapFleet(ns.kubeConfig, ns.name, name, { app: name });
  await fleet.start();
  await fleet.until((f) => f.servingPods().length === 1, `${name} Ready`);
  fleet.arm();
  return fleet;
}

/** Waits until `pred` holds, then asserts it keeps holding for `ms`. */
async function settlesOn(fleet: SwapFleet, pred: (f: SwapFleet) => boolean, description: string, ms = 4_000): Promise<void> {
  await fleet.until(pred, description, 60_000);
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    expect(pred(fleet), `${description}, still`).toBe(true);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function finish(fleet: SwapFleet, trickle: Trickle): Promise<void> {
  await trickle.stop();
  fleet.disarm();
  await fleet.stop();
}

describe('ebb run killed (SIGKILL) at each step of the swap and started again', () => {
  it('going to zero: converges to the reserve, never without a Ready pod, never both at zero', async () => {
    showLogsOnFailure();
    const fleet = await createTarget('down', 1);
    const trickle = fleet.trickle();
    try {
      let scaler = await startScaler();
      await annotate(ns.kubeConfig, ns.name, 'down', { 'ebb.dev/fixed.replicas': '0' });

      // Step 1: the reserve is created and not Ready yet.
      await fleet.until((f) => f.counts('down-reserve') !== undefined, 'the reserve created', 60_000);
      await scaler.kill('SIGKILL');
      expect(fleet.counts('down')?.spec).toBe(1);
      // Step 2, reached with no scaler running: the reserve is Ready, the target still up.
      await fleet.until((f) => f.serving(true) === 1, 'the reserve Ready');
      expect(fleet.counts('down')?.spec).toBe(1);

      // A new scaler starts with a fresh grace period (the loop's memory is gone): it may hand the target back to
      // standard pods meanwhile, but it goes to zero only through a Ready reserve.
      scaler = await startScaler();
      // Step 3: the target is scaled to zero.
      await fleet.until((f) => f.counts('down')?.spec === 0, 'the target at zero', 60_000);
      await scaler.kill('SIGKILL');
      expect(fleet.counts('down-reserve')?.spec).toBe(1);
      expect(fleet.serving(true)).toBe(1);

      scaler = await startScaler();
      await settlesOn(fleet, (f) => f.counts('down')?.spec === 0 && f.counts('down-reserve')?.spec === 1 && f.serving(true) === 1, 'idle on the reserve');
      await scaler.kill('SIGKILL');
    } finally {
      await finish(fleet, trickle);
    }
    expect(fleet.violations).toEqual([]);
    expect(fleet.minReady).toBe(1);
    expect(trickle.failures()).toEqual([]);
    expect(trickle.servedBy(true)).toBeGreaterThan(0);
  }, 240_000);

  it('coming back: converges to standard pods, never without a Ready pod, never both at zero', async () => {
    showLogsOnFailure();
    const fleet = await createTarget('up', 0);
    const trickle = fleet.trickle();
    try {
      let scaler = await startScaler();
      await fleet.until((f) => f.counts('up')?.spec === 0 && f.serving(true) === 1, 'idle on the reserve', 60_000);
      await annotate(ns.kubeConfig, ns.name, 'up', { 'ebb.dev/fixed.replicas': '2' });

      // Step 1: the target is scaled up and its pods are not Ready yet.
      await fleet.until((f) => f.counts('up')?.spec === 2, 'the target scaled up');
      await scaler.kill('SIGKILL');
      expect(fleet.counts('up-reserve')?.spec).toBe(1);
      // Step 2, reached with no scaler running: the target's pods are Ready, the reserve still up.
      await fleet.until((f) => f.serving(false) === 2, 'the target Ready');
      expect(fleet.counts('up-reserve')?.spec).toBe(1);

      scaler = await startScaler();
      // Step 3: the reserve is scaled to zero.
      await fleet.until((f) => f.counts('up-reserve')?.spec === 0, 'the reserve at zero', 60_000);
      await scaler.kill('SIGKILL');

      scaler = await startScaler();
      await settlesOn(fleet, (f) => f.counts('up')?.spec === 2 && f.serving(false) === 2 && f.counts('up-reserve')?.spec === 0 && f.serving(true) === 0, 'standard pods only');
      await scaler.kill('SIGKILL');
    } finally {
      await finish(fleet, trickle);
    }
    expect(fleet.violations).toEqual([]);
    expect(fleet.minReady).toBe(1);
    expect(trickle.failures()).toEqual([]);
    expect(trickle.servedBy(false)).toBeGreaterThan(0);
  }, 240_000);
});
