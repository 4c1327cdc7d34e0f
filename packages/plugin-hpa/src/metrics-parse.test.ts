import { ANNOTATION_PREFIX } from '@ebb/core';
import { describe, expect, it } from 'vitest';
import { createHpaConfigSchema } from './hpa-schema.ts';

const schema = createHpaConfigSchema();
const parse = (metrics: string) => schema.parse({ [`${ANNOTATION_PREFIX}hpa.metrics`]: metrics }, `${ANNOTATION_PREFIX}hpa.`);

// An HPA's spec.metrics as written in autoscaling/v2 manifests, pasted as is (with its key).
const PASTED = `
metrics:
- type: Resource
  resource:
    name: cpu
    target:
      type: Utilization
      averageUtilization: 50
- type: Pods
  pods:
    metric:
      name: packets-per-second
    target:
      type: AverageValue
      averageValue: 1k
- type: Object
  object:
    metric:
      name: requests-per-second
    describedObject:
      apiVersion: networking.k8s.io/v1
      kind: Ingress
      name: main-route
    target:
      type: Value
      value: 10k
- type: External
  external:
    metric:
      name: queue_messages_ready
      selector:
        matchLabels:
          queue: worker_tasks
        matchExpressions:
        - { key: env, operator: In, values: [prod, canary] }
    target:
      type: AverageValue
      averageValue: 30
`;

describe('ebb.dev/hpa.metrics', () => {
  it("reads an HPA's metrics block pasted as is", () => {
    const parsed = parse(PASTED);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    expect(parsed.value.metrics).toEqual({
      resources: [{ resource: 'cpu', kind: 'utilization', averageUtilization: 50 }],
      custom: [
        { source: 'Pods', metric: { name: 'packets-per-second', selector: '' }, averageValueMilli: 1_000_000 },
        {
          source: 'Object',
          describedObject: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'main-route' },
          metric: { name: 'requests-per-second', selector: '' },
          target: { type: 'Value', valueMilli: 10_000_000 },
        },
        {
          source: 'External',
          metric: { name: 'queue_messages_ready', selector: 'env in (canary,prod),queue=worker_tasks' },
          target: { type: 'AverageValue', averageValueMilli: 30_000 },
        },
      ],
    });
  });

  it('reads a bare list, and memory and CPU average values in bytes and millicores', () => {
    const parsed = parse(`
- {type: Resource, resource: {name: memory, target: {type: AverageValue, averageValue: 512Mi}}}
- {type: Resource, resource: {name: cpu, target: {type: AverageValue, averageValue: 250m}}}`);
    expect(parsed.ok && parsed.value.metrics?.resources).toEqual([
      { resource: 'memory', kind: 'average', averageValue: 512 * 2 ** 20 },
      { resource: 'cpu', kind: 'average', averageValue: 250 },
    ]);
  });

  it.each([
    ['[]', 'metrics must be a non-empty YAML list'],
    ['[{type: Object, object: {describedObject: {kind: Service, name: s}, metric: {name: q}, query: up, target: {type: Value, value: 1}}}]', 'write this metric as type External with the query'],
    ['[{type: External, external: {metric: {name: q}, query: 5, target: {type: Value, value: 1}}}]', 'metrics[0].external.query must be a PromQL query, got 5'],
    ['[{type: ContainerResource, containerResource: {name: cpu, container: app}}]', 'ContainerResource is not supported'],
    ['[{type: Foo}]', 'metrics[0].type must be one of Resource, Pods, Object, External, got "Foo"'],
    ['[{type: Pods, pods: {metric: {name: rps}, target: {type: Value, value: 5}}}]', 'metrics[0].pods.target.type must be AverageValue for this metric'],
    ['[{type: External, external: {metric: {name: q}, target: {type: Value, value: 0}}}]', 'metrics[0].external.target.value must be a quantity greater than 0'],
    ['[{type: External, external: {metric: {name: q}, target: {type: Value}}}]', 'metrics[0].external.target.value must be a quantity greater than 0'],
    ['[{type: Object, object: {metric: {name: q}, target: {type: Value, value: 1}}}]', 'metrics[0].object.describedObject must be a mapping'],
    ['[{type: Resource, resource: {name: gpu, target: {type: Utilization, averageUtilization: 50}}}]', 'metrics[0].resource.name must be cpu or memory'],
    ['[{type: Resource, resource: {name: cpu, target: {type: Value, value: 1}}}]', 'metrics[0].resource.target.type must be Utilization or AverageValue'],
    [
      '[{type: External, external: {metric: {name: q, selector: {matchExpressions: [{key: a, operator: Exists, values: [x]}]}}, target: {type: Value, value: 1}}}]',
      'matchExpressions[0].values must be empty for operator Exists',
    ],
  ])('reports %s clearly', (metrics, message) => {
    const parsed = parse(metrics);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.issues.map((i) => i.message).join('\n')).toContain(message);
  });

  it('reads a PromQL query on Pods and External metrics (Ebb only)', () => {
    const parsed = parse('[{type: External, external: {metric: {name: q}, query: " sum(queue_depth) ", target: {type: Value, value: 10}}}]');
    expect(parsed.ok && parsed.value.metrics?.custom).toEqual([{ source: 'External', metric: { name: 'q', selector: '' }, target: { type: 'Value', valueMilli: 10_000 }, query: 'sum(queue_depth)' }]);
  });

  it('reports every problem at once, naming the annotation', () => {
    const parsed = parse('[{type: Pods}, {type: External, external: {metric: {}, target: {type: Value, value: -1}}}]');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      const text = parsed.issues.map((i) => i.message).join('\n');
      expect(text).toContain('ebb.dev/hpa.metrics');
      expect(text).toContain('metrics[0].pods must be a mapping');
      expect(text).toContain("metrics[1].external.metric.name must be the metric's name");
      expect(text).toContain('metrics[1].external.target.value must be a quantity greater than 0');
    }
  });
});
