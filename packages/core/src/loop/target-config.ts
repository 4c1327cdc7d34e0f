import type { ConfigIssue, ConfigSchema, ParseResult } from '../contracts/config.ts';
import { ANNOTATION_PREFIX, KNATIVE_PREFIX } from '../contracts/config.ts';
import { unknownKeys } from '../config/unknown-keys.ts';
import { parseFieldValue } from '../config/field-parser.ts';
import type { ParseCache } from './parse-cache.ts';
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

/**
 * Parses a target's annotations: the common scaling keys, then each enabled plugin's keys under
 * `ebb.dev/<id>.`, then unknown `ebb.dev/*` keys. Every issue is reported at once. When `ebb.dev/policies` is
 * absent and Knative's `class` annotation names `hpa.autoscaling.knative.dev`, the HPA plugin is selected, as
 * Knative would.
 *
 * @param extraKeys further Ebb keys that other parts of the scaler read (e.g. the reserve's), never "unknown"
 * @param cache shares parse results between targets with identical annotations
 */
export function parseTargetConfig(
  annotations: Readonly<Record<string, string>>,
  plugins: ReadonlyMap<string, PolicyPlugin<unknown, unknown>>,
  scalingSchema: ConfigSchema<ScalingConfig>,
  extraKeys: readonly string[] = [],
  cache?: ParseCache,
): ParseResult<TargetConfig> {
  const parse = <T>(schema: ConfigSchema<T>, annotations: Readonly<Record<string, string>>, prefix: string) =>
    cache ? cache.parse(schema, annotations, prefix) : schema.parse(annotations, prefix);
  const issues: ConfigIssue[] = [];
  const effective = withKnativeClass(annotations);
  const scaling = parse(scalingSchema, effective, ANNOTATION_PREFIX);
  if (!scaling.ok) issues.push(...scaling.issues);
  const enabled: EnabledPlugin[] = [];
  for (const id of enabledPolicies(effective, scalingSchema, scaling)) {
    const plugin = plugins.get(id);
    if (!plugin) {
      issues.push({
        code: 'invalid_value',
        key: `${ANNOTATION_PREFIX}policies`,
        value: annotations[`${ANNOTATION_PREFIX}policies`] ?? id,
        message: `unknown policy "${id}" in ${ANNOTATION_PREFIX}policies: expected a comma-separated list of ${[...plugins.keys()].sort().join(', ')}`,
        allowed: [...plugins.keys()].sort().join(', '),
      });
      continue;
    }
    const parsed = parse(plugin.config, effective, `${ANNOTATION_PREFIX}${id}.`);
    if (parsed.ok) enabled.push({ plugin, config: parsed.value });
    else issues.push(...parsed.issues.filter((issue) => !reportedValue(issues, issue)));
  }
  const known: string[] = [...extraKeys, ...scalingSchema.keys(ANNOTATION_PREFIX)];
  for (const [id, p] of plugins) known.push(...p.config.keys(`${ANNOTATION_PREFIX}${id}.`));
  issues.push(...unknownKeys(annotations, known));
  if (issues.length || !scaling.ok) return { ok: false, issues };
  return { ok: true, value: { scaling: scaling.value, plugins: enabled } };
}

/**
 * The enabled policy ids: from the parsed scaling config, or, when another scaling key is invalid, from the
 * policies key alone, so that the plugins' own problems are reported in the same pass.
 */
function enabledPolicies(annotations: Readonly<Record<string, string>>, schema: ConfigSchema<ScalingConfig>, scaling: ParseResult<ScalingConfig>): readonly string[] {
  if (scaling.ok) return scaling.value.policies;
  const spec = schema.fields['policies'];
  if (!spec) return [];
  const key = `${ANNOTATION_PREFIX}${spec.key}`;
  const raw = annotations[key];
  if (raw === undefined) return spec.default as readonly string[];
  const parsed = parseFieldValue(spec.type, key, raw);
  return parsed.ok ? (parsed.value as readonly string[]) : [];
}

/**
 * True when `issue` is about a written value that already has a problem: a Knative key read by several plugins
 * (`autoscaling.knative.dev/window: 1s` is the KPA's stable window and the HPA class's stabilization window) is
 * one problem, reported by the first parser. Cross-field issues (no value) are always kept.
 */
function reportedValue(issues: readonly ConfigIssue[], issue: ConfigIssue): boolean {
  return issue.value !== undefined && issues.some((i) => i.key === issue.key && i.value === issue.value);
}

function withKnativeClass(annotations: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  const cls = annotations[`${KNATIVE_PREFIX}class`];
  const id = cls ? KNATIVE_CLASSES[cls] : undefined;
  if (!id || annotations[`${ANNOTATION_PREFIX}policies`] !== undefined) return annotations;
  return { ...annotations, [`${ANNOTATION_PREFIX}policies`]: id };
}
