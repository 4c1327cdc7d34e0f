import { defineConfig, type ConfigSchema } from '@ebb/core';
import { resolveKpaConfig, type KpaConfig } from './kpa-config.ts';
import { kpaFieldDefaults, kpaFields, withWrittenTargets } from './kpa-fields.ts';
import { normaliseKpaConfig, validateKpaConfig } from './kpa-normalise.ts';
import type { KpaDefaults } from './kpa-options.ts';
import { EXTERNAL_METRICS_ONLY, validateMetricSource, type KpaMetricSources } from './metric-source.ts';

/**
 * The KPA's annotation schema, built in Knative's steps: defaults (from `defaults`, the cluster-wide options),
 * annotations on top, normalise (percent -> fraction), cross-field validation, then resolution into a
 * {@link KpaConfig} (target per pod, panic window). `fields` and `keys` are the declarations, for docs and tools.
 * `sources` are the metric collectors this scaler runs: a target asking for another is reported.
 * @throws TypeError when a cluster default does not fit its field (prevented by `resolveKpaDefaults`).
 */
export function createKpaConfigSchema(defaults: KpaDefaults, sources: KpaMetricSources = EXTERNAL_METRICS_ONLY): ConfigSchema<KpaConfig> {
  const fields = kpaFields(defaults, sources);
  const annotations = defineConfig(fields, {
    normalise: normaliseKpaConfig,
    validate: (value) => [...validateKpaConfig(value), ...validateMetricSource(value, sources)],
  });
  return {
    fields: annotations.fields,
    keys: (prefix) => annotations.keys(prefix),
    parse(values, prefix) {
      const result = annotations.parse(values, prefix);
      if (!result.ok) return result;
      return { ok: true, value: resolveKpaConfig(withWrittenTargets(result.value, fields, values, prefix), defaults) };
    },
  };
}

/** The {@link KpaConfig} of a target without any KPA annotation, under `defaults` (and `sources`). */
export function defaultKpaConfig(defaults: KpaDefaults, sources: KpaMetricSources = EXTERNAL_METRICS_ONLY): KpaConfig {
  const fields = kpaFields(defaults, sources);
  return resolveKpaConfig(withWrittenTargets(normaliseKpaConfig(kpaFieldDefaults(fields)), fields, {}, ''), defaults);
}
