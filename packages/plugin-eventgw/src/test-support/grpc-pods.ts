import { CoreV1Api, makeInformer, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { keepInformerRunning } from '@ebb/testing';
import { startGrpcBackend, type GrpcBackend } from './grpc-echo.ts';

/** The gRPC "containers" of a test Deployment: one Echo server per pod, on the pod's IP and port. */
export interface GrpcPods {
  readonly byPod: ReadonlyMap<string, GrpcBackend>;
  stop(): Promise<void>;
}

/**
 * Watches the pods of `labelSelector` in `namespace` and serves the Echo service on `<podIP>:<port>` as soon as a
 * pod has an IP (before it is Ready), as its container would.
 */
export async function serveGrpcPods(kc: KubeConfig, namespace: string, labelSelector: string, port: number): Promise<GrpcPods> {
  const byPod = new Map<string, GrpcBackend>();
  const starting = new Set<string>();
  const core = kc.makeApiClient(CoreV1Api);
  const informer = makeInformer<V1Pod>(kc, `/api/v1/namespaces/${namespace}/pods`, () => core.listNamespacedPod({ namespace, labelSelector }), labelSelector);
  const onPod = (pod: V1Pod): void => {
    const name = pod.metadata?.name ?? '';
    const ip = pod.status?.podIP;
    if (!ip || byPod.has(name) || starting.has(name) || pod.metadata?.deletionTimestamp) return;
    starting.add(name);
    startGrpcBackend(ip, name, port).then(
      (b) => {
        starting.delete(name);
        byPod.set(name, b);
      },
      (e: unknown) => {
        starting.delete(name);
        console.error(`could not serve gRPC for pod ${name} on ${ip}:${port}: ${String(e)}`);
      },
    );
  };
  informer.on('add', onPod);
  informer.on('update', onPod);
  const running = await keepInformerRunning(informer);
  return {
    byPod,
    async stop() {
      await running.stop();
      await Promise.all([...byPod.values()].map((b) => b.close()));
    },
  };
}
