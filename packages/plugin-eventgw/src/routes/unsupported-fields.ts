import type { HTTPRoute } from './gateway-api-types.ts';

/** A field of a route the gateway does not implement: the route is refused with this, never half-applied. */
export interface UnsupportedField {
  /** JSON path of the field, e.g. `spec.rules[0].filters`. */
  readonly path: string;
  /** Why, for the route's `Accepted` condition. */
  readonly message: string;
}

/** Fields of `spec` the gateway implements. */
const SPEC_FIELDS = new Set(['parentRefs', 'hostnames', 'rules']);
/** Fields of a rule the gateway implements (`name` is informational). */
const RULE_FIELDS = new Set(['name', 'matches', 'backendRefs']);
/** Fields of a match the gateway implements. */
const MATCH_FIELDS = new Set(['path', 'headers']);
/** Fields of a backendRef the gateway implements. */
const BACKEND_FIELDS = new Set(['group', 'kind', 'name', 'namespace', 'port', 'weight']);
const PATH_TYPES = new Set(['PathPrefix', 'Exact']);

/** An empty list or object as the apiserver may keep it for an unset field. */
function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0);
}

function extraFields(obj: object, allowed: ReadonlySet<string>, at: string, what: string): UnsupportedField[] {
  return Object.entries(obj)
    .filter(([k, v]) => !allowed.has(k) && !isEmpty(v))
    .map(([k]) => ({ path: `${at}.${k}`, message: `${at}.${k}: ${what} field "${k}" is not supported by the Ebb gateway` }));
}

/**
 * Every field of `route` the gateway does not implement, in document order: anything outside hostnames, path
 * matches (PathPrefix, Exact), header matches (Exact) and weighted Service backendRefs: filters (of rules and of
 * backends), query parameter and method matches, regular expressions, timeouts, retries, session persistence,
 * and any field a later API version adds. Unknown fields are refused rather than ignored, so a route never routes
 * differently from what it says. Example: a rule with `filters: [{type: RequestHeaderModifier}]` ->
 * `spec.rules[0].filters`.
 */
export function unsupportedFields(route: HTTPRoute): UnsupportedField[] {
  const spec = route.spec ?? {};
  const out = extraFields(spec, SPEC_FIELDS, 'spec', 'route');
  (spec.rules ?? []).forEach((rule, r) => {
    const at = `spec.rules[${r}]`;
    out.push(...extraFields(rule, RULE_FIELDS, at, 'rule'));
    (rule.matches ?? []).forEach((match, m) => {
      const mat = `${at}.matches[${m}]`;
      out.push(...extraFields(match, MATCH_FIELDS, mat, 'match'));
      const pathType = match.path?.type ?? 'PathPrefix';
      if (!PATH_TYPES.has(pathType)) out.push({ path: `${mat}.path.type`, message: `${mat}.path.type: path match type "${pathType}" is not supported (allowed: PathPrefix, Exact)` });
      (match.headers ?? []).forEach((h, i) => {
        const type = h.type ?? 'Exact';
        if (type !== 'Exact') out.push({ path: `${mat}.headers[${i}].type`, message: `${mat}.headers[${i}].type: header match type "${type}" is not supported (allowed: Exact)` });
      });
    });
    (rule.backendRefs ?? []).forEach((b, i) => out.push(...extraFields(b, BACKEND_FIELDS, `${at}.backendRefs[${i}]`, 'backendRef')));
  });
  return out;
}
