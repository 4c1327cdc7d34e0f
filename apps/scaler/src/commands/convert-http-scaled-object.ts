import { FieldReader } from './convert-fields.ts';
import { durationSeconds, httpScaling, queueTimeout, routeHosts, routePaths, unsupportedHttpFields, type HttpSettings } from './convert-keda-http.ts';
import { KEYS } from './convert-keys.ts';
import { HPA_DOWNSCALE_STABILIZATION_S, scaleDownTiming } from './convert-scale-down.ts';
import { scaleTarget } from './convert-target.ts';
import { describeSource, type Conversion, type SourceObject, type SourceRef } from './convert-types.ts';

/**
 * Converts a KEDA HTTP add-on HTTPScaledObject (http.keda.sh/v1alpha1) to event-gateway routing
 * (`ebb.dev/eventgw.host`, `path-prefix`) and scaling (see {@link httpScaling}) on its Deployment, with
 * `replicas.min`/`max` (default 0/100) as bounds and `scaledownPeriod` (default 300 s) as the scale-to-zero grace
 * period. Example: hosts [myhost.com], concurrency 200 -> eventgw policy, host myhost.com, target 200.
 * @throws ConvertInputError for a malformed field.
 */
export function convertHttpScaledObject(obj: SourceObject, source: SourceRef): Conversion {
  const f = new FieldReader(describeSource(source));
  const spec = f.mapping(obj.spec, 'spec') ?? f.fail('spec', obj.spec, 'an HTTPScaledObject spec');
  const out: HttpSettings = { annotations: {}, policies: new Set(), notes: [] };
  const target = scaleTarget(f, spec.scaleTargetRef, 'spec.scaleTargetRef', source.namespace, { nameKeys: ['name', 'deployment'], notes: out.notes });
  const replicas = f.mapping(spec.replicas, 'spec.replicas');
  const min = f.integer(replicas?.min, 'spec.replicas.min', { min: 0 }) ?? 0;
  const max = f.integer(replicas?.max, 'spec.replicas.max', { min: 1 }) ?? 100;
  if (max < min) f.fail('spec.replicas.max', max, `an integer >= spec.replicas.min (${min})`);
  const hosts = f.list(spec.hosts, 'spec.hosts').map((h, i) => f.requiredString(h, `spec.hosts[${i}]`));
  const host = f.string(spec.host, 'spec.host'); // the field before `hosts`
  routeHosts(host ? [host, ...hosts] : hosts, 'spec.hosts', out);
  routePaths(f.list(spec.pathPrefixes, 'spec.pathPrefixes').map((p, i) => f.requiredString(p, `spec.pathPrefixes[${i}]`)), 'spec.pathPrefixes', out);
  const pending = f.integer(spec.targetPendingRequests, 'spec.targetPendingRequests', { min: 1 });
  httpScaling(f, spec.scalingMetric, 'spec.scalingMetric', pending, out);
  if (!target) return { source, annotations: {}, notes: out.notes };

  const ref = f.mapping(spec.scaleTargetRef, 'spec.scaleTargetRef') ?? {};
  const service = f.string(ref.service, 'spec.scaleTargetRef.service');
  if (service && service !== target.name) out.annotations[KEYS.gwService] = service;
  if (ref.port !== undefined || ref.portName !== undefined) {
    out.notes.push(
      `spec.scaleTargetRef: the event gateway forwards to the pods directly, not to Service port ${String(ref.port ?? ref.portName)}: to the container port named http, else the first container port; set ebb.dev/eventgw.port if that is not the right one`,
    );
  }
  const timeouts = f.mapping(spec.timeouts, 'spec.timeouts');
  const wait = durationSeconds(f, timeouts?.conditionWait, 'spec.timeouts.conditionWait');
  if (wait !== undefined) out.annotations[KEYS.gwQueueTimeout] = queueTimeout(wait);
  if (timeouts?.responseHeader !== undefined) out.notes.push('spec.timeouts.responseHeader not carried over: the gateway\'s response idle timeout is gateway-wide (limits.responseIdleTimeoutMs)');
  unsupportedHttpFields(
    spec,
    'spec',
    {
      headers: 'the event gateway routes by host and path only',
      coldStartTimeoutFailoverRef: 'the gateway holds requests until a pod is Ready (ebb.dev/eventgw.queue-timeout), it has no failover Service',
      placeholderConfig: 'the gateway holds requests at zero instead of answering with a placeholder page',
      initialCooldownPeriod: 'Ebb has no delay before the first scale to zero other than the grace period',
    },
    out,
  );
  const period = f.integer(spec.scaledownPeriod, 'spec.scaledownPeriod', { min: 0 }) ?? 300;
  const annotations: Record<string, string> = {
    [KEYS.policies]: [...out.policies].join(','),
    [KEYS.minReplicas]: String(min),
    [KEYS.maxReplicas]: String(max),
    ...out.annotations,
  };
  // The add-on's ScaledObject has no behavior: its HPA scales down with the controller's default window.
  Object.assign(annotations, scaleDownTiming(out.policies, HPA_DOWNSCALE_STABILIZATION_S, { seconds: period, field: 'spec.scaledownPeriod' }, min, out.notes));
  return { source, target, annotations, notes: out.notes };
}
