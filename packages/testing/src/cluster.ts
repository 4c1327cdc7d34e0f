import { KubeConfig } from '@kubernetes/client-node';
import { join } from 'node:path';
import {
  COMPONENTS,
  destroyClusterDir,
  readClusterState,
  stopComponents,
  writeClusterState,
  type ClusterState,
  type ComponentName,
  type FakeNodeState,
} from './cluster-state.ts';
import { apiserverReadyzProbe, componentProbe, waitUntilHealthy } from './control-plane-health.ts';
import { describeProbe, isOk } from './https-probe.ts';
import { waitForPortFree } from './free-port.ts';
import { isOurProcess, spawnDetached, terminate } from './processes.ts';
import { clusterPaths, clusterRunRoot } from './run-paths.ts';

/** One component as {@link Cluster.status} sees it. */
export interface ComponentStatus {
  readonly name: ComponentName;
  readonly pid: number;
  readonly port: number;
  readonly running: boolean;
  readonly logFile: string;
}

/** What {@link Cluster.status} reports. */
export interface ClusterStatus {
  readonly name: string;
  readonly stateDir: string;
  readonly kubeconfigPath: string;
  readonly apiserverUrl: string;
  readonly startedAt: string;
  /** PID of the test run that owns the cluster, or `null` when it was started to outlive its starter. */
  readonly ownerPid: number | null;
  readonly components: readonly ComponentStatus[];
  /** `/readyz` of kube-apiserver answered 200. */
  readonly apiserverReady: boolean;
  /** `ok`, or the `/readyz` answer or connection error. */
  readonly apiserverReadyz: string;
}

/** Readiness wait after a component restart, in milliseconds. */
const RESTART_TIMEOUT_MS = 60_000;

/**
 * Handle on a running local cluster (etcd, kube-apiserver, kube-controller-manager, kube-scheduler, KWOK),
 * backed by the state file in its folder: any process can open it by name, inspect, restart or stop it.
 * Obtain one from `startCluster` or {@link Cluster.open}.
 */
export class Cluster {
  #state: ClusterState;

  /** Wraps a recorded state; prefer `startCluster` or {@link Cluster.open}. */
  constructor(state: ClusterState) {
    this.#state = state;
  }

  /** Opens the cluster called `name` from its state file; `undefined` when there is none. */
  static async open(name: string, runRoot: string = clusterRunRoot()): Promise<Cluster | undefined> {
    const state = await readClusterState(clusterPaths(name, runRoot).stateFile);
    return state ? new Cluster(state) : undefined;
  }

  get name(): string {
    return this.#state.name;
  }

  /** The cluster's folder (PKI, etcd data, logs, kubeconfig, state). */
  get stateDir(): string {
    return this.#state.stateDir;
  }

  /** Admin kubeconfig (cluster-admin through `system:masters`), with certificates embedded. */
  get kubeconfigPath(): string {
    return this.#state.kubeconfigPath;
  }

  /** `https://127.0.0.1:<port>`. */
  get apiserverUrl(): string {
    return this.#state.apiserverUrl;
  }

  /** The fake nodes and their loopback pod CIDRs. */
  get nodes(): readonly FakeNodeState[] {
    return this.#state.nodes;
  }

  /** A snapshot of the recorded state. */
  get state(): ClusterState {
    return this.#state;
  }

  /** A fresh `KubeConfig` loaded from {@link kubeconfigPath}. */
  kubeConfig(): KubeConfig {
    const kc = new KubeConfig();
    kc.loadFromFile(this.kubeconfigPath);
    return kc;
  }

  /** Which processes are running and whether the apiserver is ready. */
  async status(): Promise<ClusterStatus> {
    const components = COMPONENTS.flatMap((name): ComponentStatus[] => {
      const c = this.#state.components[name];
      return c ? [{ name, pid: c.pid, port: c.port, logFile: c.logFile, running: isOurProcess(c.pid, this.stateDir) }] : [];
    });
    const readyz = await apiserverReadyzProbe(this.#state)();
    return {
      name: this.name,
      stateDir: this.stateDir,
      kubeconfigPath: this.kubeconfigPath,
      apiserverUrl: this.apiserverUrl,
      startedAt: this.#state.startedAt,
      ownerPid: this.#state.ownerPid,
      components,
      apiserverReady: isOk(readyz),
      apiserverReadyz: isOk(readyz) ? 'ok' : describeProbe(readyz),
    };
  }

  /**
   * Stops kube-apiserver (SIGTERM, SIGKILL after 5 s) and starts it again with the same command line and port,
   * then waits for `/readyz`. Watches break while it is down: clients must reconnect, as after a real
   * control-plane upgrade. Takes a few seconds.
   */
  async restartApiserver(): Promise<void> {
    await this.restartComponent('kube-apiserver');
  }

  /** Restarts one component with its recorded command line and waits until it is healthy again. */
  async restartComponent(name: ComponentName): Promise<void> {
    const current = this.#state.components[name];
    if (!current) throw new Error(`cluster ${this.name} has no ${name} to restart`);
    if (isOurProcess(current.pid, this.stateDir)) await terminate([current.pid]);
    // The stopped process may still hold its listener for a moment (its last threads exiting); starting the new
    // one before the port is free makes it fail with "address already in use".
    if (!(await waitForPortFree(current.port))) throw new Error(`cannot restart ${name}: 127.0.0.1:${current.port} is still in use after the old process stopped`);
    const pid = spawnDetached(current);
    const restarted = { ...current, pid };
    this.#state = { ...this.#state, components: { ...this.#state.components, [name]: restarted } };
    await writeClusterState(join(this.stateDir, 'state.json'), this.#state);
    const probe = componentProbe(name, this.#state);
    await waitUntilHealthy({ name, component: restarted, probe, timeoutMs: RESTART_TIMEOUT_MS });
  }

  /** Stops every process of the cluster and deletes its folder. Safe to call twice. */
  async stop(): Promise<void> {
    await destroyClusterDir(this.stateDir);
  }

  /** Stops every process of the cluster but keeps its folder (logs, data) for inspection. */
  async stopProcesses(): Promise<void> {
    await stopComponents(this.#state);
  }
}
