import type { FieldType } from '../contracts/config.ts';

/**
 * YAML field types of the reserve's shape: resources, string maps (node selector, pod annotations) and
 * tolerations. Each checks the document the way the apiserver would check the field it ends up in, so a mistake
 * is reported on the target's annotation instead of failing later when the reserve Deployment is written.
 */

type Yaml = Extract<FieldType, { kind: 'yaml' }>;
type Issue = (message: string, allowed?: string) => void;

/** Requests and limits, applied to every container of the reserve's pods. Values are quantity strings. */
export interface ReserveResources {
  readonly requests?: Readonly<Record<string, string>>;
  readonly limits?: Readonly<Record<string, string>>;
}

/** A pod toleration (core/v1 `Toleration`). */
export interface ReserveToleration {
  readonly key?: string;
  readonly operator?: 'Exists' | 'Equal';
  readonly value?: string;
  readonly effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  /** Seconds the pod stays bound to a node with a matching NoExecute taint; only with effect NoExecute. */
  readonly tolerationSeconds?: number;
}

/** A Kubernetes quantity without sign: `250m`, `1`, `0.5`, `512Mi`, `1G`, `1e3`. */
const QUANTITY = /^(\d+(\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;
/** A qualified name (label or annotation key): an optional DNS-subdomain prefix and a name of at most 63. */
const QUALIFIED_NAME = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
/** A label value: empty, or at most 63 alphanumerics with `-`, `_`, `.` inside. */
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;
const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;
const OPERATORS = ['Exists', 'Equal'] as const;

function show(doc: unknown): string {
  return typeof doc === 'string' ? `"${doc}"` : JSON.stringify(doc) ?? String(doc);
}

function isRecord(doc: unknown): doc is Record<string, unknown> {
  return typeof doc === 'object' && doc !== null && !Array.isArray(doc);
}

/** A YAML scalar as the string Kubernetes wants (`zone: 1` arrives as the number 1); undefined otherwise. */
function scalarText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'boolean') return String(v);
  return undefined;
}

/** Checks a qualified name (label or annotation key, with an optional prefix of at most 253 characters). */
export function isQualifiedName(key: string): boolean {
  const slash = key.indexOf('/');
  return QUALIFIED_NAME.test(key) && (slash < 0 || slash <= 253);
}

function stringMap(doc: unknown, what: string, issue: Issue, checkValue?: (v: string) => boolean, valueRule?: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isRecord(doc)) {
    issue(`expected a YAML map of ${what}, got ${show(doc)}`, `a map of ${what}`);
    return out;
  }
  for (const [k, v] of Object.entries(doc)) {
    const text = scalarText(v);
    if (!isQualifiedName(k)) issue(`key "${k}" is not a valid qualified name`, 'keys like example.com/name or name (at most 63 characters: alphanumerics, -, _, .)');
    else if (text === undefined) issue(`value of "${k}" must be a string, got ${show(v)}`, 'string values');
    else if (checkValue && !checkValue(text)) issue(`value "${text}" of "${k}" is not allowed`, valueRule);
    else out[k] = text;
  }
  return out;
}

/** Label key -> value map (`ebb.dev/reserve.node-selector`). */
export const labelMapField: Yaml = {
  kind: 'yaml',
  parse: (doc, issue) => stringMap(doc, 'label keys to values', issue, (v) => LABEL_VALUE.test(v), 'label values: at most 63 alphanumerics, -, _, .'),
};

/** Annotation key -> value map (`ebb.dev/reserve.pod-annotations`). */
export const annotationMapField: Yaml = {
  kind: 'yaml',
  parse: (doc, issue) => stringMap(doc, 'annotation keys to values', issue),
};

function quantities(doc: unknown, section: string, issue: Issue): Record<string, string> | undefined {
  if (doc === undefined || doc === null) return undefined;
  if (!isRecord(doc)) {
    issue(`${section} must be a map of resource names to quantities, got ${show(doc)}`, `${section}: {cpu: 250m, memory: 256Mi}`);
    return undefined;
  }
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(doc)) {
    const text = scalarText(v);
    if (!isQualifiedName(name)) issue(`${section}: "${name}" is not a resource name`, 'cpu, memory, ephemeral-storage or a qualified name');
    else if (text === undefined || typeof v === 'boolean' || !QUANTITY.test(text)) {
      issue(`${section}.${name}: ${show(v)} is not a Kubernetes quantity`, 'a quantity such as 250m, 0.5, 1, 512Mi or 1G');
    } else out[name] = text;
  }
  return out;
}

/** `{requests, limits}` maps of quantities (`ebb.dev/reserve.resources`). */
export const resourcesField: Yaml = {
  kind: 'yaml',
  parse(doc, issue): ReserveResources {
    if (!isRecord(doc)) {
      issue(`expected a YAML map with requests and/or limits, got ${show(doc)}`, 'requests: {cpu: 250m, memory: 256Mi}; limits: {memory: 512Mi}');
      return {};
    }
    for (const k of Object.keys(doc)) if (k !== 'requests' && k !== 'limits') issue(`unknown section "${k}"`, 'requests, limits');
    const requests = quantities(doc['requests'], 'requests', issue);
    const limits = quantities(doc['limits'], 'limits', issue);
    return { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) };
  },
};

function toleration(doc: unknown, i: number, issue: Issue): ReserveToleration | undefined {
  const at = `tolerations[${i}]`;
  if (!isRecord(doc)) {
    issue(`${at} must be a map, got ${show(doc)}`, 'key, operator, value, effect, tolerationSeconds');
    return undefined;
  }
  const before = { problems: 0 };
  const bad: Issue = (m, a) => {
    before.problems++;
    issue(`${at}: ${m}`, a);
  };
  for (const k of Object.keys(doc)) if (!['key', 'operator', 'value', 'effect', 'tolerationSeconds'].includes(k)) bad(`unknown field "${k}"`, 'key, operator, value, effect, tolerationSeconds');
  const key = doc['key'] === undefined ? undefined : scalarText(doc['key']);
  const operator = doc['operator'] ?? 'Equal';
  const value = doc['value'] === undefined ? undefined : scalarText(doc['value']);
  const effect = doc['effect'];
  const seconds = doc['tolerationSeconds'];
  if (key !== undefined && key !== '' && !isQualifiedName(key)) bad(`key "${key}" is not a valid label key`, 'a label key such as example.com/dedicated');
  if (!OPERATORS.includes(operator as (typeof OPERATORS)[number])) bad(`operator ${show(operator)} is not allowed`, OPERATORS.join(', '));
  if (effect !== undefined && !EFFECTS.includes(effect as (typeof EFFECTS)[number])) bad(`effect ${show(effect)} is not allowed`, EFFECTS.join(', '));
  if (operator === 'Exists' && value !== undefined && value !== '') bad('value must be empty when operator is Exists', 'operator Exists without value');
  if ((key === undefined || key === '') && operator !== 'Exists') bad('an empty key requires operator Exists', 'operator Exists');
  if (value !== undefined && !LABEL_VALUE.test(value)) bad(`value "${value}" is not a valid label value`, 'at most 63 alphanumerics, -, _, .');
  if (seconds !== undefined && (!Number.isSafeInteger(seconds) || effect !== 'NoExecute')) {
    bad(`tolerationSeconds ${show(seconds)} needs an integer and effect NoExecute`, 'an integer with effect NoExecute');
  }
  if (before.problems) return undefined;
  return {
    ...(key ? { key } : {}),
    operator: operator as ReserveToleration['operator'] & string,
    ...(value ? { value } : {}),
    ...(effect ? { effect: effect as ReserveToleration['effect'] & string } : {}),
    ...(seconds !== undefined ? { tolerationSeconds: seconds as number } : {}),
  };
}

/** A YAML list of tolerations (`ebb.dev/reserve.tolerations`). */
export const tolerationsField: Yaml = {
  kind: 'yaml',
  parse(doc, issue): readonly ReserveToleration[] {
    if (!Array.isArray(doc)) {
      issue(`expected a YAML list of tolerations, got ${show(doc)}`, '- {key: example.com/burstable, operator: Exists, effect: NoSchedule}');
      return [];
    }
    return doc.flatMap((t, i) => toleration(t, i, issue) ?? []);
  },
};
