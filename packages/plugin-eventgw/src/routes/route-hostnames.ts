/**
 * Hostname rules of the Gateway API for HTTPRoutes. A wildcard `*.example.com` matches one or more labels in
 * front of the suffix (`a.example.com`, `a.b.example.com`, never `example.com`), as the API specifies; names
 * compare case-insensitively.
 */

/** Stands for "any host" in an effective hostname list (a route and a listener without hostnames). */
export const ANY_HOST = '*';

function isWildcard(h: string): boolean {
  return h.startsWith('*.');
}

/** Whether the request host `host` (lower-case, no port) matches the hostname `pattern`. */
export function hostMatches(pattern: string, host: string): boolean {
  if (pattern === ANY_HOST) return true;
  if (!isWildcard(pattern)) return pattern === host;
  const suffix = pattern.slice(1); // ".example.com"
  return host.length > suffix.length && host.endsWith(suffix);
}

/**
 * How specific a hostname is, for precedence between rules whose hostnames all match a host: an exact name
 * beats every wildcard, a longer wildcard suffix beats a shorter one, and any-host comes last.
 * `a.example.com` -> 1e6; `*.example.com` -> 12; `*` -> -1.
 */
export function hostSpecificity(pattern: string): number {
  if (pattern === ANY_HOST) return -1;
  return isWildcard(pattern) ? pattern.length - 1 : 1_000_000;
}

/** The intersection of a route hostname and a listener hostname, or undefined when they share no host. */
function intersect(route: string, listener: string): string | undefined {
  if (route === listener) return route;
  if (isWildcard(listener) && hostMatches(listener, isWildcard(route) ? route.slice(2) : route)) return route;
  if (isWildcard(route) && hostMatches(route, isWildcard(listener) ? listener.slice(2) : listener)) return listener;
  return undefined;
}

/**
 * The hostnames a route serves through one listener (Gateway API: the intersection of the route's and the
 * listener's). A route without hostnames takes the listener's; a listener without one takes the route's; neither:
 * {@link ANY_HOST}. Empty: they share no host (the listener does not accept the route). Examples: route
 * [`coffee.example.com`] with listener `*.example.com` -> [`coffee.example.com`]; route [`*.example.com`] with
 * listener `shop.example.com` -> [`shop.example.com`]; route [`a.org`] with listener `b.org` -> [].
 */
export function effectiveHostnames(routeHostnames: readonly string[], listenerHostname: string | undefined): string[] {
  const route = routeHostnames.map((h) => h.toLowerCase());
  const listener = listenerHostname?.toLowerCase();
  if (route.length === 0) return [listener ?? ANY_HOST];
  if (listener === undefined) return [...new Set(route)];
  return [...new Set(route.map((h) => intersect(h, listener)).filter((h): h is string => h !== undefined))];
}
