import type { KubeConfig, V1Deployment } from '@kubernetes/client-node';
import type { ScaleTarget, TargetEvent, TargetSource } from '../contracts/cluster.ts';
import { SELECTION_LABEL } from '../contracts/config.ts';
import { targetKey, type TargetKey } from '../contracts/target.ts';
import { silentLogger, type Logger } from '../contracts/observe.ts';
import { deploymentInformers, type DeploymentInformer } from './deployment-informers.ts';

/** Pause before an informer that stopped on an error is started again. */
const RESTART_DELAY_MS = 500;

/** Options of {@link DeploymentTargetSource}. */
export interface DeploymentTargetSourceOptions {
  /** Namespaces to watch; empty or undefined means all namespaces. */
  readonly namespaces?: readonly string[];
  /** Label selector; default `ebb.dev/autoscale=true`. */
  readonly labelSelector?: string;
  readonly logger?: Logger;
}

/** Turns a Deployment into the loop's view of it. */
export function toScaleTarget(d: V1Deployment): ScaleTarget {
  const ref = { namespace: d.metadata?.namespace ?? 'default', name: d.metadata?.name ?? '' };
  return {
    ref,
    key: targetKey(ref),
    uid: d.metadata?.uid ?? '',
    resourceVersion: d.metadata?.resourceVersion ?? '',
    labels: d.metadata?.labels ?? {},
    annotations: d.metadata?.annotations ?? {},
    selector: d.spec?.selector?.matchLabels ?? {},
    specReplicas: d.spec?.replicas ?? 1,
    readyReplicas: d.status?.readyReplicas ?? 0,
    observed: (d.status?.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0),
  };
}

/**
 * The targets: Deployments carrying the selection label, kept current by informers (one per watched namespace,
 * or one for all). Reads never touch the apiserver; the informer reconnects after apiserver restarts.
 */
export class DeploymentTargetSource implements TargetSource {
  private readonly informers: DeploymentInformer[];
  private readonly listeners = new Set<(event: TargetEvent, target: ScaleTarget) => void>();
  private readonly targets = new Map<TargetKey, ScaleTarget>();
  private readonly logger: Logger;
  private stopped = false;

  constructor(kc: KubeConfig, options: DeploymentTargetSourceOptions = {}) {
    this.logger = options.logger ?? silentLogger;
    this.informers = deploymentInformers(kc, {
      namespaces: options.namespaces,
      labelSelector: options.labelSelector ?? `${SELECTION_LABEL}=true`,
      what: 'deployment',
      logger: this.logger,
      restartDelayMs: RESTART_DELAY_MS,
      stopped: () => this.stopped,
    });
    for (const informer of this.informers) {
      informer.on('add', (d) => this.upsert(d));
      informer.on('update', (d) => this.upsert(d));
      informer.on('delete', (d) => this.remove(d));
    }
  }

  list(): readonly ScaleTarget[] {
    return [...this.targets.values()];
  }

  get(key: TargetKey): ScaleTarget | undefined {
    return this.targets.get(key);
  }

  subscribe(listener: (event: TargetEvent, target: ScaleTarget) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async start(): Promise<void> {
    await Promise.all(this.informers.map((i) => i.start()));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.informers.map((i) => i.stop()));
  }

  private upsert(d: V1Deployment): void {
    const target = toScaleTarget(d);
    const previous = this.targets.get(target.key);
    if (previous?.resourceVersion === target.resourceVersion) return;
    this.targets.set(target.key, target);
    for (const l of this.listeners) l('upsert', target);
  }

  private remove(d: V1Deployment): void {
    const target = toScaleTarget(d);
    if (!this.targets.delete(target.key)) return;
    for (const l of this.listeners) l('delete', target);
  }
}
