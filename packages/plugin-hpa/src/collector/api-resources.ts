import type { KubeConfig } from '@kubernetes/client-node';
import type { DescribedObject } from '../custom-metric.ts';
import { kubeGetJson } from './kube-get.ts';

/** One entry of an `APIResourceList`, as far as it is read here. */
interface ApiResource {
  readonly name?: string;
  readonly kind?: string;
}

/**
 * Maps an object's kind to its resource as the custom metrics API names it (`<plural>.<group>`, or `<plural>` in
 * the core group), from the apiserver's discovery (`GET /api/v1`, `GET /apis/<group>/<version>`), like the
 * controller's REST mapper. Answers are kept per API version for the life of the collector; failures are not.
 * Example: `apps/v1` `Deployment` -> `deployments.apps`; `v1` `Service` -> `services`.
 */
export function apiResourceMapper(kc: KubeConfig): (object: DescribedObject, signal: AbortSignal) => Promise<string> {
  const lists = new Map<string, Promise<readonly ApiResource[]>>();
  return async (object, signal) => {
    const { apiVersion, kind } = object;
    let list = lists.get(apiVersion);
    if (!list) {
      const path = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
      list = kubeGetJson(kc, path, signal).then((body) => ((body as { resources?: ApiResource[] }).resources ?? []));
      lists.set(apiVersion, list);
      list.catch(() => lists.delete(apiVersion));
    }
    const found = (await list).find((r) => r.kind === kind && r.name !== undefined && !r.name.includes('/'));
    if (!found?.name) throw new Error(`unable to map kind ${kind} of ${apiVersion} to a resource: the API server does not serve it`);
    const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
    return group ? `${found.name}.${group}` : found.name;
  };
}
