import { CoreV1Api, makeInformer, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { keepInformerRunning } from '@ebb/testing';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { startBackend, type Backend } from './backends.ts';

/** The "containers" of a test Deployment: one node:http server per pod, on the pod's IP and port. */
export interface PodBackends {
  /** Backends by pod name (a deleted pod's backend is closed and removed). */
  readonly byPod: ReadonlyMap<string, Backend>;
  /** Every backend ever started, for totals over the test. */
  readonly all: readonly Backend[];
  stop(): Promise<void>;
}

/**
 * Watches the pods of `labelSelector` in `namespace` and, as soon as a pod has an IP (KWOK gives it one when
 * the pod starts, before it is Ready), serves `handler` on `<podIP>:<port>`, the way the pod's container would.
 * When the pod is deleted its server closes: at once (cutting its requests), or with `graceful` the way a
 * well-behaved container does on SIGTERM (a preStop pause of 2 s that covers the time endpoints take to see the
 * deletion, then no new connections while the requests it has finish).
 */
export async function servePods(
  kc: KubeConfig,
  namespace: string,
  labelSelector: string,
  port: number,
  handler: (podName: string, req: IncomingMessage, res: ServerResponse) => void,
  options: { readonly graceful?: boolean } = {},
): Promise<PodBackends> {
  const closing: Backend[] = [];
  const byPod = new Map<string, Backend>();
  const starting = new Set<string>();
  const all: Backend[] = [];
  const core = kc.makeApiClient(CoreV1Api);
  const informer = makeInformer<V1Pod>(kc, `/api/v1/namespaces/${namespace}/pods`, () => core.listNamespacedPod({ namespace, labelSelector }), labelSelector);
  const onPod = (pod: V1Pod): void => {
    const name = pod.metadata?.name ?? '';
    const ip = pod.status?.podIP;
    if (!ip || byPod.has(name) || starting.has(name) || pod.metadata?.deletionTimestamp) return;
    starting.add(name);
    startBackend(ip, (req, res) => handler(name, req, res), port).then(
      (b) => {
        starting.delete(name);
        byPod.set(name, b);
        all.push(b);
      },
      (e: unknown) => {
        starting.delete(name);
        console.error(`could not serve pod ${name} on ${ip}:${port}: ${String(e)}`);
      },
    );
  };
  informer.on('add', onPod);
  informer.on('update', onPod);
  informer.on('delete', (pod) => {
    const name = pod.metadata?.name ?? '';
    const b = byPod.get(name);
    byPod.delete(name);
    if (!b) return;
    if (!options.graceful) return void b.close();
    closing.push(b);
    setTimeout(() => b.server.listening && b.server.close(), 2000).unref();
  });
  const running = await keepInformerRunning(informer);
  return {
    byPod,
    all,
    async stop() {
      await running.stop();
      await Promise.all([...byPod.values(), ...closing].map((b) => b.close()));
    },
  };
}
