import { FieldReader, type Mapping } from './convert-fields.ts';
import { quantity } from './convert-hpa.ts';
import { KEYS } from './convert-keys.ts';

/** One window of `ebb.dev/cron` (see packages/plugin-cron). */
export interface CronWindow {
  readonly name: string;
  readonly start: string;
  readonly end?: string;
  readonly duration?: string;
  readonly timezone?: string;
  readonly replicas: number;
}

/** What the triggers of one ScaledObject add up to; the readers below fill it in. */
export interface TriggerSink {
  readonly annotations: Record<string, string>;
  readonly policies: Set<string>;
  readonly cronWindows: CronWindow[];
  readonly notes: string[];
  /** The `interceptorRoute` names of `external-push`/`external` triggers, for the HTTP add-on join. */
  readonly interceptorRoutes: string[];
}

/** Trigger types with a counterpart in Ebb. */
export const KEDA_TRIGGER_TYPES = ['cpu', 'memory', 'cron', 'prometheus', 'external-push', 'external'] as const;

/**
 * Converts one KEDA trigger (`spec.triggers[i]`) into `sink`:
 * - `cpu` / `memory` (metricType Utilization or AverageValue, `metadata.value`) -> the hpa policy's targets;
 * - `cron` (timezone, start, end, desiredReplicas) -> a window of the cron policy (a floor while active);
 * - `prometheus` (serverAddress, query, threshold) -> the KPA on that PromQL query, target = threshold per pod at
 *   100 % utilization, so `ceil(value / threshold)` pods like KEDA's AverageValue;
 * - `external-push`/`external` with `interceptorRoute` -> joined with that InterceptorRoute by the caller.
 * Any other type, and settings Ebb has no counterpart for, get a note.
 * @throws ConvertInputError for a missing or malformed field of a supported trigger.
 */
export function readTrigger(f: FieldReader, value: unknown, index: number, sink: TriggerSink): void {
  const path = `spec.triggers[${index}]`;
  const t = f.mapping(value, path) ?? f.fail(path, value, 'a trigger mapping');
  const type = f.requiredString(t.type, `${path}.type`);
  const md = f.mapping(t.metadata, `${path}.metadata`) ?? {};
  switch (type) {
    case 'cpu':
    case 'memory':
      return resourceTrigger(f, t, md, type, path, sink);
    case 'cron':
      return cronTrigger(f, t, md, index, path, sink);
    case 'prometheus':
      return prometheusTrigger(f, t, md, path, sink);
    case 'external-push':
    case 'external': {
      const route = f.string(md.interceptorRoute, `${path}.metadata.interceptorRoute`);
      if (route) sink.interceptorRoutes.push(route);
      else if (typeof md.httpScaledObject === 'string') sink.notes.push(`${path}: ${type} trigger of the HTTP add-on for HTTPScaledObject ${md.httpScaledObject}: convert that HTTPScaledObject instead (it carries the routing and scaling settings)`);
      else sink.notes.push(`${path}: ${type} trigger (an external scaler over gRPC) has no Ebb counterpart; not carried over (a policy plugin can scale on the same metric)`);
      return;
    }
    default:
      sink.notes.push(`${path}: KEDA trigger type ${type} has no Ebb counterpart yet (Ebb converts ${KEDA_TRIGGER_TYPES.slice(0, 4).join(', ')} and the HTTP add-on); not carried over`);
  }
}

function resourceTrigger(f: FieldReader, t: Mapping, md: Mapping, type: 'cpu' | 'memory', path: string, sink: TriggerSink): void {
  // metadata.type is the older spelling of metricType.
  const metricType = f.oneOf(t.metricType ?? md.type, t.metricType !== undefined ? `${path}.metricType` : `${path}.metadata.type`, ['Utilization', 'AverageValue'] as const, 'Utilization');
  if (typeof md.containerName === 'string' && md.containerName !== '') {
    sink.notes.push(`${path}: ${type} of container ${md.containerName} (a ContainerResource metric) is not supported yet by Ebb's hpa plugin, which uses whole pods; not carried over`);
    return;
  }
  const key =
    metricType === 'Utilization' ? (type === 'cpu' ? KEYS.hpaCpuUtilization : KEYS.hpaMemoryUtilization) : type === 'cpu' ? KEYS.hpaCpuAverage : KEYS.hpaMemoryAverage;
  const v =
    metricType === 'Utilization'
      ? String(f.requiredInteger(md.value, `${path}.metadata.value`, { min: 1, strings: true }))
      : (quantity(f, md.value, `${path}.metadata.value`) ?? f.fail(`${path}.metadata.value`, md.value, 'a quantity such as 500m or 512Mi (required)'));
  if (sink.annotations[key] !== undefined) {
    sink.notes.push(`${path}: a second ${type} ${metricType} trigger; Ebb keeps one (${key}: ${sink.annotations[key]}), this one is not carried over`);
    return;
  }
  sink.annotations[key] = v;
  sink.policies.add('hpa');
}

function cronTrigger(f: FieldReader, t: Mapping, md: Mapping, index: number, path: string, sink: TriggerSink): void {
  const timezone = f.requiredString(md.timezone, `${path}.metadata.timezone`);
  const start = f.requiredString(md.start, `${path}.metadata.start`);
  const end = f.requiredString(md.end, `${path}.metadata.end`);
  const replicas = f.requiredInteger(md.desiredReplicas, `${path}.metadata.desiredReplicas`, { min: 0, strings: true });
  const base = (typeof t.name === 'string' ? t.name : `cron-${index + 1}`).replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 60) || `cron-${index + 1}`;
  let name = base;
  for (let i = 2; sink.cronWindows.some((w) => w.name === name); i++) name = `${base}-${i}`;
  sink.cronWindows.push({ name, start, end, timezone, replicas });
  sink.policies.add('cron');
}

function prometheusTrigger(f: FieldReader, t: Mapping, md: Mapping, path: string, sink: TriggerSink): void {
  const server = f.requiredString(md.serverAddress, `${path}.metadata.serverAddress`);
  const query = f.requiredString(md.query, `${path}.metadata.query`);
  const threshold = f.requiredNumber(md.threshold, `${path}.metadata.threshold`, { min: 0, exclusiveMin: true, strings: true });
  const activation = f.number(md.activationThreshold, `${path}.metadata.activationThreshold`, { min: 0, strings: true }) ?? 0;
  const metricType = f.oneOf(t.metricType, `${path}.metricType`, ['AverageValue', 'Value'] as const, 'AverageValue');
  if (metricType === 'Value') {
    sink.notes.push(`${path}: prometheus trigger with metricType Value (the query's total against threshold, scaled by the current pods) has no Ebb counterpart; not carried over (AverageValue is)`);
    return;
  }
  if (sink.policies.has('kpa')) {
    sink.notes.push(`${path}: a second prometheus trigger; the KPA scales a target on one query, so only the first is carried over`);
    return;
  }
  Object.assign(sink.annotations, {
    [KEYS.kpaMetricSource]: 'prometheus',
    [KEYS.kpaPrometheusQuery]: query,
    [KEYS.kpaTarget]: String(Math.max(0.01, threshold)),
    [KEYS.kpaUtilization]: '100',
  });
  sink.policies.add('kpa');
  sink.notes.push(
    `${path}: the query runs in the KPA (ceil(value / ${threshold}) pods, like KEDA's AverageValue), averaged over the KPA's 60 s stable window with its panic mode instead of the HPA's instant value with 10 % tolerance; the scaler needs pluginOptions.kpa.prometheus.url: ${server}`,
  );
  if (activation > 0) sink.notes.push(`${path}: activationThreshold ${activation} is not carried over: the KPA wakes a target at zero on any value above 0`);
  const extras = ['namespace', 'customHeaders', 'authModes', 'queryParameters', 'unsafeSsl', 'timeout', 'ignoreNullValues'].filter((k) => md[k] !== undefined);
  if (t.authenticationRef !== undefined) extras.push('authenticationRef');
  if (extras.length) sink.notes.push(`${path}: ${extras.join(', ')} not carried over: the connection to Prometheus is the scaler's (pluginOptions.kpa.prometheus), one for all targets`);
}
