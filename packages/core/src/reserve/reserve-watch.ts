import type { KubeConfig, V1Deployment } from '@kubernetes/client-node';
import { silentLogger, type Logger } from '../contracts/observe.ts';
import { deploymentInformers, type DeploymentInformer } from '../kube/deployment-informers.ts';
import { RESERVE_ROLE, RESERVE_ROLE_LABEL } from './reserve-manifest.ts';
import { toReserveView, type ReserveView } from './reserve-view.ts';

/** The reserve Deployments as the swap reads them: a cache kept current by a watch. */
export interface ReserveWatch {
  /** The reserve `namespace/name` from the cache; undefined when the cache has none. */
  get(namespace: string, name: string): ReserveView | undefined;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Options of {@link KubeReserveWatch}. */
export interface KubeReserveWatchOptions {
  /** Namespaces to watch (the scaler's); empty or undefined means all namespaces. */
  readonly namespaces?: readonly string[];
  readonly logger?: Logger;
  /** Pause before an informer stopped by an error is started again, in ms (default 500). */
  readonly restartDelayMs?: number;
}

/**
 * Watches Deployments labelled `ebb.dev/reserve-role=reserve` with informers (one per namespace, or one for all),
 * so a tick reads the reserve from memory: in steady state the swap makes no request at all. Informers that stop
 * on an error (an apiserver restart) are started again, resuming from their last resourceVersion.
 */
export class KubeReserveWatch implements ReserveWatch {
  private readonly informers: DeploymentInformer[];
  private readonly views = new Map<string, ReserveView>();
  private readonly logger: Logger;
  private stopped = false;

  constructor(kc: KubeConfig, options: KubeReserveWatchOptions = {}) {
    this.logger = options.logger ?? silentLogger;
    this.informers = deploymentInformers(kc, {
      namespaces: options.namespaces,
      labelSelector: `${RESERVE_ROLE_LABEL}=${RESERVE_ROLE}`,
      what: 'reserve',
      logger: this.logger,
      restartDelayMs: options.restartDelayMs ?? 500,
      stopped: () => this.stopped,
    });
    for (const informer of this.informers) {
      const put = (d: V1Deployment) => {
        const v = toReserveView(d);
        this.views.set(`${v.namespace}/${v.name}`, v);
      };
      informer.on('add', put);
      informer.on('update', put);
      informer.on('delete', (d) => this.views.delete(`${d.metadata?.namespace}/${d.metadata?.name}`));
    }
  }

  get(namespace: string, name: string): ReserveView | undefined {
    return this.views.get(`${namespace}/${name}`);
  }

  async start(): Promise<void> {
    this.stopped = false;
    await Promise.all(this.informers.map((i) => i.start()));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.informers.map((i) => i.stop()));
  }
}
