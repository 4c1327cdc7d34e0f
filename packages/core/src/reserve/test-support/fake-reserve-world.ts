import type { V1Container, V1Deployment } from '@kubernetes/client-node';
import type { Actuator, EventSink, EventType, ScaleTarget } from '../../contracts/cluster.ts';
import { SELECTION_LABEL } from '../../contracts/config.ts';
import { targetKey } from '../../contracts/target.ts';
import type { ReserveClient } from '../reserve-client.ts';
import { RESERVE_REQUESTED_AT_ANNOTATION } from '../reserve-manifest.ts';
import { toReserveView, type ReserveView } from '../reserve-view.ts';
import type { ReserveWatch } from '../reserve-watch.ts';

/**
 * An in-memory stand-in for the apiserver as the reserve swap sees it (for unit tests of `ReserveActuator`): one
 * target Deployment, reserve Deployments with optimistic concurrency (409 on a stale resourceVersion or an
 * existing name), and a watch cache that is updated only when the test says so (`sync`), so tests can also play
 * a cache that lags behind.
 */
export class FakeReserveWorld implements ReserveClient, ReserveWatch {
  readonly calls: string[] = [];
  readonly events: Array<{ type: EventType; reason: string; message: string }> = [];
  readonly scaled: number[] = [];
  /** Objects as the apiserver has them. */
  readonly stored = new Map<string, V1Deployment>();
  /** What the watch shows. */
  private readonly cache = new Map<string, ReserveView>();
  private version = 100;
  target: ScaleTarget;
  template: V1Deployment;
  /** The target's first container, to change its image. */
  get container(): V1Container {
    const c = this.template.spec?.template.spec?.containers[0];
    if (!c) throw new Error('no container');
    return c;
  }
  /** Makes the next call of this operation fail with this HTTP status. */
  failNext: { op: string; status: number } | undefined;

  constructor(annotations: Record<string, string>, spec = 1) {
    this.template = {
      metadata: { name: 'web', namespace: 'ns', uid: 'uid-web', labels: { [SELECTION_LABEL]: 'true' } },
      spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'web:1' }] } } },
    };
    this.target = this.targetWith({ annotations, specReplicas: spec, readyReplicas: spec });
  }

  /** The target as the loop's cache shows it, with a new resourceVersion. */
  targetWith(o: Partial<ScaleTarget>): ScaleTarget {
    const ref = { namespace: 'ns', name: 'web' };
    const base: ScaleTarget = this.target ?? { ref, key: targetKey(ref), uid: 'uid-web', resourceVersion: '', labels: {}, annotations: {}, selector: { app: 'web' }, specReplicas: 1, readyReplicas: 1, observed: true };
    this.target = { ...base, ...o, resourceVersion: String(++this.version) };
    return this.target;
  }

  /** An actuator for the target: records the counts it is scaled to. */
  readonly inner: Actuator = {
    scale: async (_t, replicas) => {
      this.calls.push(`scale-target ${replicas}`);
      this.scaled.push(replicas);
    },
  };

  readonly sink: EventSink = {
    event: async (_t, type, reason, message) => void this.events.push({ type, reason, message }),
  };

  /** Copies the stored reserves into the watch cache (an informer catching up). */
  sync(): void {
    this.cache.clear();
    for (const d of this.stored.values()) this.cache.set(`${d.metadata?.namespace}/${d.metadata?.name}`, toReserveView(d));
  }

  /** Sets the reserve's Ready pods as the Deployment controller would report them, and syncs. */
  ready(readyReplicas: number): void {
    const d = this.reserve();
    d.status = { observedGeneration: d.metadata?.generation ?? 1, readyReplicas };
    this.bump(d);
    this.sync();
  }

  reserve(): V1Deployment {
    const d = this.stored.get('ns/web-reserve');
    if (!d) throw new Error('no reserve stored');
    return d;
  }

  get(namespace: string, name: string): ReserveView | undefined {
    return this.cache.get(`${namespace}/${name}`);
  }

  start(): Promise<void> {
    return Promise.resolve();
  }

  stop(): Promise<void> {
    return Promise.resolve();
  }

  async readTarget(): Promise<V1Deployment> {
    this.fail('readTarget');
    this.calls.push('readTarget');
    return structuredClone(this.template);
  }

  async create(reserve: V1Deployment): Promise<void> {
    this.fail('create');
    const key = `${reserve.metadata?.namespace}/${reserve.metadata?.name}`;
    if (this.stored.has(key)) throw httpError(409);
    this.calls.push(`create ${reserve.spec?.replicas}`);
    const d = structuredClone(reserve);
    d.metadata = { ...d.metadata, uid: `uid-${this.version}`, generation: 1 };
    d.status = { observedGeneration: 1, readyReplicas: 0 };
    this.bump(d);
    this.stored.set(key, d);
  }

  async replace(reserve: V1Deployment): Promise<void> {
    this.fail('replace');
    const old = this.current(reserve.metadata?.resourceVersion);
    this.calls.push(`replace ${reserve.spec?.replicas}`);
    const d = structuredClone(reserve);
    d.metadata = { ...d.metadata, uid: old.metadata?.uid ?? '', generation: (old.metadata?.generation ?? 1) + 1 };
    d.status = old.status ?? {};
    this.bump(d);
    this.stored.set('ns/web-reserve', d);
  }

  async scale(_ns: string, _name: string, replicas: number, resourceVersion: string, requestedAtMs?: number): Promise<void> {
    this.fail('scale');
    const d = this.current(resourceVersion);
    this.calls.push(`scale-reserve ${replicas}`);
    d.spec = { selector: {}, template: {}, ...d.spec, replicas };
    d.metadata = { ...d.metadata, generation: (d.metadata?.generation ?? 1) + 1 };
    if (requestedAtMs !== undefined) d.metadata.annotations = { ...d.metadata.annotations, [RESERVE_REQUESTED_AT_ANNOTATION]: new Date(requestedAtMs).toISOString() };
    this.bump(d);
  }

  async remove(_ns: string, _name: string, uid: string): Promise<void> {
    this.fail('remove');
    if (this.stored.get('ns/web-reserve')?.metadata?.uid !== uid) throw httpError(409);
    this.calls.push('delete-reserve');
    this.stored.delete('ns/web-reserve');
  }

  async podProblems(): Promise<string[]> {
    return ['pod web-reserve-1: not Ready: ContainersNotReady: containers with unready status: [app]'];
  }

  private current(resourceVersion: string | undefined): V1Deployment {
    const d = this.stored.get('ns/web-reserve');
    if (!d) throw httpError(404);
    if (resourceVersion !== d.metadata?.resourceVersion) throw httpError(409);
    return d;
  }

  private bump(d: V1Deployment): void {
    d.metadata = { ...d.metadata, resourceVersion: String(++this.version) };
  }

  private fail(op: string): void {
    if (this.failNext?.op !== op) return;
    const status = this.failNext.status;
    this.failNext = undefined;
    throw httpError(status);
  }
}

/** An error shaped like client-node's ApiException. */
export function httpError(code: number): Error & { code: number } {
  return Object.assign(new Error(`HTTP-Code: ${code}`), { code });
}
