import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { convertHttpScaledObject } from './convert-http-scaled-object.ts';
import { readInterceptorRoute } from './convert-interceptor-route.ts';
import { routePaths, type HttpSettings } from './convert-keda-http.ts';
import type { SourceRef } from './convert-types.ts';

const source: SourceRef = { file: 'h.yaml', document: 2, kind: 'HTTPScaledObject', namespace: 'web', name: 'app' };
const hso = (spec: string) => parse(`apiVersion: http.keda.sh/v1alpha1\nkind: HTTPScaledObject\nspec:\n  scaleTargetRef: {name: app, service: app, port: 8080}\n  ${spec}`);
const settings = (): HttpSettings => ({ annotations: {}, policies: new Set(), notes: [] });

describe('routePaths', () => {
  it.each([
    [['/api'], '/api', false],
    [['/api/'], '/api', false],
    [['api'], '/api', false],
    [['/'], undefined, false],
    [['/api/v1', '/api/v2'], '/api', true],
    [['/path1', '/path2'], undefined, true],
    [['/a/b/c', '/a/b'], '/a/b', true],
  ])('%j -> %s', (prefixes, expected, noted) => {
    const out = settings();
    routePaths(prefixes, 'spec.pathPrefixes', out);
    expect(out.annotations['ebb.dev/eventgw.path-prefix']).toBe(expected);
    expect(out.notes.length > 0).toBe(noted);
  });
});

describe('convertHttpScaledObject', () => {
  it.each([
    [
      'concurrency: the eventgw policy without a per-pod limit, add-on defaults 0..100, 300 s shared by the scale-down delay and the grace period',
      'hosts: [app.example.com, api.example.com]\n  scalingMetric: {concurrency: {targetValue: 50}}',
      {
        'ebb.dev/policies': 'eventgw',
        'ebb.dev/min-replicas': '0',
        'ebb.dev/max-replicas': '100',
        'ebb.dev/eventgw.host': 'app.example.com,api.example.com',
        'ebb.dev/eventgw.container-concurrency': '0',
        'ebb.dev/eventgw.target': '50',
        'ebb.dev/scale-down-delay': '4m54s',
        'ebb.dev/scale-to-zero-grace-period': '6s',
      },
    ],
    ['the deprecated targetPendingRequests', 'hosts: [a.example.com]\n  targetPendingRequests: 7', { 'ebb.dev/eventgw.target': '7' }],
    ['no scaling metric: 100 pending requests per pod', 'hosts: [a.example.com]', { 'ebb.dev/policies': 'eventgw', 'ebb.dev/eventgw.target': '100' }],
    [
      'requestRate: the KPA on the gateway rps over the window',
      'hosts: [a.example.com]\n  replicas: {min: 1, max: 4}\n  scalingMetric: {requestRate: {targetValue: 30, window: 2m}}',
      { 'ebb.dev/policies': 'kpa', 'ebb.dev/min-replicas': '1', 'ebb.dev/kpa.metric': 'rps', 'ebb.dev/kpa.metric-source': 'external', 'ebb.dev/kpa.target': '30', 'ebb.dev/kpa.window': '2m', 'ebb.dev/eventgw.container-concurrency': '0' },
    ],
    ['both metrics: both policies', 'hosts: [a.example.com]\n  scalingMetric: {requestRate: {targetValue: 30}, concurrency: {targetValue: 5}}', { 'ebb.dev/policies': 'eventgw,kpa', 'ebb.dev/kpa.window': '1m', 'ebb.dev/eventgw.target': '5' }],
    ['conditionWait -> queue timeout, scaledownPeriod -> scale-down delay and grace period', 'hosts: [a.example.com]\n  scaledownPeriod: 45\n  timeouts: {conditionWait: 20s}', { 'ebb.dev/eventgw.queue-timeout': '20s', 'ebb.dev/scale-down-delay': '39s', 'ebb.dev/scale-to-zero-grace-period': '6s' }],
    ['the older deployment field and host', 'host: old.example.com', { 'ebb.dev/eventgw.host': 'old.example.com' }],
  ])('%s', (_name, spec, expected) => {
    const c = convertHttpScaledObject(hso(spec), source);
    expect(c.target).toEqual({ namespace: 'web', name: 'app' });
    expect(c.annotations).toMatchObject(expected);
  });

  it('notes wildcard hosts, several prefixes, headers, failover, placeholder and the Service port', () => {
    const c = convertHttpScaledObject(
      hso(`hosts: [myhost.com, "*.example.com"]
  pathPrefixes: [/path1, /path2]
  headers: [{name: X-Custom-Header, value: CustomValue}]
  coldStartTimeoutFailoverRef: {service: fallback, port: 80}
  placeholderConfig: {enabled: true}`),
      source,
    );
    expect(c.annotations['ebb.dev/eventgw.host']).toBe('myhost.com,*.example.com');
    expect(c.annotations['ebb.dev/eventgw.path-prefix']).toBeUndefined();
    const notes = c.notes.join('\n');
    for (const s of ['wildcard host(s) *.example.com match one label at the event gateway', '/path1, /path2 become /', 'spec.headers not carried over', 'spec.coldStartTimeoutFailoverRef not carried over', 'spec.placeholderConfig not carried over', 'not to Service port 8080']) {
      expect(notes).toContain(s);
    }
  });

  it('uses a Service of another name for EndpointSlice discovery', () => {
    const c = convertHttpScaledObject(parse('spec: {hosts: [a.b], scaleTargetRef: {deployment: app, service: app-svc, port: 80}}'), source);
    expect(c.annotations['ebb.dev/eventgw.service']).toBe('app-svc');
  });

  it.each([
    ['a bad window', 'hosts: [a.b]\n  scalingMetric: {requestRate: {window: soon}}', 'spec.scalingMetric.requestRate.window: got "soon"; allowed: a duration such as 30s, 1m or 1m30s'],
    ['max below min', 'hosts: [a.b]\n  replicas: {min: 3, max: 2}', 'spec.replicas.max: got 2; allowed: an integer >= spec.replicas.min (3)'],
    ['hosts not a list', 'hosts: a.b', 'spec.hosts: got "a.b"; allowed: a list'],
  ])('rejects %s', (_name, spec, message) => {
    expect(() => convertHttpScaledObject(hso(spec), source)).toThrow(`h.yaml: document 2 (HTTPScaledObject web/app): ${message}`);
  });
});

describe('readInterceptorRoute', () => {
  const ir = { ...source, kind: 'InterceptorRoute', name: 'route' };
  it('reads the hosts and paths of all rules, the metric and the readiness timeout', () => {
    const r = readInterceptorRoute(
      parse(`spec:
  target: {service: app, portName: http}
  rules:
  - {hosts: [a.example.com], paths: [{value: /v1/x}], headers: [{name: X-Tenant}]}
  - {hosts: [b.example.com, "*.example.org", "*"], paths: [{value: /v1/y}]}
  scalingMetric: {requestRate: {targetValue: 10, window: 3s}}
  timeouts: {readiness: 0s, request: 30s}
  coldStart: {placeholder: {response: {statusCode: 503}}}`),
      ir,
    );
    expect(r.service).toBe('app');
    expect(r.annotations).toMatchObject({ 'ebb.dev/eventgw.host': 'a.example.com,b.example.com,*.example.org', 'ebb.dev/eventgw.path-prefix': '/v1', 'ebb.dev/kpa.window': '6s', 'ebb.dev/eventgw.queue-timeout': '1h' });
    expect([...r.policies]).toEqual(['kpa']);
    const notes = r.notes.join('\n');
    for (const s of ['spec.rules[0].headers not carried over', 'host(s) * not carried over', 'requestRate.window 3s is below the 6s', 'spec.timeouts.request/responseHeader', 'spec.coldStart not carried over']) expect(notes).toContain(s);
  });

  it('rejects a route without a target Service or scaling metric', () => {
    expect(() => readInterceptorRoute(parse('spec: {scalingMetric: {concurrency: {}}}'), ir)).toThrow('spec.target: got nothing; allowed: a mapping with service and port or portName (required)');
    expect(() => readInterceptorRoute(parse('spec: {target: {service: s, port: 1}}'), ir)).toThrow('spec.scalingMetric: got nothing');
  });
});
