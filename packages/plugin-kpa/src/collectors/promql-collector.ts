import { Metrics, silentLogger, type Logger, type MetricCollector } from '@ebb/core';
import type { KpaConfigLookup } from './kpa-config-lookup.ts';
import { parallelLimit } from './parallel-limit.ts';
import { queryPromql } from './promql-client.ts';
import { resolvePromqlOptions, type PromqlOptions } from './promql-options.ts';
import { expandPromql } from './promql-template.ts';

/** Id of the PromQL collector. */
export const PROMQL_COLLECTOR_ID = 'kpa-prometheus';

/** Options of {@link createPromqlCollector}: the settings plus where target configs come from. */
export interface PromqlCollectorOptions extends PromqlOptions {
  /** Finds each target's KPA config (metric, source, own query); the plugin passes its own. */
  readonly configOf: KpaConfigLookup;
  readonly logger?: Logger;
}

/**
 * The PromQL collector: every interval, for each KPA target whose metric source is `prometheus`, run one instant
 * query against the Prometheus HTTP API — the target's own `ebb.dev/kpa.prometheus-query`, else the template
 * for its metric, filled for the target (see `expandPromql`) — and record the value as the target's
 * `concurrency` or `rps`. A vector is summed over its series.
 *
 * A failure is never a zero: an unreachable server, an error answer, a timeout or a non-numeric value records
 * nothing and gives the target a `MetricSink.fail`. An empty result (no series: the pods are gone, or have not
 * been scraped yet) records nothing either, like Knative at zero pods; write `... or vector(0)` to read it as 0.
 */
export function createPromqlCollector(options: PromqlCollectorOptions): MetricCollector {
  const { configOf, logger: givenLogger, ...settings } = options;
  const { value: s, problems } = resolvePromqlOptions(settings, 'PromQL options');
  if (problems.length) throw new TypeError(problems.join('; '));
  const logger = givenLogger ?? silentLogger;
  const limit = parallelLimit(s.maxParallelQueries);
  /** Targets whose last round failed, so a failure is logged once, not every second. */
  const failing = new Set<string>();

  return {
    id: PROMQL_COLLECTOR_ID,
    provides: [Metrics.concurrency, Metrics.rps],
    intervalMs: s.intervalMs,
    async collect(ctx) {
      const keys = new Set(ctx.targets.map((t) => t.key));
      for (const key of [...failing]) if (!keys.has(key)) failing.delete(key);
      const rounds = ctx.targets.map(async (target) => {
        const config = configOf(target);
        if (config?.metricSource !== 'prometheus') return;
        const metric = config.metric;
        const template = config.prometheusQuery ?? s.queries[metric];
        try {
          if (template === undefined) throw new Error(`no PromQL query for ${metric}: set pluginOptions.kpa.prometheus.queries.${metric} or ebb.dev/kpa.prometheus-query`);
          const query = expandPromql(template, target);
          const value = await limit(() => queryPromql({ url: s.url, timeoutMs: s.timeoutMs }, query, ctx.signal));
          if (failing.delete(target.key)) logger.info('PromQL query recovered', { collector: PROMQL_COLLECTOR_ID, target: target.key, metric });
          if (value !== undefined) ctx.sink.record(target.key, metric, value, ctx.nowMs);
        } catch (error) {
          ctx.sink.fail(target.key, metric, error);
          if (!failing.has(target.key)) logger.warn('PromQL query failed', { collector: PROMQL_COLLECTOR_ID, target: target.key, metric, error: (error as Error).message });
          failing.add(target.key);
        }
      });
      await Promise.all(rounds);
    },
  };
}
