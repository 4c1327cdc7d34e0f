import { AppsV1Api, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { createTestDeployment, useTestNamespace, waitFor } from '@ebb/testing';
import { KubeActuator, STATUS_ANNOTATION, toScaleTarget, type CollectContext, type MetricCollector } from '@ebb/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { annotate, createTarget, eventsOf, memoryLogger, specReplicas, startTestScaler, waitForReplicas } from '../test-support/cluster-helpers.ts';
import { TEST_LOAD_METRIC } from '../test-support/test-plugins.ts';
import type { RunningScaler } from '../runtime/scaler.ts';
import { explainCommand } from '../commands/explain.ts';

const ns = useTestNamespace('scaler-run');

/** A collector of `test-load` whose value and health the test sets; one sample per second, as the store expects. */
const load = { value: 0, failing: false, rounds: 0 };
const loadCollector: MetricCollector = {
  id: 'test-load',
  provides: [TEST_LOAD_METRIC],
  intervalMs: 1000,
  async collect(ctx: CollectContext) {
    load.rounds++;
    if (load.failing) throw new Error('scrape refused');
    for (const t of ctx.targets) ctx.sink.record(t.key, TEST_LOAD_METRIC, load.value, ctx.nowMs);
  },
};

let scaler: RunningScaler;
const logger = memoryLogger();
beforeAll(async () => {
  scaler = await startTestScaler(ns.kubeConfig, ns.name, { collectors: [loadCollector], logger });
});
afterAll(async () => {
  await scaler?.stop();
});

describe('ebb run against the real apiserver', () => {
  it('discovers targets by label, scales them with an Event naming the plugin, and writes the status annotation', async () => {
    const kc = ns.kubeConfig;
    await createTarget(kc, ns.name, 'labelled', { 'ebb.dev/policies': 'fixed', 'ebb.dev/fixed.replicas': '3' });
    await createTestDeployment(kc, { namespace: ns.name, name: 'unlabelled', replicas: 1, annotations: { 'ebb.dev/policies': 'fixed', 'ebb.dev/fixed.replicas': '3' } });
    await waitForReplicas(kc, ns.name, 'labelled', 3);
    const events = await waitFor(async () => {
      const e = await eventsOf(kc, ns.name, 'labelled', 'SuccessfulRescale');
      return e.length ? e : undefined;
    });
    expect(events[0]!.type).toBe('Normal');
    expect(events[0]!.message).toBe('New size: 3; reason: fixed: fixed at 3');
    const status = await waitFor(async () => {
      const d = await kc.makeApiClient(AppsV1Api).readNamespacedDeployment({ name: 'labelled', namespace: ns.name });
      const raw = d.metadata?.annotations?.[STATUS_ANNOTATION];
      return raw && JSON.parse(raw).current === 3 ? JSON.parse(raw) : undefined;
    });
    expect(status).toMatchObject({ desired: 3, current: 3, winner: 'fixed', recommendations: { fixed: { kind: 'replicas', replicas: 3, reason: 'fixed at 3' } } });
    expect(status.lastScaleTime).toMatch(/^\d{4}-\d\d-\d\dT/);
    // The unlabelled Deployment is never touched.
    expect(await specReplicas(kc, ns.name, 'unlabelled')).toBe(1);
    expect(await eventsOf(kc, ns.name, 'unlabelled', 'SuccessfulRescale')).toHaveLength(0);
  });

  it('re-parses edited annotations without a restart', async () => {
    const kc = ns.kubeConfig;
    await createTarget(kc, ns.name, 'edited', { 'ebb.dev/policies': 'fixed', 'ebb.dev/fixed.replicas': '2' });
    await waitForReplicas(kc, ns.name, 'edited', 2);
    await annotate(kc, ns.name, 'edited', { 'ebb.dev/fixed.replicas': '4' });
    await waitForReplicas(kc, ns.name, 'edited', 4);
    await annotate(kc, ns.name, 'edited', { 'ebb.dev/max-replicas': '3' });
    await waitForReplicas(kc, ns.name, 'edited', 3);
  });

  it('leaves a target with invalid config alone, reports it, and recovers when fixed', async () => {
    const kc = ns.kubeConfig;
    await createTarget(kc, ns.name, 'broken', { 'ebb.dev/policies': 'fixed', 'ebb.dev/fixed.replicas': 'many', 'ebb.dev/min-replicas': '-1' }, 2);
    const warning = await waitFor(async () => (await eventsOf(kc, ns.name, 'broken', 'InvalidConfig'))[0]);
    expect(warning.type).toBe('Warning');
    expect(warning.message).toContain('ebb.dev/fixed.replicas');
    expect(warning.message).toContain('"many"');
    expect(warning.message).toContain('ebb.dev/min-replicas');
    expect(logger.records.some((r) => r.msg === 'invalid config; target left as it is' && r.fields?.['target'] === `${ns.name}/broken`)).toBe(true);
    const metrics = await (await fetch(`http://127.0.0.1:${scaler.port}/metrics`)).text();
    expect(metrics).toContain(`ebb_config_errors{namespace="${ns.name}",name="broken"} 2`);
    // Several ticks later the replicas are untouched.
    await new Promise((r) => setTimeout(r, 2000));
    expect(await specReplicas(kc, ns.name, 'broken')).toBe(2);
    await annotate(kc, ns.name, 'broken', { 'ebb.dev/fixed.replicas': '5', 'ebb.dev/min-replicas': null });
    await waitForReplicas(kc, ns.name, 'broken', 5);
    const after = await (await fetch(`http://127.0.0.1:${scaler.port}/metrics`)).text();
    expect(after).toContain(`ebb_config_errors{namespace="${ns.name}",name="broken"} 0`);
  });

  it('isolates a plugin that throws: its target holds, other targets go on', async () => {
    const kc = ns.kubeConfig;
    await createTarget(kc, ns.name, 'throws', { 'ebb.dev/policies': 'fixed,throwing', 'ebb.dev/fixed.replicas': '4' }, 1);
    await createTarget(kc, ns.name, 'healthy', { 'ebb.dev/policies': 'fixed', 'ebb.dev/fixed.replicas': '4' }, 1);
    await waitForReplicas(kc, ns.name, 'healthy', 4);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await specReplicas(kc, ns.name, 'throws')).toBe(1);
    const explained = scaler.explain(`${ns.name}/throws`);
    expect(explained).toMatchObject({ desired: 1, hold: 'holding: plugin throwing failed', failed: [{ pluginId: 'throwing', error: 'deliberate failure' }] });
    const metrics = await (await fetch(`http://127.0.0.1:${scaler.port}/metrics`)).text();
    expect(metrics).toMatch(/ebb_plugin_errors_total\{plugin="throwing"\} [1-9]/);
  });

  it('never scales down because a collector fails (a failure is not a zero)', async () => {
    const kc = ns.kubeConfig;
    load.value = 4;
    load.failing = false;
    await createTarget(kc, ns.name, 'loaded', { 'ebb.dev/policies': 'load', 'ebb.dev/load.per-pod': '1' }, 1);
    await waitForReplicas(kc, ns.name, 'loaded', 4);
    load.failing = true;
    const failedFrom = load.rounds;
    // 12 s > the plugin's 10 s window: every sample ages out, the plugin has no data, and the target must hold.
    const deadline = Date.now() + 12_000;
    while (Date.now() < deadline) {
      expect(await specReplicas(kc, ns.name, 'loaded')).toBe(4);
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(load.rounds - failedFrom).toBeGreaterThanOrEqual(10);
    expect(scaler.explain(`${ns.name}/loaded`)).toMatchObject({ desired: 4, recommendations: [{ pluginId: 'load', recommendation: { kind: 'no-data' } }] });
    const metrics = await (await fetch(`http://127.0.0.1:${scaler.port}/metrics`)).text();
    expect(metrics).toMatch(/ebb_collector_errors_total\{collector="test-load"\} [1-9]/);
    // Healthy again with a lower load: now it may scale down.
    load.failing = false;
    load.value = 2;
    await waitForReplicas(kc, ns.name, 'loaded', 2, 30_000);
  });

  it('wins against a concurrent writer: conflicts are retried with a fresh read', async () => {
    const kc = ns.kubeConfig;
    await createTestDeployment(kc, { namespace: ns.name, name: 'contended', replicas: 1 });
    const apps = kc.makeApiClient(AppsV1Api);
    const stale = toScaleTarget(await apps.readNamespacedDeployment({ name: 'contended', namespace: ns.name }));
    // Another writer changes the object after our read: our write carries a stale resourceVersion -> 409.
    await apps.patchNamespacedDeploymentScale({ name: 'contended', namespace: ns.name, body: { spec: { replicas: 2 } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    await new KubeActuator(kc).scale(stale, 6);
    expect(await specReplicas(kc, ns.name, 'contended')).toBe(6);
    // And a writer that keeps fighting the loop loses: the loop converges on its decision.
    await createTarget(kc, ns.name, 'fought', { 'ebb.dev/policies': 'fixed', 'ebb.dev/fixed.replicas': '3' }, 1);
    await waitForReplicas(kc, ns.name, 'fought', 3);
    for (let i = 0; i < 5; i++) {
      await apps.patchNamespacedDeploymentScale({ name: 'fought', namespace: ns.name, body: { spec: { replicas: 7 } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
      await new Promise((r) => setTimeout(r, 150));
    }
    await waitForReplicas(kc, ns.name, 'fought', 3);
  });

  it('explains a live target: each plugin, the combination, the bounds and what happens next', async () => {
    let text = '';
    const code = await explainCommand(`${ns.name}/edited`, { scalerUrl: `http://127.0.0.1:${scaler.port}` }, (s) => (text += s));
    expect(code).toBe(0);
    expect(text).toContain(`Target ${ns.name}/edited: spec.replicas 3, ready`);
    expect(text).toMatch(/fixed\s+wants 4\s+fixed at 4/);
    expect(text).toContain('Combined: max of recommendations -> fixed (fixed at 4)');
    expect(text).toContain('Bounds: min 0, max 3;');
    expect(text).toContain('Applied: max-replicas');
    expect(text).toContain('Next: no change (3 replicas)');
    let broken = '';
    await annotate(ns.kubeConfig, ns.name, 'edited', { 'ebb.dev/fixed.replicas': 'x' });
    await waitFor(async () => {
      broken = '';
      await explainCommand(`${ns.name}/edited`, { scalerUrl: `http://127.0.0.1:${scaler.port}` }, (s) => (broken += s));
      return broken.includes('INVALID');
    });
    expect(broken).toContain('ebb.dev/fixed.replicas');
    let bad = '';
    expect(await explainCommand('no-slash', { scalerUrl: `http://127.0.0.1:${scaler.port}` }, (s) => (bad += s))).toBe(2);
    expect(bad).toContain('expected NAMESPACE/NAME');
  });

  it('wakes a target at zero when a gateway reports a waiting request (POST /poke), before any metric shows it', async () => {
    const kc = ns.kubeConfig;
    load.failing = false;
    await createTarget(kc, ns.name, 'sleeping', { 'ebb.dev/policies': 'fixed', 'ebb.dev/fixed.replicas': '0', 'ebb.dev/initial-replicas': '0' }, 0);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await specReplicas(kc, ns.name, 'sleeping')).toBe(0);
    const base = `http://127.0.0.1:${scaler.port}`;
    expect((await fetch(`${base}/poke?target=${ns.name}/nope`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${base}/poke?target=bad`, { method: 'POST' })).status).toBe(400);
    const res = await fetch(`${base}/poke?target=${ns.name}/sleeping`, { method: 'POST' });
    expect(res.status).toBe(202);
    await waitForReplicas(kc, ns.name, 'sleeping', 1, 10_000);
    const events = await waitFor(async () => (await eventsOf(kc, ns.name, 'sleeping', 'SuccessfulRescale'))[0]);
    expect(events.message).toContain('a request is waiting at zero');
  });

  it('answers /healthz, /readyz and /explain', async () => {
    const base = `http://127.0.0.1:${scaler.port}`;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    const unknown = await fetch(`${base}/explain?target=${ns.name}/nope`);
    expect(unknown.status).toBe(404);
    const known = await (await fetch(`${base}/explain?target=${ns.name}/labelled`)).json();
    expect(known).toMatchObject({ target: `${ns.name}/labelled`, desired: 3, winner: { pluginId: 'fixed' } });
  });
});
