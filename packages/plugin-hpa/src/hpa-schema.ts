import { defineConfig, type ConfigSchema } from '@ebb/core';
import { hpaFields, type HpaConfig } from './hpa-fields.ts';
import { normaliseHpaConfig, validateHpaConfig } from './knative-mapping.ts';

/**
 * The HPA plugin's config schema: {@link hpaFields} parsed under `ebb.dev/hpa.` (and Knative's aliases), then
 * the Knative HPA-class mapping ({@link normaliseHpaConfig}), then the cross-field checks
 * ({@link validateHpaConfig}).
 */
export function createHpaConfigSchema(): ConfigSchema<HpaConfig> {
  return defineConfig(hpaFields, { normalise: normaliseHpaConfig, validate: validateHpaConfig });
}
