import { CoreV1Api, type KubeConfig, type V1Node, type V1Toleration } from '@kubernetes/client-node';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureClusterBinaries } from './binaries.ts';
import { isNodeSchedulable } from './fake-nodes.ts';
import { findFreePort } from './free-port.ts';
import { KWOK_RESOURCE_METRICS_PATH, kwokMetricsYaml, RESOURCE_METRICS_PATH_ANNOTATION } from './kwok-metrics-config.ts';
import { kwokPodStagesYaml } from './kwok-stages.ts';
import { startOwnedProcess, type OwnedProcess } from './owned-process.ts';
import { waitFor } from './wait-for.ts';

/** Label (key) on metrics nodes; its value is the node's id. metrics-server scrapes only nodes with it. */
export const METRICS_NODE_LABEL = 'ebb.dev/metrics-node';
/** Pod range of metrics nodes: outside the slots of the fake nodes (1..254), so pod IPs never collide. */
const METRICS_NODE_POD_CIDR = '127.255.128.0/17';

/** Options of {@link startMetricsNode}. */
export interface MetricsNodeOptions {
  readonly kubeConfig: KubeConfig;
  /** Path of a kubeconfig for the same cluster (KWOK reads it). */
  readonly kubeconfigPath: string;
  /** Folder with the `kwok` binary; default from `ensureClusterBinaries()`. */
  readonly binDir?: string;
  /** Longest wait for the node to be Ready and schedulable, ms (default 60 000). */
  readonly timeoutMs?: number;
}

/** A running metrics node: see {@link startMetricsNode}. */
export interface MetricsNode {
  /** Node name, `ebb-metrics-<id>`. */
  readonly name: string;
  /** Label selector of this node (for metrics-server's `--node-selector`). */
  readonly labelSelector: string;
  /** Put into a pod spec to run the pod on this node (nodeSelector and the toleration of its taint). */
  readonly placement: { readonly nodeSelector: Record<string, string>; readonly tolerations: V1Toleration[] };
  readonly kwok: OwnedProcess;
  /** Stops its KWOK and deletes the node (pods still on it are deleted with it by the pod GC). */
  stop(): Promise<void>;
}

/**
 * Starts a fake node whose pods report CPU and memory usage, for tests of `metrics.k8s.io`: a Node of its own,
 * driven by a KWOK process of its own that runs the cluster's pod Stages plus usage simulation and a kubelet-like
 * `/metrics/resource` endpoint (see `kwokMetricsYaml`). Set a pod's usage with `USAGE_ANNOTATIONS`.
 *
 * The node is tainted (`ebb.dev/metrics-node=<id>:NoSchedule`), so only pods that ask for it (with
 * {@link MetricsNode.placement}) land there, and the cluster's own KWOK leaves it alone (it manages nodes
 * annotated `kwok.x-k8s.io/node=fake`; this one is annotated with its id). Works on any cluster where this
 * machine can run KWOK against the apiserver; the cluster itself is not changed.
 */
export async function startMetricsNode(options: MetricsNodeOptions): Promise<MetricsNode> {
  const id = randomBytes(3).toString('hex');
  const name = `ebb-metrics-${id}`;
  const binDir = options.binDir ?? (await ensureClusterBinaries());
  const dir = await mkdtemp(join(tmpdir(), `${name}-`));
  const configFile = join(dir, 'kwok.yaml');
  await writeFile(configFile, `${kwokPodStagesYaml()}\n---\n${kwokMetricsYaml()}`);
  const port = await findFreePort();
  const core = options.kubeConfig.makeApiClient(CoreV1Api);
  const node: V1Node = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      annotations: {
        'kwok.x-k8s.io/node': name,
        'node.alpha.kubernetes.io/ttl': '0',
        [RESOURCE_METRICS_PATH_ANNOTATION]: KWOK_RESOURCE_METRICS_PATH.replace('{nodeName}', name),
      },
      labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', type: 'kwok-metrics', [METRICS_NODE_LABEL]: id },
    },
    spec: { podCIDR: METRICS_NODE_POD_CIDR, podCIDRs: [METRICS_NODE_POD_CIDR], taints: [{ key: METRICS_NODE_LABEL, value: id, effect: 'NoSchedule' }] },
  };
  await core.createNode({ body: node });
  let kwok: OwnedProcess | undefined;
  const stop = async (): Promise<void> => {
    await kwok?.stop();
    await core.deleteNode({ name }).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    kwok = startOwnedProcess({
      command: join(binDir, 'kwok'),
      args: [
        `--kubeconfig=${options.kubeconfigPath}`, `--config=${configFile}`,
        '--manage-all-nodes=false', `--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=${name}`,
        // metrics-server reaches the node at its InternalIP and the kubelet port of its status: this server.
        '--node-ip=127.0.0.1', `--node-port=${port}`, `--server-address=127.0.0.1:${port}`,
        // Renew a node Lease every 10 s, as a kubelet does. Without it the node lifecycle controller finds the
        // node silent after its grace period, marks its pods NotReady, and KWOK turns them Ready again, which
        // moves their Ready transition time (and the HPA's CPU initialization check) every ~50 s.
        '--node-lease-duration-seconds=40',
      ],
      logFile: join(dir, 'kwok.log'),
    });
    const running = kwok;
    const outcome = await waitFor(
      async () => (!running.alive() ? 'exited' : isNodeSchedulable(await core.readNode({ name })) && 'schedulable'),
      { timeoutMs: options.timeoutMs ?? 60_000, intervalMs: 200, description: `metrics node ${name} to be Ready and schedulable` },
    );
    if (outcome === 'exited') throw new Error(`kwok exited:\n${running.logTail()}`);
    return {
      name,
      labelSelector: `${METRICS_NODE_LABEL}=${id}`,
      placement: { nodeSelector: { [METRICS_NODE_LABEL]: id }, tolerations: [{ key: METRICS_NODE_LABEL, operator: 'Equal', value: id, effect: 'NoSchedule' }] },
      kwok: running,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
