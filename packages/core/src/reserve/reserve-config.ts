import { ANNOTATION_PREFIX, type ConfigIssue, type ParseResult } from '../contracts/config.ts';
import { defineConfig, field } from '../config/define-config.ts';
import { unknownKeys } from '../config/unknown-keys.ts';
import { ALIYUN_PREFIX, ALIYUN_RESERVE_PREFIX, aliyunReserveSchema, aliyunShape } from './aliyun-reserve.ts';
import { annotationMapField, labelMapField, resourcesField, tolerationsField, type ReserveResources, type ReserveToleration } from './shape-fields.ts';

/**
 * What the reserve's pods look like, compared with the target's: each part that is set replaces the target's
 * (resources of every container, node selector, tolerations); pod annotations and labels are added on top.
 */
export interface ReserveShape {
  readonly resources?: ReserveResources;
  readonly nodeSelector?: Readonly<Record<string, string>>;
  readonly tolerations?: readonly ReserveToleration[];
  /** Added to the template's annotations (these win on the same key). */
  readonly podAnnotations: Readonly<Record<string, string>>;
  /** Added to the template's labels (set only by the Alibaba instance type, see `aliyun-reserve.ts`). */
  readonly podLabels: Readonly<Record<string, string>>;
}

/** A target's reserve settings. */
export interface ReserveConfig {
  /** Keep a reserve instead of going to zero. */
  readonly enabled: boolean;
  /** Pods of the reserve (>= 1). */
  readonly replicas: number;
  /** How long the reserve may take to become Ready after it was asked for pods before it is reported, in ms. */
  readonly readyTimeoutMs: number;
  readonly shape: ReserveShape;
}

/** Most reserve pods one target may ask for. */
export const MAX_RESERVE_REPLICAS = 100;

/**
 * The reserve's annotations under `ebb.dev/` (the loop's unknown-key check must know them: pass
 * {@link RESERVE_ANNOTATION_KEYS} as the loop's `extraKeys`).
 */
export const reserveConfigSchema = defineConfig({
  enabled: field({
    key: 'reserve',
    type: { kind: 'bool' },
    default: false,
    description: 'Keep a cheap reserve Deployment `<name>-reserve` instead of going to zero, and swap back when demand returns.',
  }),
  replicas: field({
    key: 'reserve.replicas',
    aliases: [`${ALIYUN_PREFIX}reserve-instance-replicas`],
    type: { kind: 'int', min: 1, max: MAX_RESERVE_REPLICAS },
    default: 1,
    description: 'Pods of the reserve; all of them must be Ready before the target goes to zero.',
  }),
  readyTimeoutMs: field({
    key: 'reserve.ready-timeout',
    type: { kind: 'duration', minMs: 1000, maxMs: 3_600_000, wholeSeconds: true },
    default: 120_000,
    description: 'How long the reserve may take to become Ready once asked for pods; after that a Warning Event says why, and the target stays up.',
  }),
  resources: field<ReserveResources | undefined>({
    key: 'reserve.resources',
    type: resourcesField,
    default: undefined,
    description: 'YAML `requests`/`limits` maps of quantities; replaces the resources of every container of the reserve pods.',
  }),
  nodeSelector: field<Readonly<Record<string, string>> | undefined>({
    key: 'reserve.node-selector',
    type: labelMapField,
    default: undefined,
    description: "YAML map of node labels; replaces the target's node selector in the reserve pods (e.g. a burstable instance type).",
  }),
  tolerations: field<readonly ReserveToleration[] | undefined>({
    key: 'reserve.tolerations',
    type: tolerationsField,
    default: undefined,
    description: "YAML list of tolerations; replaces the target's tolerations in the reserve pods.",
  }),
  podAnnotations: field<Readonly<Record<string, string>>>({
    key: 'reserve.pod-annotations',
    type: annotationMapField,
    default: {},
    description: "YAML map of annotations added to the reserve pods (e.g. a virtual-node provider's instance-type annotation).",
  }),
});

/** Every `ebb.dev/` key the reserve reads: pass them as the control loop's `extraKeys`. */
export const RESERVE_ANNOTATION_KEYS: readonly string[] = reserveConfigSchema.keys(ANNOTATION_PREFIX).filter((k) => k.startsWith(ANNOTATION_PREFIX));

const SHAPE_HINT = `set the reserve's shape with ${ANNOTATION_PREFIX}reserve.resources, .node-selector, .tolerations or .pod-annotations`;

/** Prefixes under which a key no reserve setting reads is reported (a typo would otherwise be ignored). */
const RESERVE_PREFIXES = [`${ANNOTATION_PREFIX}reserve.`, `${ANNOTATION_PREFIX}reserve-`, ALIYUN_RESERVE_PREFIX];

/**
 * Parses a target's reserve settings: the `ebb.dev/reserve*` keys, with Alibaba's
 * `knative.aliyun.com/reserve-instance*` annotations understood too (see `aliyun-reserve.ts`; an Ebb key wins over
 * its Alibaba counterpart). Every problem is reported at once, including keys under those prefixes that nothing
 * reads.
 */
export function parseReserveConfig(annotations: Readonly<Record<string, string>>): ParseResult<ReserveConfig> {
  const issues: ConfigIssue[] = [];
  const ebb = reserveConfigSchema.parse(annotations, ANNOTATION_PREFIX);
  const aliyun = aliyunReserveSchema.parse(annotations, ALIYUN_PREFIX);
  if (!ebb.ok) issues.push(...ebb.issues);
  if (!aliyun.ok) issues.push(...aliyun.issues);
  const known = [...reserveConfigSchema.keys(ANNOTATION_PREFIX), ...aliyunReserveSchema.keys(ALIYUN_PREFIX)];
  for (const i of unknownKeys(annotations, known, RESERVE_PREFIXES)) {
    // Without a plausible typo, say what to use instead of an Alibaba key Ebb does not map.
    const unmapped = i.key.startsWith(ALIYUN_PREFIX) && i.allowed === undefined;
    issues.push(unmapped ? { ...i, message: `unknown annotation ${i.key}: Ebb does not read it; ${SHAPE_HINT}` } : i);
  }
  if (issues.length || !ebb.ok || !aliyun.ok) return { ok: false, issues };
  const e = ebb.value;
  const a = aliyun.value;
  const enabled = annotations[`${ANNOTATION_PREFIX}reserve`] !== undefined ? e.enabled : a.enabled === 'enable' || a.enabled === 'true';
  const fromAliyun = aliyunShape(annotations, a);
  const shape: ReserveShape = {
    ...(e.resources ? { resources: e.resources } : {}),
    ...(e.nodeSelector ? { nodeSelector: e.nodeSelector } : {}),
    ...(e.tolerations ? { tolerations: e.tolerations } : {}),
    podAnnotations: { ...fromAliyun.podAnnotations, ...e.podAnnotations },
    podLabels: fromAliyun.podLabels,
  };
  return { ok: true, value: { enabled, replicas: e.replicas, readyTimeoutMs: e.readyTimeoutMs, shape } };
}
