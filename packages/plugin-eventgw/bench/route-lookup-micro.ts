/**
 * CPU per route lookup on the gateway's request path, in nanoseconds of process CPU time, median of 7 rounds:
 * an HTTPRoute (`HttpRouteTable.pick`: hostname, path and header matching and the weighted draw) side by side with
 * the annotation route table (`RouteTable.match`), the reference, for 1 and for 1,000 hosts (one route or
 * target per host, the looked-up host in the middle). Alternating which runs first.
 *
 *   node --conditions=@ebb/source --disable-warning=ExperimentalWarning packages/plugin-eventgw/bench/route-lookup-micro.ts
 */
import { targetKey } from '@ebb/core';
import { RouteTable } from '../src/gateway/route-table.ts';
import { compileRoutes } from '../src/routes/compile-routes.ts';
import { HttpRouteTable } from '../src/routes/http-route-table.ts';
import type { HTTPRoute } from '../src/routes/gateway-api-types.ts';

const ROUNDS = 7;
const LOOKUPS = 300_000;
const NS = 'shop';
const headers = { 'user-agent': 'bench', accept: '*/*' };

function httpRoutes(hosts: number): HttpRouteTable {
  const routes: HTTPRoute[] = Array.from({ length: hosts }, (_, i) => ({
    metadata: { namespace: NS, name: `r${i}`, creationTimestamp: '2026-01-01T00:00:00Z' },
    spec: {
      parentRefs: [{ name: 'web' }],
      hostnames: [`h${i}.example.com`],
      rules: [
        { matches: [{ path: { type: 'PathPrefix', value: '/api' }, headers: [{ name: 'x-version', value: 'v2' }] }], backendRefs: [{ name: 'v2', port: 80 }] },
        { backendRefs: [{ name: 'v1', port: 80, weight: 70 }, { name: 'v2', port: 80, weight: 30 }] },
      ],
    },
  }));
  const compiled = compileRoutes({
    gatewayClasses: [{ metadata: { name: 'ebb' }, spec: { controllerName: 'ebb.dev/gateway' } }],
    gateways: [{ metadata: { namespace: NS, name: 'web' }, spec: { gatewayClassName: 'ebb', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] } }],
    routes,
    services: ['v1', 'v2'].map((v) => ({ namespace: NS, name: v, selector: { version: v }, ports: [{ port: 80, targetPort: 8080 }] })),
    deployments: ['v1', 'v2'].map((v) => ({ namespace: NS, name: `coffee-${v}`, podLabels: { version: v } })),
  });
  const table = new HttpRouteTable();
  table.set(compiled.rules);
  return table;
}

function annotationRoutes(hosts: number): RouteTable {
  const table = new RouteTable();
  for (let i = 0; i < hosts; i++) {
    const ref = { namespace: NS, name: `t${i}` };
    table.set({ ref, key: targetKey(ref), hosts: [`h${i}.example.com`], pathPrefix: '/', containerConcurrency: 0, queueLength: 10, queueTimeoutMs: 1000 });
  }
  return table;
}

function measure(lookup: (host: string) => unknown, host: string): number {
  const start = process.cpuUsage();
  let found = 0;
  for (let i = 0; i < LOOKUPS; i++) if (lookup(host)) found++;
  const used = process.cpuUsage(start);
  if (found !== LOOKUPS) throw new Error(`only ${found} of ${LOOKUPS} lookups found a route`);
  return ((used.user + used.system) * 1000) / LOOKUPS;
}

const results = new Map<string, number[]>();
for (const hosts of [1, 1000]) {
  const host = `h${Math.floor(hosts / 2)}.example.com:8080`;
  const h = httpRoutes(hosts);
  const a = annotationRoutes(hosts);
  const candidates: Array<[string, (host: string) => unknown]> = [
    [`HTTPRoute, ${hosts} hosts`, (x) => h.pick(x, '/cart?item=1', headers)],
    [`annotation (reference), ${hosts} hosts`, (x) => a.match(x, '/cart?item=1')],
  ];
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, fn] of round % 2 ? [...candidates].reverse() : candidates) results.set(name, [...(results.get(name) ?? []), measure(fn, host)]);
  }
}
for (const [key, values] of results) {
  const sorted = [...values].sort((x, y) => x - y);
  console.log(`${key}: ${sorted[Math.floor(ROUNDS / 2)]?.toFixed(0)} ns per lookup (${sorted[0]?.toFixed(0)}-${sorted[ROUNDS - 1]?.toFixed(0)})`);
}
