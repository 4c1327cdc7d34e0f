import { AppsV1Api, makeInformer, type Informer, type KubeConfig, type ObjectCache, type V1Deployment } from '@kubernetes/client-node';
import { systemClock } from '../contracts/clock.ts';
import type { Logger } from '../contracts/observe.ts';
import { keepReconnectsPrompt } from './watch-backoff.ts';

/** A Deployment informer with its cache. */
export type DeploymentInformer = Informer<V1Deployment> & ObjectCache<V1Deployment>;

/** Options of {@link deploymentInformers}. */
export interface DeploymentInformersOptions {
  /** Namespaces to watch; empty or undefined means one informer for all namespaces. */
  readonly namespaces?: readonly string[] | undefined;
  readonly labelSelector: string;
  /** Names the watch in the log line of an interruption: `<what> watch interrupted; reconnecting`. */
  readonly what: string;
  readonly logger: Logger;
  /** Pause before an informer stopped by an error is started again, in ms. */
  readonly restartDelayMs: number;
  /** True once the owner stopped: no restart then. */
  readonly stopped: () => boolean;
}

/**
 * Informers (not started) of the Deployments matching a label selector, one per namespace or one for all, that
 * keep watching on their own: client-node informers re-watch by themselves when a watch ends cleanly but stop for
 * good on an error (a refused connection while kube-apiserver restarts), so each is started again after a short
 * pause, resuming from its last resourceVersion; and a healthy watch that ends is renewed at once
 * ({@link keepReconnectsPrompt}). The caller adds its `add`/`update`/`delete` handlers and starts them.
 */
export function deploymentInformers(kc: KubeConfig, o: DeploymentInformersOptions): DeploymentInformer[] {
  const apps = kc.makeApiClient(AppsV1Api);
  const { labelSelector } = o;
  const namespaces = o.namespaces?.length ? o.namespaces : [undefined];
  return namespaces.map((namespace) => {
    const informer = namespace
      ? makeInformer(kc, `/apis/apps/v1/namespaces/${namespace}/deployments`, () => apps.listNamespacedDeployment({ namespace, labelSelector }), labelSelector)
      : makeInformer(kc, '/apis/apps/v1/deployments', () => apps.listDeploymentForAllNamespaces({ labelSelector }), labelSelector);
    keepReconnectsPrompt(informer, systemClock);
    const restart = (err: unknown): void => {
      if (o.stopped()) return;
      o.logger.warn(`${o.what} watch interrupted; reconnecting`, { namespace: namespace ?? '*', error: String(err), retryInMs: o.restartDelayMs });
      setTimeout(() => {
        if (!o.stopped()) informer.start().catch(restart);
      }, o.restartDelayMs).unref();
    };
    informer.on('error', restart);
    return informer;
  });
}
