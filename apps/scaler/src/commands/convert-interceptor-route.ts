import { FieldReader } from './convert-fields.ts';
import { durationSeconds, httpScaling, queueTimeout, routeHosts, routePaths, unsupportedHttpFields, type HttpSettings } from './convert-keda-http.ts';
import { KEYS } from './convert-keys.ts';
import { describeSource, type SourceObject, type SourceRef } from './convert-types.ts';

/** An InterceptorRoute's settings, to be joined with the ScaledObject whose trigger names it. */
export interface InterceptorRouteSettings extends HttpSettings {
  readonly source: SourceRef;
  /** `spec.target.service`: the Service the add-on routes to. */
  readonly service: string;
}

/**
 * Reads a KEDA HTTP add-on InterceptorRoute (http.keda.sh/v1beta1): the hosts and paths of all its `rules`
 * (-> event-gateway routing), `scalingMetric` (see {@link httpScaling}) and `timeouts.readiness`
 * (-> `ebb.dev/eventgw.queue-timeout`). It names a Service, not a Deployment: the Deployment, bounds and cooldown
 * come from the ScaledObject whose `external-push` trigger has `interceptorRoute: <name>`.
 * @throws ConvertInputError for a malformed field.
 */
export function readInterceptorRoute(obj: SourceObject, source: SourceRef): InterceptorRouteSettings {
  const f = new FieldReader(describeSource(source));
  const spec = f.mapping(obj.spec, 'spec') ?? f.fail('spec', obj.spec, 'an InterceptorRoute spec');
  const target = f.mapping(spec.target, 'spec.target') ?? f.fail('spec.target', spec.target, 'a mapping with service and port or portName (required)');
  const service = f.requiredString(target.service, 'spec.target.service');
  const out: InterceptorRouteSettings = { source, service, annotations: {}, policies: new Set(), notes: [] };
  const hosts: string[] = [];
  const paths: string[] = [];
  f.list(spec.rules, 'spec.rules').forEach((r, i) => {
    const rule = f.mapping(r, `spec.rules[${i}]`) ?? f.fail(`spec.rules[${i}]`, r, 'a routing rule');
    f.list(rule.hosts, `spec.rules[${i}].hosts`).forEach((h, j) => hosts.push(f.requiredString(h, `spec.rules[${i}].hosts[${j}]`)));
    f.list(rule.paths, `spec.rules[${i}].paths`).forEach((p, j) => {
      const m = f.mapping(p, `spec.rules[${i}].paths[${j}]`) ?? f.fail(`spec.rules[${i}].paths[${j}]`, p, 'a mapping with value');
      paths.push(f.requiredString(m.value, `spec.rules[${i}].paths[${j}].value`));
    });
    if (rule.headers !== undefined) out.notes.push(`spec.rules[${i}].headers not carried over: the event gateway routes by host and path only`);
  });
  routeHosts(hosts, 'spec.rules', out);
  routePaths(paths, 'spec.rules', out);
  httpScaling(f, spec.scalingMetric ?? f.fail('spec.scalingMetric', spec.scalingMetric, 'a mapping with concurrency and/or requestRate (required)'), 'spec.scalingMetric', undefined, out);
  if (target.port !== undefined || target.portName !== undefined) {
    out.notes.push(
      `spec.target: the event gateway forwards to the pods directly, not to Service port ${String(target.port ?? target.portName)}: to the container port named http, else the first container port; set ebb.dev/eventgw.port if that is not the right one`,
    );
  }
  const timeouts = f.mapping(spec.timeouts, 'spec.timeouts');
  const readiness = durationSeconds(f, timeouts?.readiness, 'spec.timeouts.readiness');
  if (readiness !== undefined) out.annotations[KEYS.gwQueueTimeout] = queueTimeout(readiness);
  if (timeouts?.request !== undefined || timeouts?.responseHeader !== undefined) {
    out.notes.push('spec.timeouts.request/responseHeader not carried over: the gateway\'s request and response timeouts are gateway-wide (limits)');
  }
  unsupportedHttpFields(
    spec,
    'spec',
    {
      coldStart: 'the gateway holds requests until a pod is Ready (ebb.dev/eventgw.queue-timeout); it has no fallback Service or placeholder response',
      staticRoutes: 'the event gateway has no static responses',
    },
    out,
  );
  return out;
}
