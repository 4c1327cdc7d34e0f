import { ANNOTATION_PREFIX, type ConfigSchema, type TargetInfo } from '@ebb/core';
import type { KpaConfig } from '../kpa-config.ts';

/** The KPA plugin's id, also its annotation sub-namespace `ebb.dev/kpa.*`. */
export const KPA_PLUGIN_ID = 'kpa';

/** The KPA configuration of a target, for a collector: undefined when the KPA does not scale it. */
export type KpaConfigLookup = (target: TargetInfo) => KpaConfig | undefined;

/**
 * Reads a target's {@link KpaConfig} with the plugin's own `schema`, so a collector sees the same metric, source
 * and windows as the decision. Undefined when the target does not enable the `kpa` policy, its class is not the
 * KPA, or its annotations are invalid (core reports those and leaves the target alone). Results are cached per
 * annotations object: the scaler hands out a new one only when the Deployment changed.
 */
export function kpaConfigLookup(schema: ConfigSchema<KpaConfig>): KpaConfigLookup {
  const cache = new WeakMap<object, KpaConfig | null>();
  const prefix = `${ANNOTATION_PREFIX}${KPA_PLUGIN_ID}.`;
  return (target) => {
    if (!target.policies.includes(KPA_PLUGIN_ID)) return undefined;
    let config = cache.get(target.annotations);
    if (config === undefined) {
      const parsed = schema.parse(target.annotations, prefix);
      config = parsed.ok && parsed.value.selected ? parsed.value : null;
      cache.set(target.annotations, config);
    }
    return config ?? undefined;
  };
}
