import { describe, expect, it } from 'vitest';
import { expandPromql, promLabelName } from './promql-template.ts';

const target = { ref: { namespace: 'shop', name: 'web' }, selector: { app: 'web', 'app.kubernetes.io/part-of': 'store' } };

describe('expandPromql', () => {
  it.each([
    { template: 'sum(in_flight{namespace="{{namespace}}",deployment="{{name}}"})', want: 'sum(in_flight{namespace="shop",deployment="web"})' },
    { template: 'sum(rate(reqs_total{{{selector}}}[1m]))', want: 'sum(rate(reqs_total{app="web",app_kubernetes_io_part_of="store"}[1m]))' },
    { template: 'up{a="{{name}}"} + up{b="{{name}}"}', want: 'up{a="web"} + up{b="web"}' },
    { template: 'vector(1)', want: 'vector(1)' },
  ])('$template', ({ template, want }) => {
    expect(expandPromql(template, target)).toBe(want);
  });

  it('escapes values for double-quoted PromQL strings', () => {
    expect(expandPromql('x{{{selector}}}', { ref: target.ref, selector: { v: 'a"b\\c' } })).toBe('x{v="a\\"b\\\\c"}');
  });
});

describe('promLabelName', () => {
  it.each([
    { key: 'app', want: 'app' },
    { key: 'app.kubernetes.io/name', want: 'app_kubernetes_io_name' },
    { key: 'tier-1', want: 'tier_1' },
    { key: '9lives', want: '_9lives' },
  ])('$key -> $want', ({ key, want }) => {
    expect(promLabelName(key)).toBe(want);
  });
});
