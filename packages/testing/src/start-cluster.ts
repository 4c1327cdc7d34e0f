import { CoreV1Api } from '@kubernetes/client-node';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureClusterBinaries } from './binaries.ts';
import { Cluster } from './cluster.ts';
import {
  destroyClusterDir,
  sweepAbandonedClusters,
  writeClusterState,
  type ClusterState,
  type ComponentName,
  type ComponentState,
} from './cluster-state.ts';
import { componentPort, componentSpec, KUBERNETES_SERVICE_IP, type ComponentInputs } from './component-args.ts';
import { componentProbe, waitUntilHealthy } from './control-plane-health.ts';
import { createFakeNodes, fakeNodeStates, isNodeSchedulable } from './fake-nodes.ts';
import { findFreePorts } from './free-port.ts';
import { parsePodNetwork, pickFirstSlot, podNetworkFromEnv } from './pod-network.ts';
import { assertPodNetworkRouted, usedPodSlots, withRunRootLock } from './pod-range-allocation.ts';
import { writeKubeconfig } from './kubeconfig-file.ts';
import { kwokPodStagesYaml } from './kwok-stages.ts';
import { createClusterPki } from './pki.ts';
import { spawnDetached } from './processes.ts';
import { clusterPaths, clusterRunRoot, DEFAULT_CLUSTER_NAME } from './run-paths.ts';
import { waitFor } from './wait-for.ts';

/** Options of {@link startCluster}. */
export interface StartClusterOptions {
  /** Folder name under the run root; a leftover cluster of the same name is removed first. Default `default`. */
  readonly name?: string;
  /** Root of the cluster folders. Default {@link clusterRunRoot}. */
  readonly runRoot?: string;
  /** Folder with the binaries; default: `EBB_CLUSTER_BIN_DIR` or the output of `tools/cluster/build.sh`. */
  readonly binDir?: string;
  /** Number of fake nodes, 1 to 32. Default 2. */
  readonly nodes?: number;
  /**
   * IPv4 network (/8 to /16) for pod IPs; each node gets one block of it. Default `EBB_CLUSTER_POD_NETWORK` or
   * 127.0.0.0/8. A non-loopback network must be routed to `lo` on this machine (checked at start).
   */
  readonly podNetwork?: string;
  /**
   * `false` (default): the cluster belongs to this process; if the process dies without `stop()`, the next
   * `startCluster` anywhere removes it. `true`: the cluster is meant to outlive this process (the CLI's `up`).
   */
  readonly keepAfterExit?: boolean;
  /** Deadline for each component to become healthy and for the nodes to be ready, in ms. Default 90 000. */
  readonly timeoutMs?: number;
  /** Progress lines. Default: dropped. */
  readonly log?: (line: string) => void;
}

/**
 * Starts a local Kubernetes control plane on 127.0.0.1 only: etcd, kube-apiserver (RBAC, service-account
 * tokens, aggregation layer), kube-controller-manager, kube-scheduler and KWOK, each on a free port, and
 * fake nodes whose pods get loopback IPs (see `fakeNodeStates`) and become Ready through KWOK stages (see
 * `READINESS_DELAY_ANNOTATION`). Resolves when nodes accept pods and the `default` service account exists.
 * Takes about 5 to 15 s once the binaries are built. On failure, the processes are stopped and the error
 * names the component and shows the end of its log (the folder is kept for inspection).
 */
export async function startCluster(options: StartClusterOptions = {}): Promise<Cluster> {
  const name = options.name ?? DEFAULT_CLUSTER_NAME;
  const runRoot = options.runRoot ?? clusterRunRoot();
  const timeoutMs = options.timeoutMs ?? 90_000;
  const log = options.log ?? (() => undefined);
  const paths = clusterPaths(name, runRoot);
  const swept = await sweepAbandonedClusters(runRoot);
  if (swept.length > 0) log(`removed abandoned clusters: ${swept.join(', ')}`);
  await destroyClusterDir(paths.stateDir);

  const binDir = options.binDir ?? (await ensureClusterBinaries({ log }));
  await Promise.all([paths.etcdDataDir, paths.logDir].map((dir) => mkdir(dir, { recursive: true, mode: 0o700 })));
  const [etcdClient, etcdPeer, apiserver, controllerManager, scheduler, kwok] = (await findFreePorts(6)) as [
    number, number, number, number, number, number,
  ];
  const ports = { etcdClient, etcdPeer, apiserver, controllerManager, scheduler, kwok };
  const pki = await createClusterPki(paths.pkiDir, KUBERNETES_SERVICE_IP);
  const server = `https://127.0.0.1:${ports.apiserver}`;
  const kubeconfigs = {
    controllerManager: join(paths.pkiDir, 'controller-manager.kubeconfig'),
    scheduler: join(paths.pkiDir, 'scheduler.kubeconfig'),
  };
  await Promise.all([
    writeKubeconfig(paths.kubeconfig, { name: `ebb-${name}`, server, caFile: pki.ca.cert, client: pki.admin }),
    writeKubeconfig(kubeconfigs.controllerManager, { name: 'kcm', server, caFile: pki.ca.cert, client: pki.controllerManager }),
    writeKubeconfig(kubeconfigs.scheduler, { name: 'scheduler', server, caFile: pki.ca.cert, client: pki.scheduler }),
    writeFile(paths.kwokConfig, kwokPodStagesYaml()),
  ]);

  const inputs: ComponentInputs = { binDir, paths, pki, ports, kubeconfigs };
  let state: ClusterState = {
    version: 1,
    name,
    stateDir: paths.stateDir,
    kubeconfigPath: paths.kubeconfig,
    apiserverUrl: server,
    binDir,
    ownerPid: options.keepAfterExit ? null : process.pid,
    startedAt: '',
    components: {},
    nodes: [],
  };
  const start = async (component: ComponentName): Promise<ComponentState> => {
    const spec = componentSpec(component, inputs);
    const started = { ...spec, pid: spawnDetached(spec), port: componentPort(component, ports) };
    state = { ...state, components: { ...state.components, [component]: started } };
    await writeClusterState(paths.stateFile, state);
    return started;
  };
  const healthy = async (component: ComponentName, started: ComponentState): Promise<void> =>
    await waitUntilHealthy({ name: component, component: started, probe: componentProbe(component, state), timeoutMs });

  const began = performance.now();
  try {
    const nodeCount = options.nodes ?? 2;
    const network = options.podNetwork ? parsePodNetwork(options.podNetwork) : podNetworkFromEnv();
    await withRunRootLock(runRoot, async () => {
      const first = pickFirstSlot(await usedPodSlots(runRoot, name, network), nodeCount, network);
      state = { ...state, nodes: fakeNodeStates(nodeCount, first, network) };
      await writeClusterState(paths.stateFile, state);
    });
    await assertPodNetworkRouted(network, state.nodes[0]?.podCidr ?? '');
    log(`starting etcd on 127.0.0.1:${ports.etcdClient}`);
    await healthy('etcd', await start('etcd'));
    log(`starting kube-apiserver on ${server}`);
    await healthy('kube-apiserver', await start('kube-apiserver'));
    log('starting kube-controller-manager, kube-scheduler and kwok');
    const rest = ['kube-controller-manager', 'kube-scheduler', 'kwok'] as const;
    const started = await Promise.all(rest.map(async (c) => [c, await start(c)] as const));
    await Promise.all(started.map(([c, s]) => healthy(c, s)));
    log('creating fake nodes');
    const cluster = new Cluster(state);
    await waitForWorkloadReadiness(cluster, timeoutMs, log);
    state = { ...state, startedAt: new Date().toISOString() };
    await writeClusterState(paths.stateFile, state);
    log(`cluster ${name} ready in ${((performance.now() - began) / 1000).toFixed(1)} s; kubeconfig: ${paths.kubeconfig}`);
    return new Cluster(state);
  } catch (error) {
    await new Cluster(state).stopProcesses();
    throw error;
  }
}

/** Creates the fake nodes and waits until they take pods and the `default` service account exists. */
async function waitForWorkloadReadiness(cluster: Cluster, timeoutMs: number, log: (line: string) => void): Promise<void> {
  const kc = cluster.kubeConfig();
  const core = kc.makeApiClient(CoreV1Api);
  await createFakeNodes(kc, cluster.nodes);
  await waitFor(
    async () => {
      const nodes = (await core.listNode({ labelSelector: 'type=kwok' })).items;
      return nodes.length === cluster.nodes.length && nodes.every(isNodeSchedulable);
    },
    { timeoutMs, description: `${cluster.nodes.length} fake nodes to be Ready without not-ready taints (is kwok running?)` },
  );
  log('fake nodes ready');
  await waitFor(async () => (await core.readNamespacedServiceAccount({ name: 'default', namespace: 'default' })).metadata?.name, {
    timeoutMs,
    description: 'the default service account (created by kube-controller-manager)',
  });
}
