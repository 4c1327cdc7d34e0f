import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { convertHpa } from './convert-hpa.ts';
import { ConvertInputError, type SourceRef } from './convert-types.ts';

const source: SourceRef = { file: 'h.yaml', document: 1, kind: 'HorizontalPodAutoscaler', namespace: 'shop', name: 'web' };
const hpa = (apiVersion: string, spec: string) => parse(`apiVersion: ${apiVersion}\nkind: HorizontalPodAutoscaler\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  ${spec}`);

describe('convertHpa', () => {
  it.each([
    ['v2 cpu utilization', 'autoscaling/v2', 'minReplicas: 2\n  maxReplicas: 10\n  metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 60}}}]', { 'ebb.dev/policies': 'hpa', 'ebb.dev/min-replicas': '2', 'ebb.dev/max-replicas': '10', 'ebb.dev/hpa.cpu-utilization': '60' }],
    ['v2 memory average, minReplicas defaults to 1', 'autoscaling/v2', 'maxReplicas: 4\n  metrics: [{type: Resource, resource: {name: memory, target: {type: AverageValue, averageValue: 512Mi}}}]', { 'ebb.dev/min-replicas': '1', 'ebb.dev/hpa.memory-average': '512Mi' }],
    ['v2 without metrics: CPU 80 %', 'autoscaling/v2', 'maxReplicas: 4', { 'ebb.dev/hpa.cpu-utilization': '80' }],
    ['v2beta2 cpu average + memory utilization', 'autoscaling/v2beta2', 'maxReplicas: 4\n  metrics: [{type: Resource, resource: {name: cpu, target: {type: AverageValue, averageValue: 250m}}}, {type: Resource, resource: {name: memory, target: {type: Utilization, averageUtilization: 70}}}]', { 'ebb.dev/hpa.cpu-average': '250m', 'ebb.dev/hpa.memory-utilization': '70' }],
    ['v2beta1 targetAverageUtilization', 'autoscaling/v2beta1', 'maxReplicas: 4\n  metrics: [{type: Resource, resource: {name: cpu, targetAverageUtilization: 40}}]', { 'ebb.dev/hpa.cpu-utilization': '40' }],
    ['v1 targetCPUUtilizationPercentage', 'autoscaling/v1', 'maxReplicas: 4\n  targetCPUUtilizationPercentage: 30', { 'ebb.dev/hpa.cpu-utilization': '30' }],
    ['v1 default target', 'autoscaling/v1', 'maxReplicas: 4', { 'ebb.dev/hpa.cpu-utilization': '80' }],
  ])('%s', (_name, apiVersion, spec, expected) => {
    const c = convertHpa(hpa(apiVersion, spec), source);
    expect(c.target).toEqual({ namespace: 'shop', name: 'web' });
    expect(c.annotations).toMatchObject(expected);
    expect(c.notes).toEqual([]);
  });

  it('carries behavior, Pods and External metrics over in their own form, and notes ContainerResource', () => {
    const c = convertHpa(
      hpa(
        'autoscaling/v2',
        `maxReplicas: 10
  metrics:
  - {type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}}
  - {type: Pods, pods: {metric: {name: packets-per-second}, target: {type: AverageValue, averageValue: 1k}}}
  - {type: External, external: {metric: {name: queue_messages_ready, selector: {matchLabels: {queue: tasks}}}, target: {type: AverageValue, averageValue: 30}}}
  - {type: ContainerResource, containerResource: {name: cpu, container: app, target: {type: Utilization, averageUtilization: 60}}}
  behavior: {scaleDown: {stabilizationWindowSeconds: 120, policies: [{type: Pods, value: 2, periodSeconds: 60}]}}`,
      ),
      source,
    );
    expect(c.annotations['ebb.dev/hpa.cpu-utilization']).toBe('50');
    expect(parse(c.annotations['ebb.dev/hpa.behavior']!)).toEqual({ scaleDown: { stabilizationWindowSeconds: 120, policies: [{ type: 'Pods', value: 2, periodSeconds: 60 }] } });
    expect(parse(c.annotations['ebb.dev/hpa.metrics']!)).toEqual([
      { type: 'Pods', pods: { metric: { name: 'packets-per-second' }, target: { type: 'AverageValue', averageValue: '1k' } } },
      { type: 'External', external: { metric: { name: 'queue_messages_ready', selector: { matchLabels: { queue: 'tasks' } } }, target: { type: 'AverageValue', averageValue: 30 } } },
    ]);
    expect(c.notes).toHaveLength(1);
    expect(c.notes[0]).toMatch(/^spec\.metrics\[3\]: ContainerResource metric cpu is not supported/);
  });

  it('carries an Object metric over, and with an External metric minReplicas 0 scales to zero without a note', () => {
    const c = convertHpa(
      hpa(
        'autoscaling/v2',
        `minReplicas: 0
  maxReplicas: 5
  metrics:
  - {type: Object, object: {describedObject: {apiVersion: networking.k8s.io/v1, kind: Ingress, name: main}, metric: {name: rps}, target: {type: Value, value: 10k}}}
  - {type: External, external: {metric: {name: q}, target: {type: Value, value: 3}}}`,
      ),
      source,
    );
    expect(c.annotations).toMatchObject({ 'ebb.dev/policies': 'hpa', 'ebb.dev/min-replicas': '0', 'ebb.dev/max-replicas': '5' });
    expect(parse(c.annotations['ebb.dev/hpa.metrics']!)).toHaveLength(2);
    expect(c.annotations['ebb.dev/hpa.cpu-utilization']).toBeUndefined();
    expect(c.notes).toEqual([]);
  });

  it.each([
    ['a Pods metric with a Value target', '{type: Pods, pods: {metric: {name: rps}, target: {type: Value, value: 3}}}', 'spec.metrics[0].pods.target.type must be AverageValue'],
    ['an External metric without target value', '{type: External, external: {metric: {name: q}, target: {type: Value}}}', 'spec.metrics[0].external.target.value must be a quantity'],
  ])('notes %s it cannot carry over, with the reason', (_name, metric, reason) => {
    const c = convertHpa(hpa('autoscaling/v2', `maxReplicas: 3
  metrics: [${metric}]`), source);
    expect(c.notes.join('\n')).toContain(reason);
    expect(c.notes.join('\n')).toContain('no metric can be carried over');
  });

  it('notes a v2beta1 custom metric: its form differs', () => {
    const c = convertHpa(hpa('autoscaling/v2beta1', 'maxReplicas: 3\n  metrics: [{type: Pods, pods: {metricName: rps, targetAverageValue: 10}}]'), source);
    expect(c.notes[0]).toContain('spec.metrics[0]: Pods metric is in the autoscaling/v2beta1 form');
  });

  it('converts nothing when no metric carries over (the hpa policy would fall back to CPU 80 %)', () => {
    const c = convertHpa(hpa('autoscaling/v2', 'maxReplicas: 3\n  metrics: [{type: ContainerResource, containerResource: {name: cpu, container: app, target: {type: Utilization, averageUtilization: 60}}}]'), source);
    expect(c.target).toBeUndefined();
    expect(c.annotations).toEqual({});
    expect(c.notes.join('\n')).toContain('no metric can be carried over');
  });

  it('notes a target that is not a Deployment', () => {
    const c = convertHpa(parse('apiVersion: autoscaling/v2\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: StatefulSet, name: db}\n  maxReplicas: 3'), source);
    expect(c.target).toBeUndefined();
    expect(c.notes[0]).toContain('StatefulSet db (apps/v1) is not a Deployment');
  });

  it.each([
    ['no maxReplicas', 'minReplicas: 1', 'spec.maxReplicas: got nothing; allowed: an integer >= 1 (required)'],
    ['maxReplicas a string', 'maxReplicas: ten', 'spec.maxReplicas: got "ten"; allowed: an integer >= 1'],
    ['max below min', 'minReplicas: 5\n  maxReplicas: 2', 'spec.maxReplicas: got 2; allowed: an integer >= spec.minReplicas (5)'],
    ['unknown metric type', 'maxReplicas: 2\n  metrics: [{type: Magic}]', 'spec.metrics[0].type: got "Magic"; allowed: one of Resource, Pods, Object, External, ContainerResource'],
    ['utilization missing', 'maxReplicas: 2\n  metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization}}}]', 'spec.metrics[0].resource.target.averageUtilization: got nothing'],
    ['bad quantity', 'maxReplicas: 2\n  metrics: [{type: Resource, resource: {name: memory, target: {type: AverageValue, averageValue: lots}}}]', 'spec.metrics[0].resource.target.averageValue: got "lots"; allowed: a positive quantity'],
  ])('rejects %s, naming the document and field', (_name, spec, message) => {
    const run = () => convertHpa(hpa('autoscaling/v2', spec), source);
    expect(run).toThrow(ConvertInputError);
    expect(run).toThrow(`h.yaml: document 1 (HorizontalPodAutoscaler shop/web): ${message}`);
  });
});
