import type { HpaBehaviorSpec, HpaScalingPolicy, HpaScalingRulesSpec, ScalingPolicyType, SelectPolicy } from './behavior.ts';
import { quantityText, quantityToNumber } from './quantity.ts';

/** Reports one problem: a sentence naming the field path and value, and what is allowed. */
export type IssueReporter = (message: string, allowed?: string) => void;

/** Largest stabilization window the API accepts, in seconds. */
export const MAX_STABILIZATION_WINDOW_SECONDS = 3600;
/** Largest policy period the API accepts, in seconds. */
export const MAX_POLICY_PERIOD_SECONDS = 1800;

const SELECT_POLICIES: readonly SelectPolicy[] = ['Max', 'Min', 'Disabled'];
const POLICY_TYPES: readonly ScalingPolicyType[] = ['Pods', 'Percent'];
const RULE_KEYS = ['stabilizationWindowSeconds', 'selectPolicy', 'policies', 'tolerance'];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function show(v: unknown): string {
  return typeof v === 'string' ? `"${v}"` : JSON.stringify(v) ?? String(v);
}

function checkKeys(obj: Record<string, unknown>, allowed: readonly string[], path: string, issue: IssueReporter): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) issue(`${path}${key} is not a field of ${path ? path.slice(0, -1) : 'behavior'}`, allowed.join(', '));
  }
}

/** An integer in [min, max], or undefined after reporting why not. */
function integer(value: unknown, path: string, min: number, max: number, issue: IssueReporter): number | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    issue(`${path} must be an integer from ${min} to ${max}, got ${show(value)}`, `${min} <= ${path} <= ${max}`);
    return undefined;
  }
  return value;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], path: string, issue: IssueReporter): T | undefined {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  issue(`${path} must be one of ${allowed.join(', ')}, got ${show(value)}`, allowed.join(' | '));
  return undefined;
}

function parsePolicy(doc: unknown, path: string, issue: IssueReporter): HpaScalingPolicy | undefined {
  if (!isRecord(doc)) {
    issue(`${path} must be a mapping with type, value and periodSeconds, got ${show(doc)}`);
    return undefined;
  }
  checkKeys(doc, ['type', 'value', 'periodSeconds'], `${path}.`, issue);
  const type = oneOf(doc['type'], POLICY_TYPES, `${path}.type`, issue);
  const value = integer(doc['value'], `${path}.value`, 1, Number.MAX_SAFE_INTEGER, issue);
  const periodSeconds = integer(doc['periodSeconds'], `${path}.periodSeconds`, 1, MAX_POLICY_PERIOD_SECONDS, issue);
  if (type === undefined || value === undefined || periodSeconds === undefined) return undefined;
  return { type, value, periodSeconds };
}

function parseTolerance(doc: unknown, path: string, issue: IssueReporter): number | undefined {
  const text = quantityText(doc);
  const value = text === undefined ? undefined : quantityToNumber(text);
  if (value === undefined || value < 0) {
    issue(`${path} must be a quantity >= 0 such as 0.05 or 50m, got ${show(doc)}`, `${path} >= 0`);
    return undefined;
  }
  return value;
}

function parseRules(doc: unknown, path: string, issue: IssueReporter): HpaScalingRulesSpec | undefined {
  if (doc === null || doc === undefined) return undefined;
  if (!isRecord(doc)) {
    issue(`${path} must be a mapping of ${RULE_KEYS.join(', ')}, got ${show(doc)}`);
    return undefined;
  }
  checkKeys(doc, RULE_KEYS, `${path}.`, issue);
  const rules: { -readonly [K in keyof HpaScalingRulesSpec]: HpaScalingRulesSpec[K] } = {};
  if (doc['stabilizationWindowSeconds'] !== undefined) {
    rules.stabilizationWindowSeconds = integer(doc['stabilizationWindowSeconds'], `${path}.stabilizationWindowSeconds`, 0, MAX_STABILIZATION_WINDOW_SECONDS, issue);
  }
  if (doc['selectPolicy'] !== undefined) rules.selectPolicy = oneOf(doc['selectPolicy'], SELECT_POLICIES, `${path}.selectPolicy`, issue);
  if (doc['policies'] !== undefined) {
    const policies = doc['policies'];
    if (!Array.isArray(policies) || policies.length === 0) {
      issue(`${path}.policies must list at least one policy, got ${show(policies)}`);
    } else {
      const parsed = policies.map((p, i) => parsePolicy(p, `${path}.policies[${i}]`, issue));
      if (parsed.every((p) => p !== undefined)) rules.policies = parsed;
    }
  }
  if (doc['tolerance'] !== undefined) rules.tolerance = parseTolerance(doc['tolerance'], `${path}.tolerance`, issue);
  return rules;
}

/**
 * Checks a YAML document in the shape of autoscaling/v2 `HorizontalPodAutoscalerBehavior` and returns it
 * typed. Every problem is reported through `issue` (unknown fields, types, ranges: windows 0..3600 s, policy
 * values > 0, periods 1..1800 s, at least one policy when `policies` is given, tolerance >= 0). Returns
 * undefined when the document has problems.
 *
 * ```yaml
 * scaleDown:
 *   stabilizationWindowSeconds: 120
 *   policies: [{ type: Pods, value: 2, periodSeconds: 60 }]
 * scaleUp:
 *   selectPolicy: Max
 * ```
 */
export function parseBehavior(doc: unknown, issue: IssueReporter): HpaBehaviorSpec | undefined {
  if (!isRecord(doc)) {
    issue(`behavior must be a YAML mapping with scaleUp and/or scaleDown, got ${show(doc)}`, 'scaleUp, scaleDown');
    return undefined;
  }
  let problems = 0;
  const count: IssueReporter = (message, allowed) => {
    problems++;
    issue(message, allowed);
  };
  checkKeys(doc, ['scaleUp', 'scaleDown'], '', count);
  const scaleUp = parseRules(doc['scaleUp'], 'scaleUp', count);
  const scaleDown = parseRules(doc['scaleDown'], 'scaleDown', count);
  if (problems > 0) return undefined;
  return { ...(scaleUp ? { scaleUp } : {}), ...(scaleDown ? { scaleDown } : {}) };
}
