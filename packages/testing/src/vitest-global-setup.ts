import { KubeConfig, VersionApi } from '@kubernetes/client-node';
import type { TestProject } from 'vitest/node';
import { startK3sCluster } from './k3s-cluster.ts';
import { startCluster } from './start-cluster.ts';
import type { TestClusterKind } from './vitest-context.ts';
import './vitest-context.ts';

/** Checks that the cluster behind a kubeconfig answers; throws a message naming the variable and the cause. */
async function assertReachable(kubeconfigPath: string, source: string): Promise<void> {
  try {
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfigPath);
    await Promise.race([
      kc.makeApiClient(VersionApi).getCode(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('no answer within 10 s')), 10_000).unref()),
    ]);
  } catch (error) {
    throw new Error(`${source} names a cluster that does not answer (${kubeconfigPath}): ${(error as Error).message}`, { cause: error });
  }
}

/** Folder-safe cluster name for this run: `vitest-<project>-<pid>`. */
function runClusterName(project: TestProject): string {
  const slug = project.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 30) || 'project';
  return `vitest-${slug}-${process.pid}`;
}

/**
 * Vitest global setup for projects configured with `{ cluster: true }`. Provides `ebbKubeconfig` and
 * `ebbClusterKind` to the tests (read them with `testKubeConfig()` / `useTestNamespace()`):
 * - `EBB_TEST_KUBECONFIG=<path>`: reuse that running cluster (for example the one from `npm run cluster -- up`);
 * - `EBB_CLUSTER=k3s`: start k3s with testcontainers (needs Docker);
 * - otherwise: start a local cluster for this run and stop it in teardown.
 * When no cluster can be had, the run fails with the reason (missing Go, failed build, a component's log).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const provide = (kubeconfigPath: string, kind: TestClusterKind): void => {
    project.provide('ebbKubeconfig', kubeconfigPath);
    project.provide('ebbClusterKind', kind);
  };
  const external = process.env['EBB_TEST_KUBECONFIG'];
  if (external) {
    await assertReachable(external, 'EBB_TEST_KUBECONFIG');
    provide(external, 'external');
    return async () => undefined;
  }
  if (process.env['EBB_CLUSTER'] === 'k3s') {
    const k3s = await startK3sCluster();
    provide(k3s.kubeconfigPath, 'k3s');
    return () => k3s.stop();
  }
  const began = performance.now();
  let cluster;
  try {
    cluster = await startCluster({ name: runClusterName(project), log: (line) => console.error(`[cluster] ${line}`) });
  } catch (error) {
    throw new Error(
      `the tests of ${project.name} need a Kubernetes cluster and none could be started: ${(error as Error).message}\n` +
        'Fix the cause above, or point EBB_TEST_KUBECONFIG at a running cluster (npm run cluster -- up).',
      { cause: error },
    );
  }
  console.error(`[cluster] ${cluster.name} ready for ${project.name} in ${((performance.now() - began) / 1000).toFixed(1)} s`);
  provide(cluster.kubeconfigPath, 'local');
  const started = cluster;
  return () => started.stop();
}
