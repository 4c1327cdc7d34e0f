import { CoordinationV1Api, makeInformer, V1MicroTime, type KubeConfig, type V1Lease } from '@kubernetes/client-node';
import { httpStatus, type Clock, type Logger } from '@ebb/core';
import { ResilientInformer } from '../discovery/resilient-informer.ts';
import { encodeRecord, SLOTS_ANNOTATION, type MemberRecord } from './member-record.ts';

/** The label that puts a gateway replica's Lease in a coordination group. */
export const GATEWAY_GROUP_LABEL = 'ebb.dev/gateway-group';

/** A member's Lease as read from the apiserver. */
export interface MemberLease {
  readonly name: string;
  /** The member id (`spec.holderIdentity`). */
  readonly id: string;
  readonly resourceVersion: string;
  /** The raw {@link SLOTS_ANNOTATION}. */
  readonly slots: string | undefined;
}

/** The Lease name of member `id`: `ebb-gw-<id>`, lower-cased, other characters than [a-z0-9.-] as `-`. */
export function memberLeaseName(id: string): string {
  const clean = id.toLowerCase().replace(/[^a-z0-9.-]/g, '-').replace(/^[^a-z0-9]+/, '');
  return `ebb-gw-${clean}`.slice(0, 253).replace(/[^a-z0-9]+$/, '');
}

function toMember(lease: V1Lease): MemberLease | undefined {
  const id = lease.spec?.holderIdentity;
  const name = lease.metadata?.name;
  if (!id || !name) return undefined;
  return { name, id, resourceVersion: lease.metadata?.resourceVersion ?? '', slots: lease.metadata?.annotations?.[SLOTS_ANNOTATION] };
}

/** Where and as whom {@link LeaseMembership} writes; `leaseDurationMs` goes into the Lease (rounded up to seconds). */
export interface MembershipOptions {
  readonly namespace: string;
  readonly group: string;
  readonly id: string;
  readonly leaseDurationMs: number;
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * One `coordination.k8s.io/v1` Lease per gateway replica in one namespace, labelled with the group: this
 * replica writes its own (renewals carry its slot claims in {@link SLOTS_ANNOTATION}), watches the others', and
 * lists them all with a consistent (quorum) read when it must know the latest claims.
 */
export class LeaseMembership {
  private readonly api: CoordinationV1Api;
  private readonly informer: ResilientInformer<V1Lease>;
  private readonly name: string;
  private resourceVersion: string | undefined;
  private readonly o: MembershipOptions;

  constructor(kc: KubeConfig, o: MembershipOptions, changed: (lease: MemberLease, deleted: boolean) => void) {
    this.o = o;
    this.api = kc.makeApiClient(CoordinationV1Api);
    this.name = memberLeaseName(o.id);
    const labelSelector = `${GATEWAY_GROUP_LABEL}=${o.group}`;
    const inf = makeInformer<V1Lease>(kc, `/apis/coordination.k8s.io/v1/namespaces/${o.namespace}/leases`, () => this.api.listNamespacedLease({ namespace: o.namespace, labelSelector }), labelSelector);
    for (const verb of ['add', 'update'] as const) inf.on(verb, (l) => void ((m) => m && changed(m, false))(toMember(l)));
    inf.on('delete', (l) => void ((m) => m && changed(m, true))(toMember(l)));
    this.informer = new ResilientInformer(`gateway Leases (${labelSelector}) in ${o.namespace}`, inf, o.clock, o.logger);
  }

  /** Starts the watch. @throws EbbError `EBB_KUBE_UNAVAILABLE` when the first list fails. */
  start(): Promise<void> {
    return this.informer.start();
  }

  stop(): Promise<void> {
    return this.informer.stop();
  }

  /** Creates or renews this replica's Lease with `record`. Rejects on any failure (the caller retries). */
  async write(record: MemberRecord): Promise<void> {
    const { namespace, group, id } = this.o;
    const body: V1Lease = {
      metadata: { name: this.name, namespace, labels: { [GATEWAY_GROUP_LABEL]: group }, annotations: { [SLOTS_ANNOTATION]: encodeRecord(record) }, ...(this.resourceVersion ? { resourceVersion: this.resourceVersion } : {}) },
      spec: { holderIdentity: id, leaseDurationSeconds: Math.ceil(this.o.leaseDurationMs / 1000), renewTime: new V1MicroTime(this.o.clock.now()) },
    };
    try {
      const saved = this.resourceVersion
        ? await this.api.replaceNamespacedLease({ name: this.name, namespace, body })
        : await this.api.createNamespacedLease({ namespace, body });
      this.resourceVersion = saved.metadata?.resourceVersion;
    } catch (e) {
      const status = httpStatus(e);
      if (status === 409 || status === 404) {
        // Ours changed behind our back (an earlier write that timed out, a restart with the same id) or is gone.
        this.resourceVersion = await this.api
          .readNamespacedLease({ name: this.name, namespace })
          .then((l) => l.metadata?.resourceVersion)
          .catch(() => undefined);
      }
      throw e;
    }
  }

  /** Every member's Lease now, by a consistent read from the apiserver. */
  async list(): Promise<MemberLease[]> {
    const list = await this.api.listNamespacedLease({ namespace: this.o.namespace, labelSelector: `${GATEWAY_GROUP_LABEL}=${this.o.group}` });
    return list.items.map(toMember).filter((m): m is MemberLease => m !== undefined);
  }

  /** Deletes the Lease `name` if it is still at `resourceVersion` (a member that left or expired long ago). */
  async remove(name: string, resourceVersion?: string): Promise<void> {
    try {
      await this.api.deleteNamespacedLease({ name, namespace: this.o.namespace, ...(resourceVersion ? { body: { preconditions: { resourceVersion } } } : {}) });
    } catch (e) {
      if (httpStatus(e) !== 404 && httpStatus(e) !== 409) throw e;
    }
    if (name === this.name) this.resourceVersion = undefined;
  }

  /** The Lease name of this replica. */
  get ownName(): string {
    return this.name;
  }
}
