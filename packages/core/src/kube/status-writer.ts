import { AppsV1Api, type KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import type { ScaleTarget, StatusWriter, TargetStatus } from '../contracts/cluster.ts';
import { STATUS_ANNOTATION } from '../contracts/config.ts';

/**
 * Writes the status annotation with a JSON merge patch of the Deployment's metadata. The loop calls it only
 * when the status fingerprint changed (see `statusFingerprint`).
 */
export class KubeStatusWriter implements StatusWriter {
  private readonly apps: AppsV1Api;

  constructor(kc: KubeConfig) {
    this.apps = kc.makeApiClient(AppsV1Api);
  }

  async write(target: ScaleTarget, status: TargetStatus): Promise<void> {
    await this.apps.patchNamespacedDeployment(
      { name: target.ref.name, namespace: target.ref.namespace, body: { metadata: { annotations: { [STATUS_ANNOTATION]: JSON.stringify(status) } } }, fieldManager: 'ebb' },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
  }
}
