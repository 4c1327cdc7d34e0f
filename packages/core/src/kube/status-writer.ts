import { AppsV1Api, type KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import type { ScaleTarget, StatusWriter, TargetStatus } from '../contracts/cluster.ts';
import { STATUS_ANNOTATION } from '../contracts/config.ts';

/**
 * The part of a status that decides whether it "changed": desired and current counts, each plugin's kind and
 * replicas, the winner, the applied steps, config errors and the last scale time. Reasons often carry live
 * figures (`concurrency 41.7`); rewriting the annotation for each new figure would write on every tick, so a
 * reason is refreshed only together with a change of this part.
 */
export function statusFingerprint(status: TargetStatus): string {
  const recs = Object.entries(status.recommendations).map(([id, r]) => `${id}:${r.kind}:${r.replicas ?? ''}`);
  return JSON.stringify([status.desired, status.current, status.winner ?? '', recs, status.applied, status.configErrors ?? [], status.lastScaleTime ?? '']);
}

/** Parses the status annotation of a target, if present and valid JSON. */
export function readStatus(target: ScaleTarget): TargetStatus | undefined {
  const raw = target.annotations[STATUS_ANNOTATION];
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as TargetStatus;
  } catch {
    return undefined;
  }
}

/** Writes the status annotation with a merge patch, only when its fingerprint differs from what is there. */
export class KubeStatusWriter implements StatusWriter {
  private readonly apps: AppsV1Api;
  /** Fingerprint last written per target, so a write is not repeated before the informer shows it. */
  private readonly written = new Map<string, string>();

  constructor(kc: KubeConfig) {
    this.apps = kc.makeApiClient(AppsV1Api);
  }

  async write(target: ScaleTarget, status: TargetStatus): Promise<void> {
    const fingerprint = statusFingerprint(status);
    const existing = readStatus(target);
    if (existing && statusFingerprint(existing) === fingerprint) {
      this.written.set(target.key, fingerprint);
      return;
    }
    if (this.written.get(target.key) === fingerprint) return;
    this.written.set(target.key, fingerprint);
    await this.apps.patchNamespacedDeployment(
      { name: target.ref.name, namespace: target.ref.namespace, body: { metadata: { annotations: { [STATUS_ANNOTATION]: JSON.stringify(status) } } }, fieldManager: 'ebb' },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    ).catch((e: unknown) => {
      this.written.delete(target.key);
      throw e;
    });
  }

  /** Drops what is remembered of a target that went away. */
  forget(key: string): void {
    this.written.delete(key);
  }
}
