import { parseAllDocuments } from 'yaml';
import { convertHpa, HPA_API_VERSIONS } from './convert-hpa.ts';
import { convertHttpScaledObject } from './convert-http-scaled-object.ts';
import { readInterceptorRoute, type InterceptorRouteSettings } from './convert-interceptor-route.ts';
import { KEYS } from './convert-keys.ts';
import { convertKnativeService } from './convert-knative.ts';
import { convertScaledObject } from './convert-scaled-object.ts';
import { ConvertInputError, describeSource, type Conversion, type SourceObject, type SourceRef, type TargetRef } from './convert-types.ts';

/** The annotations for one Deployment, merged from every source object that targets it. */
export interface ConvertedTarget extends TargetRef {
  readonly annotations: Readonly<Record<string, string>>;
  readonly sources: readonly SourceRef[];
}

/** A line about one source object: a setting not carried over (or carried over with a difference), and why. */
export interface ConvertNote {
  readonly where: string;
  readonly text: string;
}

/** The result of converting one manifest. `errors` name the document, field, value and what is allowed. */
export interface ManifestConversion {
  readonly targets: readonly ConvertedTarget[];
  readonly notes: readonly ConvertNote[];
  readonly errors: readonly string[];
  /** How many objects were read as autoscaler sources (0: nothing to convert in the input). */
  readonly sourceCount: number;
}

/** Kinds `ebb convert` reads, for messages. */
export const CONVERTIBLE_KINDS = 'HorizontalPodAutoscaler (autoscaling/v2, v2beta2, v2beta1, v1), ScaledObject (keda.sh/v1alpha1), HTTPScaledObject (http.keda.sh/v1alpha1), InterceptorRoute (http.keda.sh/v1beta1), Service (serving.knative.dev/v1)';

type Kind = 'hpa' | 'scaledobject' | 'httpscaledobject' | 'interceptorroute' | 'knative' | 'scaledjob';

/**
 * Converts every autoscaler in a manifest (multi-document YAML, Lists too) into annotations per Deployment.
 * Pure: `knownKeys` are the annotation keys the scaler reads (for Knative annotations). Objects of other kinds
 * (Deployments, Services, ...) are skipped. InterceptorRoutes are joined with the ScaledObjects that name them.
 * Several sources for one Deployment are merged: policies are combined, a key set twice keeps the first value
 * (with a note). A document with bad input gives an error and nothing else from that document.
 */
export function convertManifest(text: string, file: string, knownKeys: ReadonlySet<string>): ManifestConversion {
  const errors: string[] = [];
  const objects: { obj: SourceObject; source: SourceRef; kind: Kind }[] = [];
  parseAllDocuments(text).forEach((doc, i) => {
    if (doc.errors.length) {
      errors.push(`${file}: document ${i + 1}: not valid YAML: ${(doc.errors[0]?.message ?? '').split('\n')[0]}`);
      return;
    }
    const root = doc.toJS() as SourceObject | null;
    if (!root || typeof root !== 'object') return;
    const items = typeof root.kind === 'string' && root.kind.endsWith('List') && Array.isArray((root as { items?: unknown }).items) ? ((root as { items: SourceObject[] }).items) : [root];
    for (const obj of items) {
      if (!obj || typeof obj !== 'object') continue;
      try {
        const kind = kindOf(obj, file, i + 1);
        if (kind) objects.push({ obj, source: sourceOf(obj, file, i + 1), kind });
      } catch (e) {
        errors.push(message(e));
      }
    }
  });
  const routes = new Map<string, InterceptorRouteSettings>();
  const used = new Set<string>();
  for (const { obj, source, kind } of objects) {
    if (kind !== 'interceptorroute') continue;
    try {
      routes.set(`${source.namespace}/${source.name}`, readInterceptorRoute(obj, source));
    } catch (e) {
      errors.push(message(e));
    }
  }
  const conversions: Conversion[] = [];
  for (const { obj, source, kind } of objects) {
    try {
      if (kind === 'hpa') conversions.push(convertHpa(obj, source));
      else if (kind === 'scaledobject')
        conversions.push(
          convertScaledObject(obj, source, (ns, name) => {
            used.add(`${ns}/${name}`);
            return routes.get(`${ns}/${name}`);
          }),
        );
      else if (kind === 'httpscaledobject') conversions.push(convertHttpScaledObject(obj, source));
      else if (kind === 'knative') conversions.push(convertKnativeService(obj, source, knownKeys));
      else if (kind === 'scaledjob') conversions.push({ source, annotations: {}, notes: ['ScaledJob runs Jobs for events; Ebb scales Deployments, so it is not converted'] });
    } catch (e) {
      errors.push(message(e));
    }
  }
  for (const [key, route] of routes) {
    if (!used.has(key)) conversions.push({ source: route.source, annotations: {}, notes: [`no ScaledObject in the input names this InterceptorRoute (trigger external-push, metadata.interceptorRoute: ${route.source.name}), so the Deployment it scales is unknown; convert them together`] });
  }
  return { ...merge(conversions), errors, sourceCount: objects.length };
}

function merge(conversions: readonly Conversion[]): { targets: ConvertedTarget[]; notes: ConvertNote[] } {
  const targets = new Map<string, { namespace: string; name: string; annotations: Record<string, string>; sources: SourceRef[]; first: string }>();
  const notes: ConvertNote[] = [];
  for (const c of conversions) {
    const where = describeSource(c.source);
    notes.push(...c.notes.map((text) => ({ where, text })));
    if (!c.target) continue;
    const key = `${c.target.namespace}/${c.target.name}`;
    const t = targets.get(key) ?? { ...c.target, annotations: {}, sources: [], first: where };
    targets.set(key, t);
    t.sources.push(c.source);
    for (const [k, v] of Object.entries(c.annotations)) {
      const had = t.annotations[k];
      if (k === KEYS.policies && had !== undefined) t.annotations[k] = [...new Set([...had.split(','), ...v.split(',')])].sort().join(',');
      else if (had === undefined) t.annotations[k] = v;
      else if (had !== v) notes.push({ where, text: `${k}: "${v.trim()}" conflicts with "${had.trim()}" from ${t.first} for Deployment ${key}; kept the first` });
    }
  }
  return { targets: [...targets.values()].map(({ first: _first, ...t }) => t), notes };
}

function kindOf(obj: SourceObject, file: string, document: number): Kind | undefined {
  const apiVersion = typeof obj.apiVersion === 'string' ? obj.apiVersion : '';
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  const check = (allowed: readonly string[], kind: Kind): Kind => {
    if (allowed.includes(apiVersion)) return kind;
    throw new ConvertInputError(`${file}: document ${document} (${String(obj.kind)})`, 'apiVersion', JSON.stringify(apiVersion), allowed.join(', '));
  };
  switch (obj.kind) {
    case 'HorizontalPodAutoscaler':
      return group === 'autoscaling' ? check(HPA_API_VERSIONS, 'hpa') : undefined;
    case 'ScaledObject':
      return group === 'keda.sh' ? check(['keda.sh/v1alpha1'], 'scaledobject') : undefined;
    case 'ScaledJob':
      return group === 'keda.sh' ? 'scaledjob' : undefined;
    case 'HTTPScaledObject':
      return group === 'http.keda.sh' ? check(['http.keda.sh/v1alpha1'], 'httpscaledobject') : undefined;
    case 'InterceptorRoute':
      return group === 'http.keda.sh' ? check(['http.keda.sh/v1beta1'], 'interceptorroute') : undefined;
    case 'Service':
      return group === 'serving.knative.dev' ? check(['serving.knative.dev/v1', 'serving.knative.dev/v1beta1', 'serving.knative.dev/v1alpha1'], 'knative') : undefined;
    default:
      return undefined;
  }
}

function sourceOf(obj: SourceObject, file: string, document: number): SourceRef {
  const kind = String(obj.kind);
  const name = obj.metadata?.name;
  const namespace = obj.metadata?.namespace ?? 'default';
  if (typeof name !== 'string' || !name) throw new ConvertInputError(`${file}: document ${document} (${kind})`, 'metadata.name', JSON.stringify(name ?? null), 'the object\'s name (required)');
  if (typeof namespace !== 'string' || !namespace) throw new ConvertInputError(`${file}: document ${document} (${kind} ${name})`, 'metadata.namespace', JSON.stringify(namespace), 'a namespace name');
  return { file, document, kind, namespace, name };
}

function message(e: unknown): string {
  if (e instanceof ConvertInputError) return e.message;
  throw e;
}
