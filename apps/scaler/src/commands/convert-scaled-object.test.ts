import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readInterceptorRoute } from './convert-interceptor-route.ts';
import { convertScaledObject, type RouteLookup } from './convert-scaled-object.ts';
import { scaleDownTiming } from './convert-scale-down.ts';
import type { SourceRef } from './convert-types.ts';

const source: SourceRef = { file: 'k.yaml', document: 1, kind: 'ScaledObject', namespace: 'shop', name: 'web-so' };
const noRoutes: RouteLookup = () => undefined;
const so = (spec: string) => parse(`apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nspec:\n  scaleTargetRef: {name: web}\n  ${spec}`);

describe('convertScaledObject', () => {
  it.each([
    ['cpu Utilization, KEDA defaults 0..100 and cooldown 300 s', 'triggers: [{type: cpu, metricType: Utilization, metadata: {value: "50"}}]', { 'ebb.dev/policies': 'hpa', 'ebb.dev/min-replicas': '0', 'ebb.dev/max-replicas': '100', 'ebb.dev/hpa.cpu-utilization': '50', 'ebb.dev/scale-to-zero-grace-period': '5m' }],
    ['memory AverageValue through the older metadata.type', 'minReplicaCount: 2\n  maxReplicaCount: 8\n  triggers: [{type: memory, metadata: {type: AverageValue, value: 512Mi}}]', { 'ebb.dev/min-replicas': '2', 'ebb.dev/max-replicas': '8', 'ebb.dev/hpa.memory-average': '512Mi' }],
    ['cpu AverageValue', 'minReplicaCount: 1\n  triggers: [{type: cpu, metricType: AverageValue, metadata: {value: 250m}}]', { 'ebb.dev/hpa.cpu-average': '250m' }],
    ['cooldown 90 s', 'cooldownPeriod: 90\n  triggers: [{type: cpu, metadata: {value: "50"}}]', { 'ebb.dev/scale-to-zero-grace-period': '1m30s' }],
    [
      'prometheus: the KPA on the query, threshold per pod at 100 %',
      'minReplicaCount: 1\n  triggers: [{type: prometheus, metadata: {serverAddress: "http://p:9090", query: "sum(x)", threshold: "12.5"}}]',
      { 'ebb.dev/policies': 'kpa', 'ebb.dev/kpa.metric-source': 'prometheus', 'ebb.dev/kpa.prometheus-query': 'sum(x)', 'ebb.dev/kpa.target': '12.5', 'ebb.dev/kpa.target-utilization-percentage': '100' },
    ],
    ['cpu and cron: both policies', 'minReplicaCount: 1\n  triggers: [{type: cpu, metadata: {value: "60"}}, {type: cron, metadata: {timezone: UTC, start: "0 9 * * *", end: "0 17 * * *", desiredReplicas: "5"}}]', { 'ebb.dev/policies': 'cron,hpa' }],
  ])('%s', (_name, spec, expected) => {
    const c = convertScaledObject(so(spec), source, noRoutes);
    expect(c.target).toEqual({ namespace: 'shop', name: 'web' });
    expect(c.annotations).toMatchObject(expected);
  });

  it('turns cron triggers into windows, with a baseline window at the minimum when cron is the only policy', () => {
    const c = convertScaledObject(
      so(`minReplicaCount: 1
  triggers:
  - {type: cron, name: office hours, metadata: {timezone: Europe/Berlin, start: "0 9 * * 1-5", end: "0 18 * * 1-5", desiredReplicas: "10"}}
  - {type: cron, metadata: {timezone: Asia/Kolkata, start: 30 * * * *, end: 45 * * * *, desiredReplicas: 4}}`),
      source,
      noRoutes,
    );
    expect(c.annotations['ebb.dev/policies']).toBe('cron');
    expect(parse(c.annotations['ebb.dev/cron']!)).toEqual([
      { name: 'office-hours', start: '0 9 * * 1-5', end: '0 18 * * 1-5', timezone: 'Europe/Berlin', replicas: 10 },
      { name: 'cron-2', start: '30 * * * *', end: '45 * * * *', timezone: 'Asia/Kolkata', replicas: 4 },
      { name: 'baseline', start: '* * * * *', duration: '1m', replicas: 1 },
    ]);
    expect(c.annotations['ebb.dev/scale-to-zero-grace-period']).toBeUndefined();
  });

  it('idleReplicaCount 0 with a minimum: zero when idle, the minimum when woken', () => {
    const c = convertScaledObject(so('idleReplicaCount: 0\n  minReplicaCount: 3\n  triggers: [{type: cpu, metadata: {value: "50"}}]'), source, noRoutes);
    expect(c.annotations).toMatchObject({ 'ebb.dev/min-replicas': '0', 'ebb.dev/activation-replicas': '3', 'ebb.dev/scale-to-zero-grace-period': '5m' });
    expect(c.notes.join('\n')).toContain('idleReplicaCount 0 with minReplicaCount 3');
  });

  it('carries behavior to the hpa policy and notes every setting and trigger it cannot carry', () => {
    const c = convertScaledObject(
      so(`minReplicaCount: 1
  pollingInterval: 15
  cooldownPeriod: 2
  fallback: {failureThreshold: 3, replicas: 6}
  advanced:
    restoreToOriginalReplicaCount: true
    horizontalPodAutoscalerConfig: {behavior: {scaleDown: {stabilizationWindowSeconds: 60}}}
  triggers:
  - {type: cpu, metadata: {value: "50", containerName: app}}
  - {type: memory, metricType: Utilization, metadata: {value: "70"}}
  - {type: memory, metricType: Utilization, metadata: {value: "80"}}
  - {type: rabbitmq, metadata: {queueName: q}}
  - {type: prometheus, metricType: Value, metadata: {serverAddress: "http://p", query: q, threshold: "5"}}
  - {type: prometheus, metadata: {serverAddress: "http://p", query: q1, threshold: "5", activationThreshold: "2", authModes: basic}, authenticationRef: {name: creds}}
  - {type: prometheus, metadata: {serverAddress: "http://p", query: q2, threshold: "5"}}`),
      source,
      noRoutes,
    );
    expect(c.annotations).toMatchObject({ 'ebb.dev/policies': 'hpa,kpa', 'ebb.dev/hpa.memory-utilization': '70', 'ebb.dev/kpa.prometheus-query': 'q1', 'ebb.dev/scale-down-delay': '1m' });
    expect(parse(c.annotations['ebb.dev/hpa.behavior']!)).toEqual({ scaleDown: { stabilizationWindowSeconds: 60 } });
    const notes = c.notes.join('\n');
    for (const expected of [
      'spec.triggers[0]: cpu of container app (a ContainerResource metric) is not supported yet',
      'spec.triggers[2]: a second memory Utilization trigger',
      'spec.triggers[3]: KEDA trigger type rabbitmq has no Ebb counterpart yet',
      'spec.triggers[4]: prometheus trigger with metricType Value',
      'spec.triggers[5]: activationThreshold 2 is not carried over',
      'spec.triggers[5]: authModes, authenticationRef not carried over',
      'spec.triggers[6]: a second prometheus trigger',
      'pluginOptions.kpa.prometheus.url: http://p',
      'spec.pollingInterval not carried over',
      'spec.fallback not carried over',
      'spec.advanced.restoreToOriginalReplicaCount not carried over',
      'behavior carried over to ebb.dev/hpa.behavior for the cpu/memory triggers; for kpa its scaleDown window is ebb.dev/scale-down-delay',
      'ebb.dev/scale-down-delay: 1m does that for the kpa policy; for cpu/memory the hpa policy\'s own window comes on top',
    ]) {
      expect(notes).toContain(expected);
    }
  });

  it('notes a paused ScaledObject', () => {
    const c = convertScaledObject(parse('metadata: {annotations: {autoscaling.keda.sh/paused: "true"}}\nspec: {scaleTargetRef: {name: web}, triggers: [{type: cpu, metadata: {value: "50"}}]}'), source, noRoutes);
    expect(c.notes.join('\n')).toContain('autoscaling.keda.sh/paused: "true" not carried over');
  });

  it('clamps the cooldown into the grace period range, with a note', () => {
    const c = convertScaledObject(so('cooldownPeriod: 2\n  triggers: [{type: cpu, metadata: {value: "50"}}]'), source, noRoutes);
    expect(c.annotations['ebb.dev/scale-to-zero-grace-period']).toBe('6s');
    expect(c.notes).toContain('spec.cooldownPeriod 2s is below the 6s that ebb.dev/scale-to-zero-grace-period allows: set to 6s');
  });

  it('converts nothing when no trigger carries over, or when the target is not a Deployment', () => {
    const kafka = convertScaledObject(so('triggers: [{type: kafka, metadata: {topic: t}}]'), source, noRoutes);
    expect(kafka.target).toBeUndefined();
    expect(kafka.notes.join('\n')).toContain('no trigger can be carried over');
    const sts = convertScaledObject(parse('spec: {scaleTargetRef: {kind: StatefulSet, name: db}, triggers: [{type: cpu, metadata: {value: "50"}}]}'), source, noRoutes);
    expect(sts.target).toBeUndefined();
    expect(sts.notes[0]).toContain('StatefulSet db');
  });

  it('joins an InterceptorRoute named by an external-push trigger', () => {
    const route = readInterceptorRoute(
      parse('spec: {target: {service: web-svc, port: 8080}, rules: [{hosts: [web.example.com], paths: [{value: /api}]}], scalingMetric: {concurrency: {targetValue: 20}}}'),
      { ...source, kind: 'InterceptorRoute', name: 'web-route' },
    );
    const seen: string[] = [];
    const c = convertScaledObject(
      so('cooldownPeriod: 60\n  triggers: [{type: external-push, metadata: {interceptorRoute: web-route, scalerAddress: "s:9090"}}]'),
      source,
      (ns, name) => (seen.push(`${ns}/${name}`), route),
    );
    expect(seen).toEqual(['shop/web-route']);
    expect(c.annotations).toMatchObject({
      'ebb.dev/policies': 'eventgw',
      'ebb.dev/eventgw.host': 'web.example.com',
      'ebb.dev/eventgw.path-prefix': '/api',
      'ebb.dev/eventgw.container-concurrency': '0',
      'ebb.dev/eventgw.target': '20',
      'ebb.dev/eventgw.service': 'web-svc',
      'ebb.dev/scale-down-delay': '54s',
      'ebb.dev/scale-to-zero-grace-period': '6s',
    });
    const missing = convertScaledObject(so('triggers: [{type: external-push, metadata: {interceptorRoute: gone}}]'), source, noRoutes);
    expect(missing.target).toBeUndefined();
    expect(missing.notes.join('\n')).toContain('InterceptorRoute gone is not in the input');
  });

  it.each([
    ['no triggers', 'minReplicaCount: 1', 'spec.triggers: got nothing; allowed: a list of at least one trigger'],
    ['a trigger without type', 'triggers: [{metadata: {value: "1"}}]', 'spec.triggers[0].type: got nothing; allowed: a non-empty string (required)'],
    ['a cpu value that is not a number', 'triggers: [{type: cpu, metadata: {value: fifty}}]', 'spec.triggers[0].metadata.value: got "fifty"; allowed: an integer >= 1'],
    ['a bad metricType', 'triggers: [{type: cpu, metricType: Value, metadata: {value: "5"}}]', 'spec.triggers[0].metricType: got "Value"; allowed: one of Utilization, AverageValue'],
    ['a cron trigger without timezone', 'triggers: [{type: cron, metadata: {start: "0 9 * * *", end: "0 17 * * *", desiredReplicas: "2"}}]', 'spec.triggers[0].metadata.timezone: got nothing'],
    ['a prometheus threshold of 0', 'triggers: [{type: prometheus, metadata: {serverAddress: "http://p", query: q, threshold: "0"}}]', 'spec.triggers[0].metadata.threshold: got "0"; allowed: a number > 0'],
    ['idle not below min', 'idleReplicaCount: 2\n  minReplicaCount: 2\n  triggers: [{type: cpu, metadata: {value: "5"}}]', 'spec.idleReplicaCount: got 2; allowed: an integer below spec.minReplicaCount (2)'],
    ['no scaleTargetRef name', 'scaleTargetRef: {}\n  triggers: [{type: cpu, metadata: {value: "5"}}]', 'spec.scaleTargetRef.name: got nothing'],
  ])('rejects %s, naming the document and field', (_name, spec, message) => {
    const doc = spec.startsWith('scaleTargetRef') ? parse(`spec:\n  ${spec}`) : so(spec);
    expect(() => convertScaledObject(doc, source, noRoutes)).toThrow(`k.yaml: document 1 (ScaledObject shop/web-so): ${message}`);
  });
});

describe('scaleDownTiming', () => {
  it.each([
    // policies, window s, cooldown s, minimum -> delay, grace
    [['kpa'], 300, 300, 0, '4m54s', '6s'],
    [['kpa'], 300, 30, 0, '24s', '6s'],
    [['kpa'], 300, 3, 0, undefined, '6s'],
    [['eventgw'], 300, 900, 0, '5m', '10m'],
    [['kpa'], 300, 300, 2, '5m', undefined],
    [['kpa'], 0, 300, 0, undefined, '5m'],
    [['hpa'], 300, 300, 0, undefined, '5m'],
    [['cron'], 300, 120, 0, undefined, '2m'],
  ])('%j window %is cooldown %is min %i -> delay %s, grace %s', (policies, windowS, cooldownS, floor, delay, grace) => {
    const notes: string[] = [];
    const out = scaleDownTiming(new Set(policies), windowS, { seconds: cooldownS, field: 'spec.cooldownPeriod' }, floor, notes);
    expect(out['ebb.dev/scale-down-delay']).toBe(delay);
    expect(out['ebb.dev/scale-to-zero-grace-period']).toBe(grace);
  });
});
