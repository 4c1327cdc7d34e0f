import type { IssueReporter } from './behavior-parse.ts';

const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const;
type Operator = (typeof OPERATORS)[number];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function show(v: unknown): string {
  return typeof v === 'string' ? `"${v}"` : (JSON.stringify(v) ?? String(v));
}

/** One requirement in the API's text form, with its key for sorting. */
interface Requirement {
  readonly key: string;
  readonly text: string;
}

function expression(doc: unknown, path: string, issue: IssueReporter): Requirement | undefined {
  if (!isRecord(doc) || typeof doc['key'] !== 'string' || doc['key'] === '') {
    issue(`${path} must be a mapping with key, operator and values, got ${show(doc)}`, 'key, operator, values');
    return undefined;
  }
  const key = doc['key'];
  const operator = doc['operator'];
  if (typeof operator !== 'string' || !(OPERATORS as readonly string[]).includes(operator)) {
    issue(`${path}.operator must be one of ${OPERATORS.join(', ')}, got ${show(operator)}`, OPERATORS.join(' | '));
    return undefined;
  }
  const values = doc['values'] ?? [];
  const op = operator as Operator;
  const needsValues = op === 'In' || op === 'NotIn';
  if (!Array.isArray(values) || !values.every((v) => typeof v === 'string') || needsValues !== values.length > 0) {
    issue(`${path}.values must be ${needsValues ? 'a non-empty list of strings' : 'empty'} for operator ${op}, got ${show(values)}`);
    return undefined;
  }
  const list = [...(values as string[])].sort().join(',');
  if (op === 'In') return { key, text: `${key} in (${list})` };
  if (op === 'NotIn') return { key, text: `${key} notin (${list})` };
  return { key, text: op === 'Exists' ? key : `!${key}` };
}

/**
 * A `metav1.LabelSelector` (`matchLabels` and `matchExpressions`) in the text form the metrics APIs take as
 * `labelSelector` / `metricLabelSelector`, requirements sorted by key like `labels.Selector.String()`.
 * Example: `{matchLabels: {queue: orders}, matchExpressions: [{key: env, operator: In, values: [prod, qa]}]}` ->
 * `env in (prod,qa),queue=orders`. Absent or empty: `''` (everything). Undefined after reporting a problem.
 */
export function labelSelectorText(doc: unknown, path: string, issue: IssueReporter): string | undefined {
  if (doc === undefined || doc === null) return '';
  if (!isRecord(doc)) {
    issue(`${path} must be a label selector with matchLabels and/or matchExpressions, got ${show(doc)}`);
    return undefined;
  }
  const unknown = Object.keys(doc).filter((k) => k !== 'matchLabels' && k !== 'matchExpressions');
  if (unknown.length > 0) {
    issue(`${path}.${unknown[0]} is not a field of a label selector`, 'matchLabels, matchExpressions');
    return undefined;
  }
  const requirements: Requirement[] = [];
  const labels = doc['matchLabels'] ?? {};
  if (!isRecord(labels) || !Object.values(labels).every((v) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) {
    issue(`${path}.matchLabels must map label names to values, got ${show(labels)}`);
    return undefined;
  }
  for (const [key, value] of Object.entries(labels)) requirements.push({ key, text: `${key}=${String(value)}` });
  const expressions = doc['matchExpressions'] ?? [];
  if (!Array.isArray(expressions)) {
    issue(`${path}.matchExpressions must be a list, got ${show(expressions)}`);
    return undefined;
  }
  let ok = true;
  expressions.forEach((e, i) => {
    const r = expression(e, `${path}.matchExpressions[${i}]`, issue);
    if (r) requirements.push(r);
    else ok = false;
  });
  if (!ok) return undefined;
  return requirements
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((r) => r.text)
    .join(',');
}
