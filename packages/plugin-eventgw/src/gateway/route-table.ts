import type { TargetKey } from '@ebb/core';
import type { TargetRoute } from './target-route.ts';

/**
 * Host (and path prefix) -> target. Case-insensitive host match; a claim `*.example.com` matches a host with
 * exactly one more label (`a.example.com`, not `example.com` nor `a.b.example.com`). An exact claim wins over a
 * wildcard one, as Gateway API hostnames do: the wildcard routes of a host are tried only when none of its exact
 * routes matches the path. Among a host's routes the longest path prefix that matches on a `/` boundary wins
 * (`/api` matches `/api` and `/api/x`, not `/apix`). When two targets claim the same host and prefix, the one
 * whose key sorts first wins (deterministic across replicas).
 */
export class RouteTable {
  private readonly byKey = new Map<TargetKey, TargetRoute>();
  private byHost = new Map<string, TargetRoute[]>();
  /** Wildcard claims (`*.example.com`) in the table: without any, a lookup is one map read. */
  private wildcards = 0;

  /** Adds or replaces the route of `route.key`. */
  set(route: TargetRoute): void {
    this.byKey.set(route.key, route);
    this.rebuild();
  }

  /** Removes the route of `key`; true when there was one. */
  delete(key: TargetKey): boolean {
    const had = this.byKey.delete(key);
    if (had) this.rebuild();
    return had;
  }

  get(key: TargetKey): TargetRoute | undefined {
    return this.byKey.get(key);
  }

  routes(): readonly TargetRoute[] {
    return [...this.byKey.values()];
  }

  /** Routes that lose to another route on every host they claim, e.g. for a warning. */
  shadowed(): readonly TargetRoute[] {
    const winners = new Set<TargetKey>();
    for (const routes of this.byHost.values()) {
      const seen = new Set<string>();
      for (const r of routes) {
        if (seen.has(r.pathPrefix)) continue;
        seen.add(r.pathPrefix);
        winners.add(r.key);
      }
    }
    return [...this.byKey.values()].filter((r) => r.hosts.length > 0 && !winners.has(r.key));
  }

  /**
   * The route for a request. `host` is the Host header (any case, port allowed); `path` the request path
   * (query string allowed). Undefined when no opted-in target claims it.
   */
  match(host: string, path: string): TargetRoute | undefined {
    const name = normaliseHost(host);
    const exact = this.byHost.get(name);
    const dot = name.indexOf('.');
    const wild = this.wildcards > 0 && dot > 0 ? this.byHost.get(`*${name.slice(dot)}`) : undefined;
    if (!exact && !wild) return undefined;
    const q = path.search(/[?#]/);
    const p = q === -1 ? path : path.slice(0, q);
    return exact?.find((r) => prefixMatches(r.pathPrefix, p)) ?? wild?.find((r) => prefixMatches(r.pathPrefix, p));
  }

  private rebuild(): void {
    const byHost = new Map<string, TargetRoute[]>();
    for (const r of this.byKey.values()) {
      for (const h of r.hosts) {
        const list = byHost.get(h) ?? [];
        list.push(r);
        byHost.set(h, list);
      }
    }
    for (const list of byHost.values()) {
      list.sort((a, b) => b.pathPrefix.length - a.pathPrefix.length || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    }
    this.byHost = byHost;
    this.wildcards = [...byHost.keys()].filter(isWildcardHost).length;
  }
}

/** Whether a claimed host is a wildcard, `*.example.com`. */
export function isWildcardHost(host: string): boolean {
  return host.startsWith('*.');
}

/** `Coffee.Example.com:8080` -> `coffee.example.com`; `[::1]:80` -> `[::1]`; a trailing dot is dropped. */
export function normaliseHost(host: string): string {
  const h = host.trim().toLowerCase();
  const withoutPort = h.startsWith('[') ? h.slice(0, h.indexOf(']') + 1) : h.replace(/:\d*$/, '');
  return withoutPort.replace(/\.$/, '');
}

/** Whether `path` is `prefix` or lies below it on a `/` boundary. */
export function prefixMatches(prefix: string, path: string): boolean {
  if (prefix === '/') return true;
  return path === prefix || (path.startsWith(prefix) && path.charCodeAt(prefix.length) === 47 /* / */);
}
