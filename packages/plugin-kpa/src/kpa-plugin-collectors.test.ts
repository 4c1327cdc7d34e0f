import { ErrorCodes, isCollectorProvider, isEbbError } from '@ebb/core';
import { KubeConfig } from '@kubernetes/client-node';
import { describe, expect, it, vi } from 'vitest';
import { POD_SCRAPE_COLLECTOR_ID } from './collectors/pod-scrape-collector.ts';
import { PROMQL_COLLECTOR_ID } from './collectors/promql-collector.ts';
import { createKpaPlugin } from './kpa-plugin.ts';
import type { KpaOptions } from './kpa-options.ts';

const PROM = { url: 'http://127.0.0.1:9', queries: { concurrency: 'sum(in_flight{namespace="{{namespace}}",{{selector}}})' } };

describe('createKpaPlugin with collectors', () => {
  it('stays a pure plugin, usable without Kubernetes, when no collector is configured', () => {
    expect(isCollectorProvider(createKpaPlugin())).toBe(false);
    expect(isCollectorProvider(createKpaPlugin({ containerConcurrencyTargetDefault: 10 }))).toBe(false);
  });

  it.each([
    { name: 'pods: true', options: { pods: true }, ids: [POD_SCRAPE_COLLECTOR_ID] },
    { name: 'prometheus', options: { prometheus: PROM }, ids: [PROMQL_COLLECTOR_ID] },
    { name: 'both', options: { pods: { port: 8080 }, prometheus: PROM }, ids: [POD_SCRAPE_COLLECTOR_ID, PROMQL_COLLECTOR_ID] },
  ] as Array<{ name: string; options: KpaOptions; ids: string[] }>)('brings its collectors with $name, created once, on first request', ({ options, ids }) => {
    const kubeConfig = vi.fn(() => new KubeConfig());
    const plugin = createKpaPlugin({ ...options, kubeConfig });
    expect(kubeConfig).not.toHaveBeenCalled();
    if (!isCollectorProvider(plugin)) throw new Error('expected a collector provider');
    const collectors = plugin.collectors();
    expect(collectors.map((c) => c.id)).toEqual(ids);
    expect(collectors.every((c) => c.intervalMs === 1000 && c.provides.includes('concurrency') && c.provides.includes('rps'))).toBe(true);
    expect(plugin.collectors()).toBe(collectors);
    expect(kubeConfig).toHaveBeenCalledTimes(ids.includes(POD_SCRAPE_COLLECTOR_ID) ? 1 : 0);
  });

  it('makes the configured source the targets\' default, and reports a target asking for a source not configured', () => {
    const plugin = createKpaPlugin({ prometheus: PROM });
    const byDefault = plugin.config.parse({}, 'ebb.dev/kpa.');
    expect(byDefault.ok && byDefault.value.metricSource).toBe('prometheus');
    const pods = plugin.config.parse({ 'ebb.dev/kpa.metric-source': 'pods' }, 'ebb.dev/kpa.');
    expect(pods.ok ? [] : pods.issues.map((i) => i.message)).toEqual([
      'metric source pods is not configured in this scaler (pluginOptions.kpa.pods): ebb.dev/kpa.metric-source',
    ]);
  });

  it('fails at start-up with EBB_CONFIG_FILE_INVALID naming every bad option, decision and collectors alike', () => {
    let caught: unknown;
    try {
      createKpaPlugin({ maxScaleDownRate: 1, pods: { port: 0 }, prometheus: { url: 'nope' }, metricSource: 'external' });
    } catch (e) {
      caught = e;
    }
    expect(isEbbError(caught, ErrorCodes.CONFIG_FILE_INVALID)).toBe(true);
    const message = (caught as Error).message;
    expect(message).toContain('maxScaleDownRate = 1, must be greater than 1.0');
    expect(message).toContain('pluginOptions.kpa.pods.port: invalid value 0');
    expect(message).toContain('pluginOptions.kpa.prometheus.url: invalid value "nope"');
  });
});
