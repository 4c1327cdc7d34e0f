import type { ConfigIssue, ConfigSchema, ParseResult } from '../contracts/config.ts';
import { ANNOTATION_PREFIX, KNATIVE_PREFIX, SELECTION_LABEL, STATUS_ANNOTATION } from '../contracts/config.ts';
import type { PolicyPlugin } from '../contracts/plugin.ts';
import type { ScalingConfig } from '../contracts/scaling.ts';

/** One enabled plugin with its parsed configuration. */
export interface EnabledPlugin {
  readonly plugin: PolicyPlugin<unknown, unknown>;
  readonly config: unknown;
}

/** A target's whole parsed configuration. */
export interface TargetConfig {
  readonly scaling: ScalingConfig;
  /** Enabled plugins in `policies` order. */
  readonly plugins: readonly EnabledPlugin[];
}

/** Knative's `autoscaling.knative.dev/class` values and the plugin each selects. */
const KNATIVE_CLASSES: Readonly<Record<string, string>> = {
  'kpa.autoscaling.knative.dev': 'kpa',
  'hpa.autoscaling.knative.dev': 'hpa',
};

/** Annotations under the Ebb prefix that are not configuration (written by Ebb, or read by other parts). */
const RESERVED_KEYS = new Set([STATUS_ANNOTATION, SELECTION_LABEL]);

/**
 * Parses a target's annotations: the common scaling keys, then each enabled plugin's keys under
 * `ebb.dev/<id>.`, then unknown `ebb.dev/*` keys. Every issue is reported at once. When `ebb.dev/policies` is
 * absent and Knative's `class` annotation names `hpa.autoscaling.knative.dev`, the HPA plugin is selected, as
 * Knative would.
 *
 * @param extraKeys further Ebb keys that other parts of the scaler read (e.g. the reserve's), never "unknown"
 */
export function parseTargetConfig(
  annotations: Readonly<Record<string, string>>,
  plugins: ReadonlyMap<string, PolicyPlugin<unknown, unknown>>,
  scalingSchema: ConfigSchema<ScalingConfig>,
  extraKeys: readonly string[] = [],
): ParseResult<TargetConfig> {
  const issues: ConfigIssue[] = [];
  const effective = withKnativeClass(annotations);
  const scaling = scalingSchema.parse(effective, ANNOTATION_PREFIX);
  if (!scaling.ok) issues.push(...scaling.issues);
  const enabled: EnabledPlugin[] = [];
  if (scaling.ok) {
    for (const id of scaling.value.policies) {
      const plugin = plugins.get(id);
      if (!plugin) {
        issues.push({
          code: 'invalid_value',
          key: `${ANNOTATION_PREFIX}policies`,
          value: annotations[`${ANNOTATION_PREFIX}policies`] ?? scaling.value.policies.join(','),
          message: `unknown policy "${id}" in ${ANNOTATION_PREFIX}policies: expected a comma-separated list of ${[...plugins.keys()].sort().join(', ')}`,
          allowed: [...plugins.keys()].sort().join(', '),
        });
        continue;
      }
      const parsed = plugin.config.parse(effective, `${ANNOTATION_PREFIX}${id}.`);
      if (parsed.ok) enabled.push({ plugin, config: parsed.value });
      else issues.push(...parsed.issues);
    }
  }
  const known = new Set<string>([...RESERVED_KEYS, ...extraKeys, ...scalingSchema.keys(ANNOTATION_PREFIX)]);
  for (const [id, p] of plugins) for (const k of p.config.keys(`${ANNOTATION_PREFIX}${id}.`)) known.add(k);
  for (const key of Object.keys(annotations)) {
    if (!key.startsWith(ANNOTATION_PREFIX) || known.has(key)) continue;
    issues.push({
      code: 'unknown_key',
      key,
      value: annotations[key],
      message: `unknown annotation ${key}${suggest(key, known)}`,
    });
  }
  if (issues.length || !scaling.ok) return { ok: false, issues };
  return { ok: true, value: { scaling: scaling.value, plugins: enabled } };
}

function withKnativeClass(annotations: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  const cls = annotations[`${KNATIVE_PREFIX}class`];
  const id = cls ? KNATIVE_CLASSES[cls] : undefined;
  if (!id || annotations[`${ANNOTATION_PREFIX}policies`] !== undefined) return annotations;
  return { ...annotations, [`${ANNOTATION_PREFIX}policies`]: id };
}

/** ` (did you mean ebb.dev/x?)` when a known key is within edit distance 3. */
function suggest(key: string, known: ReadonlySet<string>): string {
  let best: string | undefined;
  let bestD = 4;
  for (const k of known) {
    const d = editDistance(key, k);
    if (d < bestD) [best, bestD] = [k, d];
  }
  return best ? ` (did you mean ${best}?)` : '';
}

/** Levenshtein distance, O(|a|·|b|). Example: editDistance('kpa.targt', 'kpa.target') = 1. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}
