import { describe, expect, it } from 'vitest';
import { parseReserveConfig, RESERVE_ANNOTATION_KEYS, type ReserveConfig } from './reserve-config.ts';

const ok = (annotations: Record<string, string>): ReserveConfig => {
  const r = parseReserveConfig(annotations);
  if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('\n'));
  return r.value;
};
const problems = (annotations: Record<string, string>): string[] => {
  const r = parseReserveConfig(annotations);
  return r.ok ? [] : r.issues.map((i) => i.message);
};

describe('parseReserveConfig', () => {
  it('defaults: off, one pod, 2 min to become Ready, the target shape', () => {
    expect(ok({})).toEqual({ enabled: false, replicas: 1, readyTimeoutMs: 120_000, shape: { podAnnotations: {}, podLabels: {} } });
  });

  it('reads every Ebb key', () => {
    const c = ok({
      'ebb.dev/reserve': 'true',
      'ebb.dev/reserve.replicas': '2',
      'ebb.dev/reserve.ready-timeout': '45s',
      'ebb.dev/reserve.resources': 'requests: {cpu: 250m, memory: 256Mi}\nlimits:\n  memory: 512Mi\n  cpu: 1',
      'ebb.dev/reserve.node-selector': 'node.kubernetes.io/instance-type: t3.small\nzone: 1',
      'ebb.dev/reserve.tolerations': '- {key: burstable, operator: Exists, effect: NoSchedule}\n- {key: spot, value: "true", effect: NoExecute, tolerationSeconds: 30}',
      'ebb.dev/reserve.pod-annotations': 'provider.example/instance-type: burstable',
    });
    expect(c).toEqual({
      enabled: true,
      replicas: 2,
      readyTimeoutMs: 45_000,
      shape: {
        resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '512Mi', cpu: '1' } },
        nodeSelector: { 'node.kubernetes.io/instance-type': 't3.small', zone: '1' },
        tolerations: [
          { key: 'burstable', operator: 'Exists', effect: 'NoSchedule' },
          { key: 'spot', operator: 'Equal', value: 'true', effect: 'NoExecute', tolerationSeconds: 30 },
        ],
        podAnnotations: { 'provider.example/instance-type': 'burstable' },
        podLabels: {},
      },
    });
  });

  it('an empty node selector or toleration list is kept (it clears the target one)', () => {
    const c = ok({ 'ebb.dev/reserve': 'true', 'ebb.dev/reserve.node-selector': '{}', 'ebb.dev/reserve.tolerations': '[]' });
    expect(c.shape.nodeSelector).toEqual({});
    expect(c.shape.tolerations).toEqual([]);
  });

  it.each<[string, Record<string, string>, Partial<ReserveConfig> & { podLabels?: Record<string, string>; podAnnotations?: Record<string, string> }]>([
    ['enable turns it on', { 'knative.aliyun.com/reserve-instance': 'enable' }, { enabled: true }],
    ['true turns it on', { 'knative.aliyun.com/reserve-instance': 'true' }, { enabled: true }],
    ['disable keeps it off', { 'knative.aliyun.com/reserve-instance': 'disable' }, { enabled: false }],
    ['the Ebb key wins', { 'knative.aliyun.com/reserve-instance': 'enable', 'ebb.dev/reserve': 'false' }, { enabled: false }],
    ['replicas alias', { 'knative.aliyun.com/reserve-instance': 'enable', 'knative.aliyun.com/reserve-instance-replicas': '3' }, { replicas: 3 }],
    ['Ebb replicas win over the alias', { 'knative.aliyun.com/reserve-instance-replicas': '3', 'ebb.dev/reserve.replicas': '2' }, { replicas: 2 }],
    ['type eci places the reserve on the virtual node', { 'knative.aliyun.com/reserve-instance-type': 'eci' }, { podLabels: { 'alibabacloud.com/eci': 'true' } }],
    ['type acs', { 'knative.aliyun.com/reserve-instance-type': 'acs' }, { podLabels: { 'alibabacloud.com/acs': 'true' } }],
    ['type ecs changes nothing', { 'knative.aliyun.com/reserve-instance-type': 'ecs' }, { podLabels: {} }],
    ['no type: no label (ACK would default to eci)', { 'knative.aliyun.com/reserve-instance': 'enable' }, { podLabels: {} }],
    [
      'eci specs become the ECI pod annotation',
      { 'knative.aliyun.com/reserve-instance-eci-use-specs': 'ecs.t6-c1m1.large, ecs.t5-lc1m2.small' },
      { podAnnotations: { 'k8s.aliyun.com/eci-use-specs': 'ecs.t6-c1m1.large,ecs.t5-lc1m2.small' } },
    ],
    ['eci specs as cpu-memory', { 'knative.aliyun.com/reserve-instance-eci-use-specs': '1-2Gi' }, { podAnnotations: { 'k8s.aliyun.com/eci-use-specs': '1-2Gi' } }],
    [
      'Ebb pod annotations win over the Alibaba specs',
      { 'knative.aliyun.com/reserve-instance-eci-use-specs': '1-2Gi', 'ebb.dev/reserve.pod-annotations': 'k8s.aliyun.com/eci-use-specs: 2-4Gi' },
      { podAnnotations: { 'k8s.aliyun.com/eci-use-specs': '2-4Gi' } },
    ],
  ])('Alibaba: %s', (_name, annotations, want) => {
    const c = ok(annotations);
    const { podLabels, podAnnotations, ...rest } = want;
    expect(c).toMatchObject(rest);
    if (podLabels) expect(c.shape.podLabels).toEqual(podLabels);
    if (podAnnotations) expect(c.shape.podAnnotations).toEqual(podAnnotations);
  });

  it.each<[string, Record<string, string>, string[]]>([
    ['a non-boolean switch', { 'ebb.dev/reserve': 'yes' }, ['invalid value "yes" for ebb.dev/reserve: expected true or false']],
    ['zero replicas', { 'ebb.dev/reserve.replicas': '0' }, ['ebb.dev/reserve.replicas']],
    ['a sub-second timeout', { 'ebb.dev/reserve.ready-timeout': '500ms' }, ['ebb.dev/reserve.ready-timeout']],
    ['a bad quantity', { 'ebb.dev/reserve.resources': 'requests: {cpu: lots}' }, ['requests.cpu: "lots" is not a Kubernetes quantity']],
    ['a negative quantity', { 'ebb.dev/reserve.resources': 'limits: {memory: -1Gi}' }, ['limits.memory: "-1Gi" is not a Kubernetes quantity']],
    ['an unknown resources section', { 'ebb.dev/reserve.resources': 'request: {cpu: 1}' }, ['unknown section "request"']],
    ['resources not a map', { 'ebb.dev/reserve.resources': '- cpu' }, ['expected a YAML map with requests and/or limits']],
    ['broken YAML', { 'ebb.dev/reserve.resources': 'requests: {cpu: 1' }, ['invalid YAML in ebb.dev/reserve.resources']],
    ['a node selector list', { 'ebb.dev/reserve.node-selector': '- a' }, ['expected a YAML map of label keys to values']],
    ['a bad label value', { 'ebb.dev/reserve.node-selector': 'pool: "a b"' }, ['value "a b" of "pool" is not allowed']],
    ['a bad label key', { 'ebb.dev/reserve.node-selector': '"-bad": x' }, ['key "-bad" is not a valid qualified name']],
    ['a nested annotation value', { 'ebb.dev/reserve.pod-annotations': 'a: {b: c}' }, ['value of "a" must be a string']],
    ['a bad toleration operator', { 'ebb.dev/reserve.tolerations': '- {key: a, operator: Near}' }, ['tolerations[0]: operator "Near" is not allowed']],
    ['a value with Exists', { 'ebb.dev/reserve.tolerations': '- {key: a, operator: Exists, value: b}' }, ['value must be empty when operator is Exists']],
    ['an empty key without Exists', { 'ebb.dev/reserve.tolerations': '- {effect: NoSchedule}' }, ['an empty key requires operator Exists']],
    ['seconds without NoExecute', { 'ebb.dev/reserve.tolerations': '- {key: a, tolerationSeconds: 5}' }, ['tolerationSeconds 5 needs an integer and effect NoExecute']],
    ['a bad Alibaba switch', { 'knative.aliyun.com/reserve-instance': 'on' }, ['invalid value "on" for knative.aliyun.com/reserve-instance']],
    ['a bad Alibaba type', { 'knative.aliyun.com/reserve-instance-type': 'gpu' }, ['invalid value "gpu" for knative.aliyun.com/reserve-instance-type']],
    ['a bad ECI spec', { 'knative.aliyun.com/reserve-instance-eci-use-specs': 'big' }, ['knative.aliyun.com/reserve-instance-eci-use-specs']],
    ['six ECI specs', { 'knative.aliyun.com/reserve-instance-eci-use-specs': '1-2Gi,1-2Gi,1-2Gi,1-2Gi,1-2Gi,1-2Gi' }, ['eci-use-specs']],
    ['an Ebb typo', { 'ebb.dev/reserve.replica': '2' }, ['unknown annotation ebb.dev/reserve.replica: did you mean ebb.dev/reserve.replicas?']],
    [
      'an Alibaba key Ebb does not map',
      { 'knative.aliyun.com/reserve-instance-cpu-resource-request': '1' },
      ["unknown annotation knative.aliyun.com/reserve-instance-cpu-resource-request: Ebb does not read it; set the reserve's shape with ebb.dev/reserve.resources"],
    ],
  ])('reports %s, naming the key', (_name, annotations, want) => {
    const found = problems(annotations);
    expect(found).toHaveLength(want.length);
    want.forEach((w, i) => expect(found[i]).toContain(w));
  });

  it('reports every problem at once', () => {
    expect(problems({ 'ebb.dev/reserve': 'maybe', 'ebb.dev/reserve.replicas': '-1', 'knative.aliyun.com/reserve-instance-type': 'x' })).toHaveLength(3);
  });

  it('leaves other Ebb and Knative keys to their own schemas', () => {
    expect(problems({ 'ebb.dev/policies': 'kpa', 'ebb.dev/kpa.target': '10', 'autoscaling.knative.dev/min-scale': '1', 'knative.aliyun.com/other': 'x' })).toEqual([]);
  });

  it('lists the Ebb keys for the loop unknown-key check', () => {
    expect([...RESERVE_ANNOTATION_KEYS].sort()).toEqual([
      'ebb.dev/reserve',
      'ebb.dev/reserve.node-selector',
      'ebb.dev/reserve.pod-annotations',
      'ebb.dev/reserve.ready-timeout',
      'ebb.dev/reserve.replicas',
      'ebb.dev/reserve.resources',
      'ebb.dev/reserve.tolerations',
    ]);
  });
});
