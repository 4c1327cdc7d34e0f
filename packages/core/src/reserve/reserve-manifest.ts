import { createHash } from 'node:crypto';
import type { V1Deployment, V1DeploymentSpec, V1LabelSelector, V1PodTemplateSpec } from '@kubernetes/client-node';
import { SELECTION_LABEL } from '../contracts/config.ts';
import type { ReserveShape } from './reserve-config.ts';

/**
 * The reserve Deployment `<name>-reserve`, built from the target Deployment and the reserve's shape.
 *
 * Selector choice. A Service (or the event gateway) in front of the target selects pods by the labels of the
 * target's template, usually the same as the target's selector (`app=web`). The reserve must receive that
 * traffic, so its pods keep every label of the target's template and add the role label
 * `ebb.dev/reserve-role=reserve`. Its selector is the target's selector plus that role label, so the reserve
 * never selects the target's pods. The target's selector does match the reserve's pods, but a ReplicaSet adopts
 * only pods without a controller, and reserve pods are controlled by the reserve's ReplicaSet: the two never
 * fight over pods. Collectors that find a target's pods by its selector see the reserve's pods too, so their
 * load counts as the target's.
 */

/** Label on the reserve Deployment and its pods; its selector includes it. */
export const RESERVE_ROLE_LABEL = 'ebb.dev/reserve-role';
/** Value of {@link RESERVE_ROLE_LABEL}. */
export const RESERVE_ROLE = 'reserve';
/** Annotation on the reserve: hash of its spec without replicas, to notice a changed template or shape. */
export const RESERVE_HASH_ANNOTATION = 'ebb.dev/reserve-hash';
/** Annotation on the reserve: when the scaler last asked it for pods (ISO time), to tell slow from stuck. */
export const RESERVE_REQUESTED_AT_ANNOTATION = 'ebb.dev/reserve-requested-at';
/** Suffix of the reserve's name. */
export const RESERVE_SUFFIX = '-reserve';

/** The reserve's name for a target. */
export function reserveName(targetName: string): string {
  return `${targetName}${RESERVE_SUFFIX}`;
}

/** JSON with object keys sorted, so equal specs hash equally whatever the key order. */
function stableJson(value: unknown): string {
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The reserve's selector: the target's plus the role label. */
export function reserveSelector(target: V1Deployment): V1LabelSelector {
  const s = target.spec?.selector;
  return {
    matchLabels: { ...s?.matchLabels, [RESERVE_ROLE_LABEL]: RESERVE_ROLE },
    ...(s?.matchExpressions?.length ? { matchExpressions: structuredClone(s.matchExpressions) } : {}),
  };
}

/** The target's pod template with the reserve's shape and the role label. */
export function reserveTemplate(target: V1Deployment, shape: ReserveShape): V1PodTemplateSpec {
  const source = target.spec?.template;
  const t: V1PodTemplateSpec = source ? structuredClone(source) : {};
  const selectorLabels = reserveSelector(target).matchLabels ?? {};
  t.metadata = {
    ...t.metadata,
    labels: { ...t.metadata?.labels, ...shape.podLabels, ...selectorLabels },
    annotations: { ...t.metadata?.annotations, ...shape.podAnnotations },
  };
  const spec = t.spec ?? { containers: [] };
  if (shape.resources) {
    const { requests, limits } = shape.resources;
    for (const c of spec.containers) c.resources = { ...(requests ? { requests: { ...requests } } : {}), ...(limits ? { limits: { ...limits } } : {}) };
  }
  if (shape.nodeSelector) {
    if (Object.keys(shape.nodeSelector).length) spec.nodeSelector = { ...shape.nodeSelector };
    else delete spec.nodeSelector;
  }
  if (shape.tolerations) {
    if (shape.tolerations.length) spec.tolerations = shape.tolerations.map((x) => ({ ...x }));
    else delete spec.tolerations;
  }
  t.spec = spec;
  return t;
}

/** The reserve's spec without `replicas`: what its hash covers. */
function reserveSpec(target: V1Deployment, shape: ReserveShape): V1DeploymentSpec {
  return {
    selector: reserveSelector(target),
    template: reserveTemplate(target, shape),
    // Never below the wanted count of Ready pods while a new shape rolls out.
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
    revisionHistoryLimit: 1,
    ...(target.spec?.minReadySeconds ? { minReadySeconds: target.spec.minReadySeconds } : {}),
  };
}

/** Hash (16 hex characters) of the reserve's spec without replicas; changes when the template or shape does. */
export function reserveHash(target: V1Deployment, shape: ReserveShape): string {
  return createHash('sha256').update(stableJson(reserveSpec(target, shape))).digest('hex').slice(0, 16);
}

/**
 * The whole reserve Deployment: owned by the target (deleting the target deletes it; `blockOwnerDeletion` makes a
 * foreground deletion of the target wait for it), labelled with the role label and the target's own labels (but
 * not the selection label: the reserve is not a target), annotated with its hash and `requestedAtMs`.
 */
export function reserveDeployment(target: V1Deployment, shape: ReserveShape, replicas: number, requestedAtMs: number): V1Deployment {
  const name = target.metadata?.name ?? '';
  const labels: Record<string, string> = { ...target.metadata?.labels, [RESERVE_ROLE_LABEL]: RESERVE_ROLE };
  delete labels[SELECTION_LABEL];
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: reserveName(name),
      namespace: target.metadata?.namespace ?? 'default',
      labels,
      annotations: {
        [RESERVE_HASH_ANNOTATION]: reserveHash(target, shape),
        [RESERVE_REQUESTED_AT_ANNOTATION]: new Date(requestedAtMs).toISOString(),
      },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name, uid: target.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true }],
    },
    spec: { replicas, ...reserveSpec(target, shape) },
  };
}
