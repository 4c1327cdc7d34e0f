import { describe, expect, it } from 'vitest';
import { KNATIVE_DEFAULTS } from './kpa-options.ts';
import { createKpaConfigSchema } from './kpa-schema.ts';
import { EXTERNAL_METRICS_ONLY, type KpaMetricSources } from './metric-source.ts';

const PREFIX = 'ebb.dev/kpa.';
const BOTH: KpaMetricSources = { defaultSource: 'pods', available: ['pods', 'prometheus', 'external'], prometheusTemplates: ['concurrency'] };

describe('metric source of a target (ebb.dev/kpa.metric-source)', () => {
  it.each([
    { name: 'default without collectors', sources: EXTERNAL_METRICS_ONLY, annotations: {}, source: 'external', query: undefined },
    { name: 'default of the scaler', sources: BOTH, annotations: {}, source: 'pods', query: undefined },
    { name: 'chosen by the target', sources: BOTH, annotations: { [`${PREFIX}metric-source`]: 'external' }, source: 'external', query: undefined },
    { name: 'prometheus with the template', sources: BOTH, annotations: { [`${PREFIX}metric-source`]: 'prometheus' }, source: 'prometheus', query: undefined },
    {
      name: 'prometheus with its own query for rps (no template)',
      sources: BOTH,
      annotations: { [`${PREFIX}metric-source`]: 'prometheus', [`${PREFIX}metric`]: 'rps', [`${PREFIX}prometheus-query`]: 'sum(rate(x[1m]))' },
      source: 'prometheus',
      query: 'sum(rate(x[1m]))',
    },
    {
      name: 'a source the scaler lacks, on a class the KPA does not serve (not checked, as Knative)',
      sources: EXTERNAL_METRICS_ONLY,
      annotations: { [`${PREFIX}metric-source`]: 'pods', 'autoscaling.knative.dev/class': 'hpa.autoscaling.knative.dev' },
      source: 'pods',
      query: undefined,
    },
  ] as Array<{ name: string; sources: KpaMetricSources; annotations: Record<string, string>; source: string; query: string | undefined }>)('$name', ({ sources, annotations, source, query }) => {
    const parsed = createKpaConfigSchema(KNATIVE_DEFAULTS, sources).parse(annotations, PREFIX);
    expect(parsed.ok && { source: parsed.value.metricSource, query: parsed.value.prometheusQuery }).toEqual({ source, query });
  });

  it.each([
    {
      name: 'a source this scaler does not run',
      sources: EXTERNAL_METRICS_ONLY,
      annotations: { [`${PREFIX}metric-source`]: 'pods' },
      issue: { code: 'invalid_combination', key: `${PREFIX}metric-source`, message: `metric source pods is not configured in this scaler (pluginOptions.kpa.pods): ${PREFIX}metric-source`, allowed: 'external' },
    },
    {
      name: 'prometheus without a query for the metric',
      sources: BOTH,
      annotations: { [`${PREFIX}metric-source`]: 'prometheus', 'autoscaling.knative.dev/metric': 'rps' },
      issue: {
        code: 'invalid_combination',
        key: `${PREFIX}prometheus-query`,
        message: `no PromQL query for metric rps: the scaler has no template for it (pluginOptions.kpa.prometheus.queries.rps), so the target must set one: ${PREFIX}prometheus-query, ${PREFIX}metric-source, autoscaling.knative.dev/metric`,
        allowed: 'a PromQL expression',
      },
    },
    {
      name: 'an unknown source',
      sources: BOTH,
      annotations: { [`${PREFIX}metric-source`]: 'gateway' },
      issue: expect.objectContaining({ code: 'invalid_value', key: `${PREFIX}metric-source`, value: 'gateway' }),
    },
  ] as Array<{ name: string; sources: KpaMetricSources; annotations: Record<string, string>; issue: unknown }>)('reports $name', ({ sources, annotations, issue }) => {
    const parsed = createKpaConfigSchema(KNATIVE_DEFAULTS, sources).parse(annotations, PREFIX);
    expect(parsed.ok ? [] : parsed.issues).toEqual([issue]);
  });
});
