import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { testKubeConfig } from './vitest-context.ts';
import { waitFor } from './wait-for.ts';

/** Label on every namespace made by {@link useTestNamespace}, so leftovers can be found and removed. */
export const TEST_NAMESPACE_LABEL = 'ebb.dev/test-namespace';

/** The namespace of one test file and a client configuration for the cluster. */
export interface TestNamespace {
  /** Namespace name; available inside tests and hooks (after `beforeAll`). */
  readonly name: string;
  /** Cluster-admin `KubeConfig` for the test cluster. */
  readonly kubeConfig: KubeConfig;
}

/** A namespace name `<prefix>-<8 random hex chars>`, at most 63 characters. */
export function uniqueNamespaceName(prefix = 'ebb-test'): string {
  const slug = prefix.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 50) || 'ebb-test';
  return `${slug}-${randomBytes(4).toString('hex')}`;
}

/**
 * Gives the calling test file its own namespace: created in `beforeAll` (and ready for pods: its `default`
 * service account exists), deleted in `afterAll`. Call at the top level of a test file.
 *
 * @example
 * const ns = useTestNamespace('scaling');
 * it('scales', async () => { await createTestDeployment(ns.kubeConfig, { namespace: ns.name, name: 'web' }); });
 */
export function useTestNamespace(prefix = 'ebb-test'): TestNamespace {
  let name: string | undefined;
  let kubeConfig: KubeConfig | undefined;
  beforeAll(async () => {
    kubeConfig = testKubeConfig();
    const core = kubeConfig.makeApiClient(CoreV1Api);
    const wanted = uniqueNamespaceName(prefix);
    await core.createNamespace({ body: { metadata: { name: wanted, labels: { [TEST_NAMESPACE_LABEL]: 'true' } } } });
    await waitFor(async () => (await core.readNamespacedServiceAccount({ name: 'default', namespace: wanted })).metadata, {
      timeoutMs: 30_000,
      description: `service account default in namespace ${wanted}`,
    });
    name = wanted;
  });
  afterAll(async () => {
    if (name && kubeConfig) await kubeConfig.makeApiClient(CoreV1Api).deleteNamespace({ name });
  });
  return {
    get name(): string {
      if (!name) throw new Error('the test namespace exists only inside tests and hooks (after beforeAll)');
      return name;
    },
    get kubeConfig(): KubeConfig {
      if (!kubeConfig) throw new Error('the test KubeConfig exists only inside tests and hooks (after beforeAll)');
      return kubeConfig;
    },
  };
}
