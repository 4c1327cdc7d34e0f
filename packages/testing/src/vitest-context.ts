import { KubeConfig } from '@kubernetes/client-node';
import { inject } from 'vitest';

/** Which kind of cluster the vitest global setup provided. */
export type TestClusterKind = 'local' | 'k3s' | 'external';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Path of the test cluster's admin kubeconfig (set by `vitest-global-setup.ts`). */
    ebbKubeconfig: string;
    /** `local` (started for this run), `external` (`EBB_TEST_KUBECONFIG`) or `k3s` (`EBB_CLUSTER=k3s`). */
    ebbClusterKind: TestClusterKind;
  }
}

/**
 * The kubeconfig path the global setup provided. Throws, naming the fix, in a project whose vitest config
 * does not ask for the cluster.
 */
export function testKubeconfigPath(): string {
  const path = inject('ebbKubeconfig');
  if (!path) {
    throw new Error(
      'no test cluster: this project must use ebbVitestConfig(import.meta.dirname, <name>, { cluster: true }) so that the cluster global setup runs',
    );
  }
  return path;
}

/** The kind of cluster the tests run against (see {@link TestClusterKind}). */
export function testClusterKind(): TestClusterKind {
  return inject('ebbClusterKind');
}

/** A fresh `KubeConfig` for the test cluster (cluster-admin). */
export function testKubeConfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(testKubeconfigPath());
  return kc;
}
