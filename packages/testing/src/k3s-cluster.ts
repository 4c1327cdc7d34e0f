import { K3sContainer } from '@testcontainers/k3s';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Default k3s image for `EBB_CLUSTER=k3s`, matching the local control plane's Kubernetes minor version.
 * Override with `EBB_K3S_IMAGE` (any `rancher/k3s` tag).
 */
export const DEFAULT_K3S_IMAGE = 'rancher/k3s:v1.35.4-k3s1';

/** A k3s cluster in a container, for machines with a Docker engine. */
export interface K3sCluster {
  /** Kubeconfig file (cluster-admin) for the container's mapped apiserver port. */
  readonly kubeconfigPath: string;
  /** Stops and removes the container and the kubeconfig file. */
  stop(): Promise<void>;
}

/**
 * Starts k3s with testcontainers (`@testcontainers/k3s`; the container runs privileged, as k3s needs).
 * Unlike the local cluster, pods here run real images on a real kubelet: the KWOK-only features (fake nodes,
 * `READINESS_DELAY_ANNOTATION`, loopback pod IPs) do not exist, and tests that rely on them fail.
 * Throws a message naming the Docker requirement when no container engine is reachable.
 */
export async function startK3sCluster(image: string = process.env['EBB_K3S_IMAGE'] || DEFAULT_K3S_IMAGE): Promise<K3sCluster> {
  let container;
  try {
    container = await new K3sContainer(image).start();
  } catch (error) {
    throw new Error(
      `EBB_CLUSTER=k3s needs a reachable Docker (or compatible) engine and the image ${image}; starting it failed: ${(error as Error).message}`,
      { cause: error },
    );
  }
  const dir = await mkdtemp(join(tmpdir(), 'ebb-k3s-'));
  const kubeconfigPath = join(dir, 'kubeconfig');
  await writeFile(kubeconfigPath, container.getKubeConfig(), { mode: 0o600 });
  const started = container;
  return {
    kubeconfigPath,
    stop: async () => {
      await started.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
