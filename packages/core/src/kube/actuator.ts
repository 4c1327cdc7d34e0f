import { AppsV1Api, type KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import type { Actuator, ScaleTarget } from '../contracts/cluster.ts';
import type { TargetKey } from '../contracts/target.ts';
import { EbbError, ErrorCodes } from '../contracts/errors.ts';

/** HTTP status of a client-node ApiException, if any. */
export function httpStatus(e: unknown): number | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

/**
 * Scales Deployments through the scale subresource with a JSON merge patch that carries the resourceVersion
 * the decision was based on, so a concurrent writer causes a 409 instead of a lost update. On 409 it reads the
 * scale again and retries with a short exponential backoff (10, 20, 40, ... ms; at most `maxAttempts` times),
 * as the HPA controller's RetryOnConflict does: a busy Deployment controller bumps the resourceVersion with
 * every status update, so a few conflicts in a row are normal. With `stillOwns` (leader election, sharding) a
 * retry is made only while this replica still owns the target: a conflict can be the new owner's write, and a
 * replica that lost its lease must not overwrite it.
 */
export class KubeActuator implements Actuator {
  private readonly apps: AppsV1Api;
  private readonly maxAttempts: number;
  private readonly stillOwns: (key: TargetKey) => boolean;

  constructor(kc: KubeConfig, options: { maxAttempts?: number; stillOwns?: (key: TargetKey) => boolean } = {}) {
    this.apps = kc.makeApiClient(AppsV1Api);
    this.maxAttempts = options.maxAttempts ?? 6;
    this.stillOwns = options.stillOwns ?? (() => true);
  }

  async scale(target: ScaleTarget, replicas: number): Promise<void> {
    const { name, namespace } = target.ref;
    let resourceVersion: string | undefined = target.resourceVersion || undefined;
    for (let attempt = 1; ; attempt++) {
      const body = { metadata: resourceVersion ? { resourceVersion } : {}, spec: { replicas } };
      try {
        await this.apps.patchNamespacedDeploymentScale({ name, namespace, body, fieldManager: 'ebb' }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
        return;
      } catch (e) {
        if (httpStatus(e) !== 409 || attempt >= this.maxAttempts) {
          throw new EbbError(ErrorCodes.SCALE_FAILED, `scaling ${target.key} to ${replicas} failed (attempt ${attempt}): ${errorText(e)}`, { cause: e });
        }
        if (!this.stillOwns(target.key)) {
          throw new EbbError(ErrorCodes.SCALE_FAILED, `scaling ${target.key} to ${replicas} not retried after a conflict: this replica no longer owns the target`, { cause: e });
        }
        await new Promise((r) => setTimeout(r, 10 * 2 ** (attempt - 1)));
        const fresh = await this.apps.readNamespacedDeploymentScale({ name, namespace });
        resourceVersion = fresh.metadata?.resourceVersion;
      }
    }
  }
}

/** A short text for a client-node error (status code and the apiserver's message). */
export function errorText(e: unknown): string {
  const status = httpStatus(e);
  const body = (e as { body?: unknown } | null)?.body;
  let message = e instanceof Error ? e.message.split('\n')[0] : String(e);
  if (typeof body === 'string') {
    try {
      message = (JSON.parse(body) as { message?: string }).message ?? message;
    } catch {
      /* body is not JSON */
    }
  }
  return status ? `HTTP ${status}: ${message}` : (message ?? 'unknown error');
}
