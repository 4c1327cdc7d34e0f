import type { V1Deployment } from '@kubernetes/client-node';
import { RESERVE_HASH_ANNOTATION, RESERVE_REQUESTED_AT_ANNOTATION, RESERVE_ROLE, RESERVE_ROLE_LABEL } from './reserve-manifest.ts';

/** A reserve Deployment as the swap reads it (from the watch cache). */
export interface ReserveView {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  /** Changes on every write of the object. */
  readonly resourceVersion: string;
  /** `spec.replicas`. */
  readonly specReplicas: number;
  /** `status.readyReplicas`. */
  readonly readyReplicas: number;
  /** The Deployment controller has seen the current spec (`observedGeneration >= generation`). */
  readonly observed: boolean;
  /** Carries `deletionTimestamp`. */
  readonly deleting: boolean;
  /** Carries the role label (`ebb.dev/reserve-role=reserve`). */
  readonly hasRole: boolean;
  /** uid of its Deployment owner, if any. */
  readonly ownerUid?: string;
  /** Name of its Deployment owner, if any. */
  readonly ownerName?: string;
  /** Its `ebb.dev/reserve-hash`. */
  readonly hash?: string;
  /** Its `ebb.dev/reserve-requested-at`, in ms since the epoch (creation time when absent). */
  readonly requestedAtMs?: number;
}

/** Reads a Deployment as a {@link ReserveView}. */
export function toReserveView(d: V1Deployment): ReserveView {
  const m = d.metadata ?? {};
  const owner = m.ownerReferences?.find((o) => o.kind === 'Deployment' && o.apiVersion.startsWith('apps/'));
  const requested = Date.parse(m.annotations?.[RESERVE_REQUESTED_AT_ANNOTATION] ?? '');
  const created = m.creationTimestamp ? new Date(m.creationTimestamp).getTime() : Number.NaN;
  const requestedAtMs = Number.isFinite(requested) ? requested : created;
  const hash = m.annotations?.[RESERVE_HASH_ANNOTATION];
  return {
    namespace: m.namespace ?? 'default',
    name: m.name ?? '',
    uid: m.uid ?? '',
    resourceVersion: m.resourceVersion ?? '',
    specReplicas: d.spec?.replicas ?? 1,
    readyReplicas: d.status?.readyReplicas ?? 0,
    observed: (d.status?.observedGeneration ?? 0) >= (m.generation ?? 0),
    deleting: m.deletionTimestamp !== undefined && m.deletionTimestamp !== null,
    hasRole: m.labels?.[RESERVE_ROLE_LABEL] === RESERVE_ROLE,
    ...(owner ? { ownerUid: owner.uid, ownerName: owner.name } : {}),
    ...(hash ? { hash } : {}),
    ...(Number.isFinite(requestedAtMs) ? { requestedAtMs } : {}),
  };
}
