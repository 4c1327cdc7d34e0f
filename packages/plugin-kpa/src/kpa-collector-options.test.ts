import { describe, expect, it } from 'vitest';
import { POD_SCRAPE_DEFAULTS } from './collectors/pod-scrape-options.ts';
import { resolveKpaCollectorOptions } from './kpa-collector-options.ts';
import type { KpaOptions } from './kpa-options.ts';

const PROM = { url: 'http://prometheus.monitoring:9090', queries: { concurrency: 'sum(x{namespace="{{namespace}}"})' } };

describe('resolveKpaCollectorOptions', () => {
  it.each([
    { name: 'nothing: no collector, every target external', options: {}, available: ['external'], defaultSource: 'external', templates: [] },
    { name: 'pods: true', options: { pods: true }, available: ['pods', 'external'], defaultSource: 'pods', templates: [] },
    { name: 'prometheus only', options: { prometheus: PROM }, available: ['prometheus', 'external'], defaultSource: 'prometheus', templates: ['concurrency'] },
    { name: 'both: pods first', options: { pods: {}, prometheus: PROM }, available: ['pods', 'prometheus', 'external'], defaultSource: 'pods', templates: ['concurrency'] },
    { name: 'both, prometheus by default', options: { pods: {}, prometheus: PROM, metricSource: 'prometheus' }, available: ['pods', 'prometheus', 'external'], defaultSource: 'prometheus', templates: ['concurrency'] },
    { name: 'pods, external by default', options: { pods: {}, metricSource: 'external' }, available: ['pods', 'external'], defaultSource: 'external', templates: [] },
    { name: 'both switched off', options: { pods: false, prometheus: false }, available: ['external'], defaultSource: 'external', templates: [] },
  ] as Array<{ name: string; options: KpaOptions; available: string[]; defaultSource: string; templates: string[] }>)('$name', ({ options, available, defaultSource, templates }) => {
    const { value, problems } = resolveKpaCollectorOptions(options);
    expect(problems).toEqual([]);
    expect(value.sources).toEqual({ available, defaultSource, prometheusTemplates: templates });
  });

  it('applies the pod-scraping defaults (Knative queue-proxy) and keeps the settings given', () => {
    expect(resolveKpaCollectorOptions({ pods: true }).value.pods).toEqual(POD_SCRAPE_DEFAULTS);
    const pods = resolveKpaCollectorOptions({ pods: { port: 8080, inFlightMetric: 'http_in_flight', requestsMetric: 'http_requests_total', requestsMetricType: 'counter' } }).value.pods;
    expect(pods).toEqual({ ...POD_SCRAPE_DEFAULTS, port: 8080, inFlightMetric: 'http_in_flight', requestsMetric: 'http_requests_total', requestsMetricType: 'counter' });
    expect(POD_SCRAPE_DEFAULTS).toMatchObject({ port: 9090, path: '/metrics', inFlightMetric: 'queue_average_concurrent_requests', requestsMetric: 'queue_requests_per_second' });
  });

  it.each([
    { name: 'pods not a mapping', options: { pods: 'yes' }, problem: 'pluginOptions.kpa.pods: expected a mapping of pod-scraping settings (or true for the defaults), got "yes"' },
    { name: 'a pod port out of range', options: { pods: { port: 70_000 } }, problem: 'pluginOptions.kpa.pods.port: invalid value 70000: expected an integer 1..65535' },
    { name: 'a metric name with a dash', options: { pods: { inFlightMetric: 'in-flight' } }, problem: 'pluginOptions.kpa.pods.inFlightMetric: invalid value "in-flight": expected a Prometheus metric name' },
    { name: 'an unknown requests type', options: { pods: { requestsMetricType: 'gauge' } }, problem: 'pluginOptions.kpa.pods.requestsMetricType: invalid value "gauge": expected one of per-second, counter' },
    { name: 'a typo in a pod setting', options: { pods: { prot: 1 } }, problem: 'pluginOptions.kpa.pods.prot: unknown option; expected one of port, path' },
    { name: 'a rate interval below the cadence', options: { pods: { intervalMs: 5000, maxRateIntervalMs: 2000 } }, problem: 'maxRateIntervalMs: 2000 is shorter than intervalMs 5000' },
    { name: 'prometheus without url', options: { prometheus: { queries: {} } }, problem: 'pluginOptions.kpa.prometheus.url: invalid value undefined: expected the base URL of a Prometheus server' },
    { name: 'prometheus url with a query string', options: { prometheus: { url: 'http://p:9090/?x=1' } }, problem: 'pluginOptions.kpa.prometheus.url: invalid value "http://p:9090/?x=1"' },
    { name: 'a query for an unknown metric', options: { prometheus: { url: 'http://p:9090', queries: { cpu: 'x' } } }, problem: 'pluginOptions.kpa.prometheus.queries.cpu: unknown metric; expected concurrency or rps' },
    { name: 'an empty query', options: { prometheus: { url: 'http://p:9090', queries: { rps: ' ' } } }, problem: 'pluginOptions.kpa.prometheus.queries.rps: invalid value " ": expected a non-empty PromQL expression' },
    { name: 'a default source without its collector', options: { metricSource: 'pods' }, problem: 'pluginOptions.kpa.metricSource: pods needs pluginOptions.kpa.pods; configured sources: external' },
    { name: 'an unknown default source', options: { metricSource: 'gateway' }, problem: 'pluginOptions.kpa.metricSource: invalid value "gateway": expected one of pods, prometheus, external' },
    { name: 'a kubeConfig from a config file', options: { kubeConfig: '/root/.kube/config' }, problem: 'pluginOptions.kpa.kubeConfig: expected a KubeConfig or a function returning one' },
  ])('reports $name', ({ options, problem }) => {
    const { problems } = resolveKpaCollectorOptions(options as unknown as KpaOptions);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(problem);
  });
});
