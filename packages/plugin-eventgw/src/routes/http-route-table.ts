import type { IncomingHttpHeaders } from 'node:http';
import type { TargetKey } from '@ebb/core';
import { normaliseHost } from '../gateway/route-table.ts';
import type { CompiledMatch, CompiledRule } from './compile-routes.ts';
import { ANY_HOST, hostMatches, hostSpecificity } from './route-hostnames.ts';

/** Where a request goes: a target, or an answer of 500 (the rule's chosen backend does not resolve). */
export type RoutePick = { readonly kind: 'target'; readonly key: TargetKey } | { readonly kind: 'error'; readonly status: 500; readonly message: string };

/** A [0, 1) random source; injectable so that tests can fix the draw. */
export type RandomSource = () => number;

function pathMatches(m: CompiledMatch, path: string): boolean {
  if (m.pathType === 'Exact') return path === m.path;
  if (m.path === '/') return true;
  return path === m.path || (path.startsWith(m.path) && path.charCodeAt(m.path.length) === 47 /* / */);
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

interface Candidate {
  readonly rule: CompiledRule;
  readonly host: number;
  readonly match: CompiledMatch;
}

/**
 * Gateway API precedence between matching rules, most specific first: the more specific hostname (exact over
 * wildcard over any), an Exact path over a prefix, the longer prefix, more header matches, then the older route
 * (by namespace/name on a tie) and the earlier rule.
 */
function before(a: Candidate, b: Candidate): number {
  return (
    b.host - a.host ||
    (a.match.pathType === 'Exact' ? 0 : 1) - (b.match.pathType === 'Exact' ? 0 : 1) ||
    b.match.path.length - a.match.path.length ||
    b.match.headers.length - a.match.headers.length ||
    a.rule.routeRank - b.rule.routeRank ||
    a.rule.ruleIndex - b.rule.ruleIndex
  );
}

/**
 * The rules of accepted HTTPRoutes, for the data plane: which rule a request matches (host, path, headers) and
 * which of its weighted backends it goes to. Each request draws once: backend i of weights w gets it with
 * probability w[i] / sum(w), so 70/30 sends 7 of 10 requests to the first on average; a 0 weight gets none.
 */
export class HttpRouteTable {
  private rules: readonly CompiledRule[] = [];
  /** Rules by exact hostname; rules with a wildcard or any-host hostname, tried for every host. */
  private byHost = new Map<string, CompiledRule[]>();
  private wide: CompiledRule[] = [];
  private readonly random: RandomSource;

  constructor(random: RandomSource = Math.random) {
    this.random = random;
  }

  /** Replaces the rules. */
  set(rules: readonly CompiledRule[]): void {
    const byHost = new Map<string, CompiledRule[]>();
    const wide = new Set<CompiledRule>();
    for (const r of rules) {
      for (const h of r.hostnames) {
        if (h === ANY_HOST || h.startsWith('*.')) wide.add(r);
        else byHost.set(h, [...(byHost.get(h) ?? []), r]);
      }
    }
    this.rules = rules;
    this.byHost = byHost;
    this.wide = [...wide];
  }

  /** Whether any rule serves `host` (Host header, any case, port allowed): such a host is routed by HTTPRoutes. */
  claims(host: string): boolean {
    const name = normaliseHost(host);
    return this.byHost.has(name) || this.wide.some((r) => r.hostnames.some((h) => hostMatches(h, name)));
  }

  /**
   * The pick for a request, or undefined when no rule matches it. `path` may carry a query string. Example: rules
   * {host coffee.example.com, 70 x v1 + 30 x v2} and {host v2-coffee.example.com, v2} -> a request to
   * v2-coffee.example.com always goes to v2.
   */
  pick(host: string, path: string, headers: IncomingHttpHeaders): RoutePick | undefined {
    if (this.rules.length === 0) return undefined;
    const name = normaliseHost(host);
    const q = path.search(/[?#]/);
    const p = q === -1 ? path : path.slice(0, q);
    let best: Candidate | undefined;
    const exact = this.byHost.get(name);
    for (const rule of exact ? (this.wide.length ? [...exact, ...this.wide] : exact) : this.wide) {
      let hostRank = -Infinity;
      for (const h of rule.hostnames) if (hostMatches(h, name)) hostRank = Math.max(hostRank, hostSpecificity(h));
      if (hostRank === -Infinity) continue;
      for (const match of rule.matches) {
        if (!pathMatches(match, p) || !match.headers.every((h) => headerValue(headers, h.name) === h.value)) continue;
        const c = { rule, host: hostRank, match };
        if (!best || before(c, best) < 0) best = c;
      }
    }
    return best && this.choose(best.rule);
  }

  private choose(rule: CompiledRule): RoutePick {
    const total = rule.backends.reduce((s, b) => s + b.weight, 0);
    if (total <= 0) {
      const why = rule.backends.length === 0 ? 'has no backendRefs' : 'gives every backend weight 0';
      return { kind: 'error', status: 500, message: `rule ${rule.ruleIndex} of HTTPRoute ${rule.route} ${why}` };
    }
    let draw = this.random() * total;
    let chosen = rule.backends.findLast((b) => b.weight > 0);
    for (const b of rule.backends) {
      if (b.weight > 0 && draw < b.weight) {
        chosen = b;
        break;
      }
      draw -= b.weight;
    }
    if (chosen?.key === undefined) return { kind: 'error', status: 500, message: `a backendRef of rule ${rule.ruleIndex} of HTTPRoute ${rule.route} does not resolve (see the route's ResolvedRefs condition)` };
    return { kind: 'target', key: chosen.key };
  }
}
