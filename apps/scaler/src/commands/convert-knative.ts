import { FieldReader } from './convert-fields.ts';
import { KEYS } from './convert-keys.ts';
import { describeSource, type Conversion, type SourceObject, type SourceRef } from './convert-types.ts';

const KNATIVE_AUTOSCALING = 'autoscaling.knative.dev/';
const HPA_CLASS = 'hpa.autoscaling.knative.dev';

/**
 * Converts a Knative Service (serving.knative.dev/v1) for a Deployment of the same name and namespace: Ebb reads
 * the `autoscaling.knative.dev/*` annotations of `spec.template.metadata` unchanged (same names, meaning and
 * ranges), so they are copied as they are; `spec.template.spec.containerConcurrency` becomes
 * `ebb.dev/kpa.container-concurrency`, and a container port named `h2c` `ebb.dev/eventgw.protocol: h2c`. Annotations Ebb does not read (not in `knownKeys`), HPA-class custom
 * metrics, and traffic splits or tags get a note each.
 * @throws ConvertInputError for a malformed field.
 */
export function convertKnativeService(obj: SourceObject, source: SourceRef, knownKeys: ReadonlySet<string>): Conversion {
  const f = new FieldReader(describeSource(source));
  const spec = f.mapping(obj.spec, 'spec') ?? {};
  const template = f.mapping(spec.template, 'spec.template') ?? {};
  const meta = f.mapping(template.metadata, 'spec.template.metadata') ?? {};
  const given = f.mapping(meta.annotations, 'spec.template.metadata.annotations') ?? {};
  const podSpec = f.mapping(template.spec, 'spec.template.spec') ?? {};
  const notes: string[] = [
    `Knative made the Deployment from spec.template; with Ebb, create Deployment ${source.namespace}/${source.name} from it (same containers) and apply these annotations to it`,
  ];
  const annotations: Record<string, string> = {};
  for (const [key, value] of Object.entries(given)) {
    if (!key.startsWith(KNATIVE_AUTOSCALING)) continue;
    const text = typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : f.fail(`spec.template.metadata.annotations["${key}"]`, value, 'a string');
    if (knownKeys.has(key)) annotations[key] = text;
    else notes.push(`annotation ${key}: "${text}" is not read by Ebb; not carried over`);
  }
  const klass = annotations[`${KNATIVE_AUTOSCALING}class`];
  const metric = annotations[`${KNATIVE_AUTOSCALING}metric`];
  if (klass === HPA_CLASS && metric !== undefined && metric !== 'cpu' && metric !== 'memory') {
    notes.push(`${KNATIVE_AUTOSCALING}metric: "${metric}" with the HPA class (a custom metric HPA) is not supported by Ebb's hpa plugin; metric and target not carried over, so the hpa policy scales on CPU at 80 %`);
    delete annotations[`${KNATIVE_AUTOSCALING}metric`];
    delete annotations[`${KNATIVE_AUTOSCALING}target`];
  }
  const cc = f.integer(podSpec.containerConcurrency, 'spec.template.spec.containerConcurrency', { min: 0, max: 1000 });
  if (cc !== undefined && klass !== HPA_CLASS) {
    annotations[KEYS.kpaContainerConcurrency] = String(cc);
    if (cc > 0) notes.push(`containerConcurrency ${cc}: Knative's queue-proxy enforces it; with Ebb the event gateway does, for targets it routes (ebb.dev/eventgw.host and ebb.dev/eventgw.container-concurrency: "${cc}")`);
  }
  if (klass !== HPA_CLASS) {
    notes.push(
      'the KPA needs request metrics: Knative reads them from its queue-proxy; with Ebb they come from the event gateway (ebb.dev/eventgw.host), pod scraping or Prometheus (ebb.dev/kpa.metric-source, see packages/plugin-kpa), and requests reach a target at zero only through the gateway',
    );
  }
  const h2c = f.list(podSpec.containers, 'spec.template.spec.containers').some((c) =>
    f.list((c as { ports?: unknown } | null)?.ports, 'spec.template.spec.containers[].ports').some((p) => (p as { name?: unknown } | null)?.name === 'h2c'),
  );
  if (h2c) annotations[KEYS.gwProtocol] = 'h2c'; // Knative's mark for HTTP/2 (gRPC) pods
  const traffic = f.list(spec.traffic, 'spec.traffic');
  const split = traffic.filter((t) => {
    const e = f.mapping(t, 'spec.traffic[]') ?? {};
    return e.tag !== undefined || (typeof e.percent === 'number' && e.percent > 0 && e.percent < 100) || e.revisionName !== undefined;
  });
  if (split.length) {
    notes.push(`spec.traffic (${traffic.length} entries: revisions, percentages or tags) not carried over: with Ebb each version is a Deployment of its own and a Gateway API HTTPRoute with weighted backendRefs splits the traffic`);
  }
  return { source, target: { namespace: source.namespace, name: source.name }, annotations, notes };
}
