import type { FieldReader } from './convert-fields.ts';
import type { TargetRef } from './convert-types.ts';

/**
 * The Deployment a `scaleTargetRef` names, in the object's namespace. `kind` defaults to Deployment (as KEDA's
 * does); another kind (StatefulSet, a custom resource) gets a note and no target, since Ebb scales Deployments.
 * `nameKeys` are tried in order (the HTTP add-on's older `deployment` field, then `name`).
 * @throws ConvertInputError when the reference is not a mapping or has no name.
 */
export function scaleTarget(
  f: FieldReader,
  value: unknown,
  path: string,
  namespace: string,
  options: { readonly nameKeys?: readonly string[]; readonly notes: string[] },
): TargetRef | undefined {
  const ref = f.mapping(value, path) ?? f.fail(path, value, 'a mapping with the name of the Deployment to scale (required)');
  const keys = options.nameKeys ?? ['name'];
  const key = keys.find((k) => ref[k] !== undefined) ?? keys[0] ?? 'name';
  const name = f.requiredString(ref[key], `${path}.${key}`);
  const kind = f.string(ref.kind, `${path}.kind`) ?? 'Deployment';
  const apiVersion = f.string(ref.apiVersion, `${path}.apiVersion`) ?? 'apps/v1';
  if (kind !== 'Deployment' || !/^(apps|extensions)\//.test(apiVersion)) {
    options.notes.push(`${path}: ${kind} ${name} (${apiVersion}) is not a Deployment; Ebb scales Deployments only, so nothing is converted for it`);
    return undefined;
  }
  return { namespace, name };
}
