import { parseMetricSpecs } from '@ebb/plugin-hpa';
import { stringify } from 'yaml';
import { FieldReader, type Mapping } from './convert-fields.ts';
import { KEYS } from './convert-keys.ts';
import { describeSource, type Conversion, type SourceObject, type SourceRef } from './convert-types.ts';
import { scaleTarget } from './convert-target.ts';

/** HPA API versions the reader understands: v2 and v2beta2 share a shape, v2beta1 and v1 are older shapes. */
export const HPA_API_VERSIONS = ['autoscaling/v2', 'autoscaling/v2beta2', 'autoscaling/v2beta1', 'autoscaling/v1'] as const;

const UNSUPPORTED_METRIC = "not supported by Ebb's hpa plugin, which scales on whole pods' CPU and memory, Pods, Object and External metrics";
/** The annotation that takes Pods, Object and External metrics in the HPA's own form. */
const HPA_METRICS_KEY = 'ebb.dev/hpa.metrics';

/**
 * Converts a Kubernetes HorizontalPodAutoscaler to `ebb.dev/hpa.*` annotations (the same algorithm, see
 * packages/plugin-hpa): Resource cpu/memory targets, Pods, Object and External metrics (autoscaling/v2 and
 * v2beta2, as `ebb.dev/hpa.metrics` in their own form), minReplicas (default 1), maxReplicas and behavior.
 * ContainerResource metrics and v2beta1's custom metrics get a note each. Without any metric the HPA's default applies:
 * CPU at 80 %. Example: `metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization,
 * averageUtilization: 50}}}]` -> `ebb.dev/hpa.cpu-utilization: "50"`.
 * @throws ConvertInputError for a field that does not fit the HPA API (wrong type or range, missing maxReplicas).
 */
export function convertHpa(obj: SourceObject, source: SourceRef): Conversion {
  const f = new FieldReader(describeSource(source));
  const apiVersion = String(obj.apiVersion);
  const spec = f.mapping(obj.spec, 'spec') ?? f.fail('spec', obj.spec, 'a HorizontalPodAutoscaler spec');
  const notes: string[] = [];
  const target = scaleTarget(f, spec.scaleTargetRef, 'spec.scaleTargetRef', source.namespace, { notes });
  const minReplicas = f.integer(spec.minReplicas, 'spec.minReplicas', { min: 0 }) ?? 1;
  const maxReplicas = f.requiredInteger(spec.maxReplicas, 'spec.maxReplicas', { min: 1 });
  if (maxReplicas < minReplicas) f.fail('spec.maxReplicas', maxReplicas, `an integer >= spec.minReplicas (${minReplicas})`);
  if (!target) return { source, annotations: {}, notes };

  const metrics: Record<string, string> = {};
  const custom: Mapping[] = [];
  const set = (key: string, value: string, path: string) => {
    if (metrics[key] !== undefined) notes.push(`${path}: a second target for the same resource; Ebb keeps one per kind (${key}: ${metrics[key]}), this one is not carried over`);
    else metrics[key] = value;
  };
  if (apiVersion === 'autoscaling/v1') {
    const cpu = f.integer(spec.targetCPUUtilizationPercentage, 'spec.targetCPUUtilizationPercentage', { min: 1 });
    set(KEYS.hpaCpuUtilization, String(cpu ?? 80), 'spec.targetCPUUtilizationPercentage');
  } else {
    const list = f.list(spec.metrics, 'spec.metrics');
    list.forEach((m, i) => readMetric(f, m, `spec.metrics[${i}]`, apiVersion === 'autoscaling/v2beta1', { set, custom, notes }));
    if (!list.length) set(KEYS.hpaCpuUtilization, '80', 'spec.metrics');
  }
  if (custom.length) metrics[HPA_METRICS_KEY] = stringify(custom);
  if (!Object.keys(metrics).length) {
    notes.push('no metric can be carried over, so no Ebb policy is enabled for this target; keep this HorizontalPodAutoscaler until Ebb supports its metrics');
    return { source, annotations: {}, notes };
  }
  const annotations: Record<string, string> = {
    [KEYS.policies]: 'hpa',
    [KEYS.minReplicas]: String(minReplicas),
    [KEYS.maxReplicas]: String(maxReplicas),
    ...metrics,
  };
  const behavior = apiVersion === 'autoscaling/v2beta1' || apiVersion === 'autoscaling/v1' ? undefined : f.mapping(spec.behavior, 'spec.behavior');
  if (behavior) annotations[KEYS.hpaBehavior] = stringify(behavior);
  const fromZero = custom.some((m) => m.type === 'Object' || m.type === 'External');
  if (minReplicas === 0 && !fromZero) notes.push('minReplicas 0: the hpa policy never recommends fewer than 1 pod without an Object or External metric (as the HPA); another policy must ask for zero');
  return { source, target, annotations, notes };
}

/** Where {@link readMetric} puts what it reads. */
interface MetricSink {
  readonly set: (key: string, value: string, path: string) => void;
  /** Pods, Object and External metric specs, as written. */
  readonly custom: Mapping[];
  readonly notes: string[];
}

/** A Pods, Object or External metric: kept as written when the hpa plugin accepts it, else a note with the reason. */
function readCustomMetric(m: Mapping, path: string, type: string, v2beta1: boolean, out: MetricSink): void {
  if (v2beta1) {
    out.notes.push(`${path}: ${type} metric${metricName(m, type)} is in the autoscaling/v2beta1 form; write it in the autoscaling/v2 form to carry it over`);
    return;
  }
  const problems: string[] = [];
  parseMetricSpecs([m], (message) => problems.push(message));
  if (problems.length) out.notes.push(`${path}: ${type} metric${metricName(m, type)} not carried over: ${problems.join('; ').replaceAll('metrics[0]', path)}`);
  else out.custom.push(m);
}

function readMetric(f: FieldReader, value: unknown, path: string, v2beta1: boolean, out: MetricSink): void {
  const { set, notes } = out;
  const m = f.mapping(value, path) ?? f.fail(path, value, 'a metric spec');
  const type = f.oneOf(m.type, `${path}.type`, ['Resource', 'Pods', 'Object', 'External', 'ContainerResource'] as const, 'Resource');
  if (m.type === undefined) f.fail(`${path}.type`, m.type, 'one of Resource, Pods, Object, External, ContainerResource (required)');
  if (type === 'Pods' || type === 'Object' || type === 'External') return readCustomMetric(m, path, type, v2beta1, out);
  if (type !== 'Resource') {
    notes.push(`${path}: ${type} metric${metricName(m, type)} is ${UNSUPPORTED_METRIC}; not carried over`);
    return;
  }
  const r = f.mapping(m.resource, `${path}.resource`) ?? f.fail(`${path}.resource`, m.resource, 'a resource metric source (required for type Resource)');
  const name = f.requiredString(r.name, `${path}.resource.name`);
  if (name !== 'cpu' && name !== 'memory') {
    notes.push(`${path}: resource ${name} is ${UNSUPPORTED_METRIC}; not carried over`);
    return;
  }
  if (v2beta1) {
    const utilization = f.integer(r.targetAverageUtilization, `${path}.resource.targetAverageUtilization`, { min: 1 });
    const average = quantity(f, r.targetAverageValue, `${path}.resource.targetAverageValue`);
    if (utilization !== undefined) set(name === 'cpu' ? KEYS.hpaCpuUtilization : KEYS.hpaMemoryUtilization, String(utilization), path);
    else if (average !== undefined) set(name === 'cpu' ? KEYS.hpaCpuAverage : KEYS.hpaMemoryAverage, average, path);
    else f.fail(`${path}.resource`, r, 'targetAverageUtilization or targetAverageValue');
    return;
  }
  const t = f.mapping(r.target, `${path}.resource.target`) ?? f.fail(`${path}.resource.target`, r.target, 'a metric target (required)');
  const kind = f.oneOf(t.type, `${path}.resource.target.type`, ['Utilization', 'AverageValue'] as const, 'Utilization');
  if (t.type === undefined) f.fail(`${path}.resource.target.type`, t.type, 'Utilization or AverageValue (required)');
  if (kind === 'Utilization') {
    const u = f.requiredInteger(t.averageUtilization, `${path}.resource.target.averageUtilization`, { min: 1 });
    set(name === 'cpu' ? KEYS.hpaCpuUtilization : KEYS.hpaMemoryUtilization, String(u), path);
  } else {
    const q = quantity(f, t.averageValue, `${path}.resource.target.averageValue`) ?? f.fail(`${path}.resource.target.averageValue`, t.averageValue, 'a quantity such as 500m or 512Mi (required)');
    set(name === 'cpu' ? KEYS.hpaCpuAverage : KEYS.hpaMemoryAverage, q, path);
  }
}

/** A Kubernetes quantity: a YAML number or a string such as `500m`, `1.5`, `512Mi`. */
export function quantity(f: FieldReader, value: unknown, path: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return String(value);
  if (typeof value === 'string' && /^\+?(\d+\.?\d*|\.\d+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei|[eE][-+]?\d+)?$/.test(value.trim())) return value.trim();
  return f.fail(path, value, 'a positive quantity such as 500m, 1.5 or 512Mi');
}

function metricName(m: Mapping, type: string): string {
  const key = type === 'ContainerResource' ? 'containerResource' : type.toLowerCase();
  const source = m[key] as { metric?: { name?: unknown }; name?: unknown } | undefined;
  const name = source?.metric?.name ?? source?.name;
  return typeof name === 'string' ? ` ${name}` : '';
}
