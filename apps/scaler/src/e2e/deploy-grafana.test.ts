/**
 * deploy/grafana/ebb.json and deploy/prometheus/ebb-rules.yaml: every metric they query is one the scaler or the
 * gateway really exports (read from their registries, not from a list), and every metric the READMEs document is
 * on the dashboard.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ReservePromMetrics } from '@ebb/core';
import { startGateway, StaticDiscovery } from '@ebb/plugin-eventgw';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PromObserver } from '../runtime/prom-observer.ts';

const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
const dashboard = JSON.parse(readFileSync(join(REPO, 'deploy/grafana/ebb.json'), 'utf8')) as Dashboard;

interface Target {
  readonly expr: string;
  readonly refId: string;
}
interface Panel {
  readonly id: number;
  readonly type: string;
  readonly title: string;
  readonly targets?: readonly Target[];
  readonly panels?: readonly Panel[];
  readonly datasource?: { readonly uid: string };
}
interface Dashboard {
  readonly uid: string;
  readonly panels: readonly Panel[];
  readonly templating: { readonly list: ReadonlyArray<{ readonly name: string; readonly query: string | { readonly query: string } }> };
}

const allPanels = (ps: readonly Panel[]): Panel[] => ps.flatMap((p) => [p, ...allPanels(p.panels ?? [])]);
const panels = allPanels(dashboard.panels);
const queries = [
  ...panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr)),
  ...dashboard.templating.list.map((v) => (typeof v.query === 'string' ? '' : v.query.query)),
];

/** Metric names a PromQL expression reads: identifiers followed by a selector, a range or the end of a term. */
function metricNames(expr: string): string[] {
  const withoutStrings = expr.replace(/"[^"]*"/g, '""');
  const names = withoutStrings.match(/\b(?:ebb|process|nodejs)_[a-z0-9_]+\b/g) ?? [];
  return [...new Set(names)];
}

/** Series names a registry exposes: histograms as _bucket, _sum and _count, everything else by its name. */
function seriesOf(metrics: ReadonlyArray<{ name: string; type: string }>): Set<string> {
  return new Set(metrics.flatMap(({ name, type }) => (type === 'histogram' ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : type === 'summary' ? [name, `${name}_sum`, `${name}_count`] : [name])));
}

let scalerSeries = new Set<string>();
let gatewaySeries = new Set<string>();

beforeAll(async () => {
  // The scaler's registry, as `ebb run` builds it (the reserve metrics join it in the wiring).
  const observer = new PromObserver();
  new ReservePromMetrics(observer.registry);
  scalerSeries = seriesOf((await observer.registry.getMetricsAsJSON()).map((m) => ({ name: m.name, type: String(m.type) })));
  // The gateway's, from a real gateway's /metrics.
  const gw = await startGateway({ discovery: new StaticDiscovery(), host: '127.0.0.1', port: 0, adminHost: '127.0.0.1', adminPort: 0, drainTimeoutMs: 0 });
  try {
    const text = await (await fetch(`http://127.0.0.1:${gw.adminPort}/metrics`)).text();
    const types = [...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => ({ name: m[1]!, type: m[2]! }));
    gatewaySeries = seriesOf(types);
  } finally {
    await gw.stop();
  }
});

describe('Grafana dashboard', () => {
  it('queries only metrics the code exports', () => {
    const unknown = queries.flatMap(metricNames).filter((n) => !scalerSeries.has(n) && !gatewaySeries.has(n));
    expect(unknown).toEqual([]);
    // Sanity: the registries were read.
    expect(scalerSeries.has('ebb_tick_duration_seconds_bucket')).toBe(true);
    expect(gatewaySeries.has('ebb_gateway_requests_total')).toBe(true);
  });

  it('shows every metric the README lists under Operations', () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    // The bullet "- Metrics (own registry): ..." (it wraps over several lines).
    const start = readme.indexOf('Metrics (own registry)');
    const bullet = start < 0 ? '' : readme.slice(start, readme.indexOf('\n- ', start));
    const documented = [...bullet.matchAll(/`(ebb_[a-z_]+)`/g)].map((m) => m[1]!);
    expect(documented.length).toBeGreaterThanOrEqual(10);
    const queried = new Set(queries.flatMap(metricNames).map((n) => n.replace(/_(bucket|sum|count)$/, '')));
    expect(documented.filter((m) => !queried.has(m))).toEqual([]);
  });

  it("shows every metric of the gateway's README table and the reserve metrics", () => {
    const readme = readFileSync(join(REPO, 'packages/plugin-eventgw/README.md'), 'utf8');
    const documented = [...readme.matchAll(/`(ebb_gateway_[a-z_]+)(?:\{[^}]*\})?`/g)].map((m) => m[1]!);
    expect(documented.length).toBeGreaterThanOrEqual(10);
    const reserve = [...scalerSeries].filter((s) => s.startsWith('ebb_reserve_'));
    expect(reserve.length).toBeGreaterThanOrEqual(3);
    const queried = new Set(queries.flatMap(metricNames).map((n) => n.replace(/_(bucket|sum|count)$/, '')));
    expect([...new Set([...documented, ...reserve])].filter((m) => !queried.has(m))).toEqual([]);
  });

  it('is importable: unique panel ids, every panel on the data source variable, the variables it uses defined', () => {
    const ids = panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of panels.filter((x) => x.type !== 'row')) {
      expect(p.datasource?.uid, p.title).toBe('${datasource}');
      expect(p.targets?.length, p.title).toBeGreaterThan(0);
    }
    const defined = new Set(dashboard.templating.list.map((v) => v.name));
    const used = new Set(queries.flatMap((q) => [...q.matchAll(/\$(\w+)/g)].map((m) => m[1]!)).filter((v) => !v.startsWith('__')));
    expect([...used].filter((v) => !defined.has(v))).toEqual([]);
    expect(dashboard.uid).toBe('ebb-autoscaler');
  });

  it('balances the brackets of every query', () => {
    for (const q of queries.filter((x) => x)) {
      for (const [open, close] of [['(', ')'], ['{', '}'], ['[', ']']] as const) {
        expect(q.split(open).length, `${open} in ${q}`).toBe(q.split(close).length);
      }
    }
  });
});

describe('suggested alert rules', () => {
  const rules = parse(readFileSync(join(REPO, 'deploy/prometheus/ebb-rules.yaml'), 'utf8')) as {
    kind: string;
    spec: { groups: Array<{ name: string; rules: Array<{ alert: string; expr: string; labels: { severity: string }; annotations: { summary: string } }> }> };
  };
  const all = rules.spec.groups.flatMap((g) => g.rules);

  it('query only metrics the code exports', () => {
    expect(rules.kind).toBe('PrometheusRule');
    expect(all.length).toBeGreaterThanOrEqual(10);
    const unknown = all.flatMap((r) => metricNames(r.expr).filter((n) => !scalerSeries.has(n) && !gatewaySeries.has(n)).map((n) => `${r.alert}: ${n}`));
    expect(unknown).toEqual([]);
  });

  it('have unique names, a known severity, a summary, and balanced brackets', () => {
    const names = all.map((r) => r.alert);
    expect(new Set(names).size).toBe(names.length);
    for (const r of all) {
      expect(['critical', 'warning', 'info'], r.alert).toContain(r.labels.severity);
      expect(r.annotations.summary.length, r.alert).toBeGreaterThan(20);
      for (const [open, close] of [['(', ')'], ['{', '}'], ['[', ']']] as const) expect(r.expr.split(open).length, r.alert).toBe(r.expr.split(close).length);
    }
  });
});
