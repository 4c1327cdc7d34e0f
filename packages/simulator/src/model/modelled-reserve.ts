import type { V1Deployment } from '@kubernetes/client-node';
import { SELECTION_LABEL, reserveDeployment, reserveName, toReserveView, type ReserveClient, type ReserveConfig, type ReserveView, type ReserveWatch } from '@ebb/core';
import type { ModelledTarget } from './modelled-target.ts';

/** An apiserver error as client-node raises it: the reserve swap reads `code`. */
function apiError(code: number, message: string): Error & { code: number } {
  return Object.assign(new Error(`HTTP ${code}: ${message}`), { code });
}

/**
 * The apiserver and the watch cache as core's reserve swap (`ReserveActuator`) sees them, over the modelled
 * cluster: the target Deployments (for their template), and the reserve Deployments `<name>-reserve` with
 * optimistic concurrency (409 on a stale resourceVersion or an existing name). A write to a reserve's replicas
 * starts or stops modelled reserve pods at once; the cache is never behind.
 */
export class ModelledReserveApi implements ReserveClient, ReserveWatch {
  private readonly stored = new Map<string, V1Deployment>();
  private version = 0;
  private readonly targetsByName: ReadonlyMap<string, ModelledTarget>;
  private readonly nowMs: () => number;

  constructor(targets: readonly ModelledTarget[], nowMs: () => number) {
    this.targetsByName = new Map(targets.map((t) => [t.d.fn.id, t]));
    this.nowMs = nowMs;
  }

  /** Nothing to start: the model is the cache. */
  async start(): Promise<void> {
    return undefined;
  }

  async stop(): Promise<void> {
    return undefined;
  }

  /**
   * The initial state of a target at zero with a reserve: its reserve Deployment exists with its pods Ready, as
   * the swap would have left it (built with core's `reserveDeployment`).
   */
  async seed(targetName: string, config: ReserveConfig): Promise<void> {
    const target = this.targetsByName.get(targetName);
    if (!target) return;
    const now = this.nowMs();
    const body = reserveDeployment(await this.readTarget('sim', targetName), config.shape, config.replicas, now);
    const name = reserveName(targetName);
    this.stored.set(name, { ...body, metadata: { ...body.metadata, uid: `sim-reserve-${name}`, generation: 1, resourceVersion: this.nextVersion() } });
    target.scaleReserve(config.replicas, now, 0);
  }

  /** Whether any reserve Deployment exists for the target named `name`. */
  has(name: string): boolean {
    return this.stored.has(reserveName(name));
  }

  get(_namespace: string, name: string): ReserveView | undefined {
    const d = this.stored.get(name);
    if (!d) return undefined;
    const target = this.ownerOf(name);
    const ready = target ? target.d.pods.readyCount('reserve') : 0;
    return toReserveView({ ...d, status: { observedGeneration: d.metadata?.generation ?? 1, replicas: d.spec?.replicas ?? 0, readyReplicas: ready } });
  }

  async readTarget(namespace: string, name: string): Promise<V1Deployment> {
    const t = this.targetsByName.get(name);
    if (!t) throw apiError(404, `deployments.apps "${name}" not found`);
    return {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace, uid: `sim-${t.d.index}`, resourceVersion: String(t.version), labels: { [SELECTION_LABEL]: 'true', app: name }, annotations: {} },
      spec: {
        replicas: t.spec,
        selector: { matchLabels: { app: name } },
        template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'simulated' }] } },
      },
    };
  }

  async create(reserve: V1Deployment): Promise<void> {
    const name = reserve.metadata?.name ?? '';
    if (this.stored.has(name)) throw apiError(409, `deployments.apps "${name}" already exists`);
    const d: V1Deployment = { ...reserve, metadata: { ...reserve.metadata, uid: `sim-reserve-${name}`, generation: 1, resourceVersion: this.nextVersion() } };
    this.stored.set(name, d);
    this.apply(name, d.spec?.replicas ?? 1);
  }

  async replace(reserve: V1Deployment): Promise<void> {
    const name = reserve.metadata?.name ?? '';
    const old = this.writable(name, reserve.metadata?.resourceVersion);
    const d: V1Deployment = {
      ...reserve,
      metadata: { ...reserve.metadata, uid: old.metadata?.uid ?? '', generation: (old.metadata?.generation ?? 1) + 1, resourceVersion: this.nextVersion() },
    };
    this.stored.set(name, d);
    this.apply(name, d.spec?.replicas ?? 1);
  }

  async scale(_namespace: string, name: string, replicas: number, resourceVersion: string, requestedAtMs?: number): Promise<void> {
    const old = this.writable(name, resourceVersion);
    const annotations = { ...old.metadata?.annotations, ...(requestedAtMs === undefined ? {} : { 'ebb.dev/reserve-requested-at': new Date(requestedAtMs).toISOString() }) };
    this.stored.set(name, {
      ...old,
      metadata: { ...old.metadata, annotations, generation: (old.metadata?.generation ?? 1) + 1, resourceVersion: this.nextVersion() },
      spec: { ...old.spec!, replicas },
    });
    this.apply(name, replicas);
  }

  async remove(_namespace: string, name: string, uid: string): Promise<void> {
    const old = this.stored.get(name);
    if (!old) throw apiError(404, `deployments.apps "${name}" not found`);
    if (old.metadata?.uid !== uid) throw apiError(409, `precondition failed: uid ${uid}`);
    this.stored.delete(name);
    this.apply(name, 0);
  }

  async podProblems(): Promise<string[]> {
    return [];
  }

  private writable(name: string, resourceVersion: string | undefined): V1Deployment {
    const old = this.stored.get(name);
    if (!old) throw apiError(404, `deployments.apps "${name}" not found`);
    if (resourceVersion !== undefined && old.metadata?.resourceVersion !== resourceVersion) throw apiError(409, `the object has been modified (${name})`);
    return old;
  }

  private apply(name: string, replicas: number): void {
    this.ownerOf(name)?.scaleReserve(replicas, this.nowMs());
  }

  private ownerOf(reserve: string): ModelledTarget | undefined {
    return this.targetsByName.get(reserve.slice(0, -'-reserve'.length));
  }

  private nextVersion(): string {
    return `r${++this.version}`;
  }
}
