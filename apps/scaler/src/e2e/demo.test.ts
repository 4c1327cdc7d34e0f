import { writeFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { AppsV1Api } from '@kubernetes/client-node';
import { useTestNamespace } from '@ebb/testing';
import { describe, expect, it } from 'vitest';
import { runDemo } from '../demo/run-demo.ts';
import { formatSummary } from '../demo/summary.ts';

const ns = useTestNamespace('demo');

describe('the demo, shortened, against the local cluster', () => {
  it('scales coffee up under load, idles on a reserve pod that serves a request without a cold start, returns to standard pods, then rolls coffee-v1 -> coffee-v2 under load', async () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (chunk: Buffer) => (text += chunk.toString()));
    const clients = 30;
    const summary = await runDemo({ kc: ns.kubeConfig, namespace: ns.name, clients, loadSeconds: 10, reservePauseMs: 500, out, tty: false, refreshMs: 250, versionClients: 20, rolloutSeconds: 12 });
    // EBB_DEMO_TEST_OUT=<file> keeps what the demo printed, for reading a failure.
    if (process.env['EBB_DEMO_TEST_OUT']) writeFileSync(process.env['EBB_DEMO_TEST_OUT'], `${text}\n${formatSummary(summary).join('\n')}\n`);

    // Every request answered; the load needed more than one pod and got them.
    expect(summary.errorSamples).toEqual([]);
    expect(summary.errors).toBe(0);
    expect(summary.peakDesired).toBeGreaterThan(1);
    expect(summary.peakPods).toBeGreaterThan(1);
    expect(summary.peakPods).toBeLessThanOrEqual(summary.peakDesired);
    expect(summary.firstScaleUpS).toBeDefined();
    expect(summary.timeToScaleS).toBeGreaterThanOrEqual(summary.firstScaleUpS ?? Infinity);
    expect(summary.panicSeen).toBe(true);
    expect(summary.winners['kpa']).toBeGreaterThan(0);
    // Each request spends 100 ms in its pod: no answer can be faster, and the figures are ordered.
    expect(summary.served).toBeGreaterThan(clients);
    expect(summary.p50Ms).toBeGreaterThanOrEqual(100);
    expect(summary.p99Ms).toBeGreaterThanOrEqual(summary.p50Ms);
    // A pod was Ready throughout (the reserve included), so no request waited for a cold start.
    expect(summary.coldStarts).toBe(0);

    // Idle -> reserve pod -> a new request served by it at once -> standard pods again.
    const reserve = summary.reserve;
    expect(reserve).toBeDefined();
    expect(reserve?.request).toMatchObject({ phase: 'reserve', status: 200, reserve: true, coldStartMs: undefined });
    expect(reserve?.request.pod).toMatch(/^coffee-reserve-/);
    expect(reserve?.servedByReserve).toBeGreaterThanOrEqual(1);
    expect(reserve?.idleAfterS).toBeGreaterThan(0);
    expect(reserve?.standardAfterS).toBeGreaterThan(0);

    const apps = ns.kubeConfig.makeApiClient(AppsV1Api);
    // coffee idles again during the versions part (no more requests on its host): back on its reserve pod.
    expect((await apps.readNamespacedDeployment({ name: 'coffee-reserve', namespace: ns.name })).spec?.replicas).toBeLessThanOrEqual(1);

    // Versions: the split moved 0 -> 100 % to v2 in steps, no request failed, v2 had Ready pods before any share,
    // and v1 went to zero once its share was gone.
    const v = summary.versions;
    expect(v).toBeDefined();
    expect(v?.requestsDuring).toBeGreaterThan(0);
    expect(v?.failedDuring).toBe(0);
    expect(v?.v2FinalWeight).toBe(100);
    expect(v?.v2Weights[0]).toBe(0);
    expect(v?.v2Weights.at(-1)).toBe(100);
    expect(v?.v2Weights.length).toBeGreaterThan(2);
    expect(v?.stepsSeen).toBeGreaterThan(1);
    expect(v?.v2ReadyBeforeTraffic).toBe(true);
    expect(v?.v2ColdStarts).toBe(0);
    expect(v?.servedBy['coffee-v1']).toBeGreaterThan(0);
    expect(v?.servedBy['coffee-v2']).toBeGreaterThan(0);
    expect(v?.peakTotalPods).toBeGreaterThanOrEqual(v?.podsBefore ?? Infinity);
    expect(v?.v1ZeroAfterS).toBeDefined();
    expect(v?.v1DesiredAtEnd).toBe(0);
    expect((await apps.readNamespacedDeployment({ name: 'coffee-v1', namespace: ns.name })).spec?.replicas).toBe(0);
    expect((await apps.readNamespacedDeployment({ name: 'coffee-v2', namespace: ns.name })).spec?.replicas).toBeGreaterThanOrEqual(1);

    // The plain (non-TTY) view: one line per update and the milestones, no cursor movement.
    expect(text).not.toContain('\x1b[');
    expect(text).toMatch(/\[t=\s*\d+s\] load +demand \d+ +desired \d+/);
    for (const milestone of [`load: ${clients} clients`, 'KPA entered panic mode', 'reserve Deployment coffee-reserve created', 'a new request: HTTP 200 from coffee-reserve-', 'standard pods again', 'rollout step 1: coffee-v1 99 % / coffee-v2 1 %', 'rollout complete in ']) {
      expect(text).toContain(milestone);
    }
    const printed = formatSummary(summary).join('\n');
    expect(printed).toContain(`peak pods       ${summary.peakPods} Ready`);
    expect(printed).toContain('cold starts     0');
    expect(printed).toMatch(/served by coffee-reserve-\S+ \(the reserve\) in \d+ ms with no cold start/);
    expect(text).toMatch(/coffee-v1 scaled \d+ -> 0/);
    expect(text).toMatch(/\| coffee-v1 \d+% \d+\/\d+ coffee-v2 \d+% \d+\/\d+ rollout step \d+/);
    expect(printed).toContain(`0 failed of ${v?.requestsDuring.toLocaleString('en-US')} requests during the rollout`);
  }, 360_000);
});
