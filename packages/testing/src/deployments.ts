import { AppsV1Api, type KubeConfig, type V1Deployment } from '@kubernetes/client-node';
import { READINESS_DELAY_ANNOTATION } from './kwok-stages.ts';
import { waitFor } from './wait-for.ts';

/** Image of test Deployments. KWOK never pulls images, so it only has to be a valid reference. */
export const TEST_IMAGE = 'registry.invalid/ebb/test-app:1';

/** What {@link testDeploymentManifest} builds. */
export interface TestDeploymentOptions {
  readonly namespace: string;
  readonly name: string;
  /** Default 1. */
  readonly replicas?: number;
  /** Deployment labels (for example `ebb.dev/autoscale: "true"`). Pods get `app: <name>`. */
  readonly labels?: Record<string, string>;
  /** Deployment annotations (for example Ebb settings). */
  readonly annotations?: Record<string, string>;
  /** Pod template annotations. */
  readonly podAnnotations?: Record<string, string>;
  /** Readiness delay as a Go duration (`"5s"`), set as {@link READINESS_DELAY_ANNOTATION} on the pods. */
  readonly readinessDelay?: string;
  /** Container port, named `http`. Default 8080. */
  readonly containerPort?: number;
}

/** A Deployment whose pods KWOK runs: selector and pod label `app: <name>`, one container. */
export function testDeploymentManifest(options: TestDeploymentOptions): V1Deployment {
  const podLabels = { app: options.name };
  const podAnnotations = {
    ...options.podAnnotations,
    ...(options.readinessDelay ? { [READINESS_DELAY_ANNOTATION]: options.readinessDelay } : {}),
  };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: options.name,
      namespace: options.namespace,
      labels: { ...podLabels, ...options.labels },
      ...(options.annotations ? { annotations: { ...options.annotations } } : {}),
    },
    spec: {
      replicas: options.replicas ?? 1,
      selector: { matchLabels: podLabels },
      template: {
        metadata: { labels: podLabels, annotations: podAnnotations },
        spec: {
          terminationGracePeriodSeconds: 0,
          containers: [
            {
              name: 'app',
              image: TEST_IMAGE,
              ports: [{ name: 'http', containerPort: options.containerPort ?? 8080 }],
            },
          ],
        },
      },
    },
  };
}

/** Creates {@link testDeploymentManifest}`(options)` and returns the stored object. */
export async function createTestDeployment(kubeConfig: KubeConfig, options: TestDeploymentOptions): Promise<V1Deployment> {
  const apps = kubeConfig.makeApiClient(AppsV1Api);
  return await apps.createNamespacedDeployment({ namespace: options.namespace, body: testDeploymentManifest(options) });
}

/**
 * True when the Deployment controller has seen the latest spec and all `spec.replicas` pods are updated,
 * Ready and the only ones (no old or surplus pods left).
 */
export function isDeploymentReady(deployment: V1Deployment): boolean {
  const want = deployment.spec?.replicas ?? 1;
  const s = deployment.status ?? {};
  return (
    (s.observedGeneration ?? 0) >= (deployment.metadata?.generation ?? 1) &&
    (s.replicas ?? 0) === want &&
    (s.updatedReplicas ?? 0) === want &&
    (s.readyReplicas ?? 0) === want &&
    (s.availableReplicas ?? 0) === want
  );
}

/** Waits until {@link isDeploymentReady} holds for `namespace/name` and returns the Deployment. */
export async function waitForDeploymentReady(
  kubeConfig: KubeConfig,
  namespace: string,
  name: string,
  { timeoutMs = 30_000 }: { timeoutMs?: number } = {},
): Promise<V1Deployment> {
  const apps = kubeConfig.makeApiClient(AppsV1Api);
  return await waitFor(
    async () => {
      const deployment = await apps.readNamespacedDeployment({ name, namespace });
      return isDeploymentReady(deployment) ? deployment : undefined;
    },
    { timeoutMs, description: `Deployment ${namespace}/${name} to have all replicas updated and Ready` },
  );
}
