import { ANNOTATION_PREFIX, CORE_VERSION, isCollectorProvider } from '@ebb/core';
import { KubeConfig } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { createHpaPlugin, HPA_PLUGIN_ID } from './index.ts';
import { decisionInput, podsView } from './test-support/decision.ts';
import { NOW_MS, cpuPods, pod } from './test-support/pods.ts';

const prefix = `${ANNOTATION_PREFIX}${HPA_PLUGIN_ID}.`;

describe('createHpaPlugin', () => {
  const plugin = createHpaPlugin();

  it('declares its manifest', () => {
    expect(plugin.manifest).toMatchObject({ id: 'hpa', version: '0.1.0', coreVersion: '^0.1.0' });
    expect(CORE_VERSION).toMatch(/^0\.1\./);
  });

  it('asks for the pods snapshot', () => {
    const parsed = plugin.config.parse({}, prefix);
    expect(parsed.ok && plugin.metrics?.(parsed.value)).toEqual([{ metric: 'pods', retentionMs: 0 }]);
  });

  it('parses its annotations and decides from the snapshot', () => {
    const parsed = plugin.config.parse({ 'ebb.dev/hpa.cpu-utilization': '50', 'ebb.dev/hpa.behavior': 'scaleUp: {policies: [{type: Pods, value: 1, periodSeconds: 60}]}' }, prefix);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    const { recommendation, state } = plugin.recommend({ ...decisionInput({ pods: cpuPods(4, 900) }), config: parsed.value });
    expect(recommendation).toMatchObject({ kind: 'replicas', replicas: 5, reason: expect.stringContaining('limited to 5 (ScaleUpLimit)') });
    expect(state?.proposed).toEqual({ fromReplicas: 4, toReplicas: 5, timeMs: NOW_MS });
  });

  it("maps Knative's HPA class with a memory target", () => {
    const annotations = {
      'autoscaling.knative.dev/class': 'hpa.autoscaling.knative.dev',
      'autoscaling.knative.dev/metric': 'memory',
      'autoscaling.knative.dev/target': '256',
    };
    const parsed = plugin.config.parse(annotations, prefix);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    const pods = [pod('a'), pod('b')]; // 512Mi each
    const { recommendation } = plugin.recommend({ ...decisionInput({ pods }), config: parsed.value });
    expect(recommendation).toMatchObject({ kind: 'replicas', replicas: 4, reason: expect.stringContaining('memory average 512Mi above target 256Mi') });
  });

  it.each([
    { name: 'a custom snapshot name', options: { snapshotName: 'pod-metrics' }, snapshotName: 'pod-metrics', ageMs: 0, kind: 'replicas' },
    { name: 'the default name is not read when another is configured', options: { snapshotName: 'pod-metrics' }, snapshotName: 'pods', ageMs: 0, kind: 'no-data' },
    { name: 'a shorter age limit', options: { maxSnapshotAgeMs: 10_000 }, snapshotName: 'pods', ageMs: 11_000, kind: 'no-data' },
    { name: 'a longer age limit', options: { maxSnapshotAgeMs: 600_000 }, snapshotName: 'pods', ageMs: 300_000, kind: 'replicas' },
  ])('honours options: $name', ({ options, snapshotName, ageMs, kind }) => {
    const custom = createHpaPlugin(options);
    const input = { ...decisionInput({ current: 3, config: { cpuUtilization: 50 } }), metrics: podsView(cpuPods(3, 900), NOW_MS - ageMs, snapshotName) };
    expect(custom.recommend(input).recommendation.kind).toBe(kind);
    expect(custom.metrics?.(input.config)).toEqual([{ metric: options.snapshotName ?? 'pods', retentionMs: 0 }]);
  });
});

describe('createHpaPlugin with podMetrics', () => {
  // A KubeConfig that names a server nobody listens on: creating the collector makes no request.
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: 'c', server: 'https://127.0.0.1:1' }],
    users: [{ name: 'u' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });

  it('is pure without it: no collectors', () => {
    expect(isCollectorProvider(createHpaPlugin())).toBe(false);
  });

  it('brings the metrics.k8s.io and the custom metrics collectors, publishing under its snapshot names, created once and lazily', async () => {
    let calls = 0;
    const plugin = createHpaPlugin({ snapshotName: 'pod-metrics', customSnapshotName: 'custom', podMetrics: () => (calls++, { kubeConfig, intervalMs: 5_000 }) });
    expect(isCollectorProvider(plugin)).toBe(true);
    expect(calls).toBe(0);
    const [collector, custom, ...rest] = plugin.collectors();
    expect(rest).toEqual([]);
    expect(collector).toMatchObject({ id: 'metrics-k8s-io', provides: ['pod-metrics'], intervalMs: 5_000 });
    expect(custom).toMatchObject({ id: 'custom-metrics-k8s-io', provides: ['custom'], intervalMs: 5_000 });
    expect(plugin.collectors()[0]).toBe(collector);
    expect(calls).toBe(1);
    await collector?.close?.();
    await custom?.close?.();
  });

  it.each([
    ['no metrics', {}, ['pods']],
    ['only an External metric', { 'ebb.dev/hpa.metrics': '[{type: External, external: {metric: {name: q}, target: {type: Value, value: "5"}}}]' }, ['hpa-custom-metrics']],
    [
      'CPU and a Pods metric',
      { 'ebb.dev/hpa.cpu-utilization': '60', 'ebb.dev/hpa.metrics': '[{type: Pods, pods: {metric: {name: rps}, target: {type: AverageValue, averageValue: "5"}}}]' },
      ['pods', 'hpa-custom-metrics'],
    ],
  ])('asks for the snapshots its metrics need: %s', (_name, annotations, wanted) => {
    const plugin = createHpaPlugin();
    const parsed = plugin.config.parse(annotations, prefix);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    expect(plugin.metrics?.(parsed.value).map((n) => n.metric)).toEqual(wanted);
  });

  it.each([{ url: 'prometheus:9090' }, { url: 'ftp://p' }, { url: 'http://p:9090', timeoutMs: 0 }, 'http://p:9090'])('refuses prometheus %j with a coded error naming the option', (prometheus) => {
    expect(() => createHpaPlugin({ prometheus: prometheus as never })).toThrow(expect.objectContaining({ code: 'EBB_CONFIG_FILE_INVALID', message: expect.stringContaining('pluginOptions.hpa.prometheus') }));
  });

  it('refuses settings without a KubeConfig (as from a config file) with a coded error', () => {
    const plugin = createHpaPlugin({ podMetrics: { intervalMs: 5_000 } as never });
    expect(() => plugin.collectors()).toThrow(expect.objectContaining({ code: 'EBB_CONFIG_FILE_INVALID' }));
  });
});
