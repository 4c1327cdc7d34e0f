import { randomUUID } from 'node:crypto';
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isAlive, isOurProcess, terminate, type ProcessSpec } from './processes.ts';
import { clusterPaths } from './run-paths.ts';

/** The control-plane processes of a local cluster, in start order. */
export const COMPONENTS = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok'] as const;

/** One of {@link COMPONENTS}. */
export type ComponentName = (typeof COMPONENTS)[number];

/** A started component: how it was started and its PID. */
export interface ComponentState extends ProcessSpec {
  readonly pid: number;
  /** Loopback port it serves on (etcd: client port; kwok: its kubelet-like server). */
  readonly port: number;
}

/** A fake node created for KWOK. */
export interface FakeNodeState {
  readonly name: string;
  /** `spec.podCIDR` (by default inside 127.0.0.0/8); KWOK assigns pod IPs from it. */
  readonly podCidr: string;
}

/** What `state.json` in a cluster's folder records; enough for any process to inspect, restart or stop it. */
export interface ClusterState {
  readonly version: 1;
  readonly name: string;
  readonly stateDir: string;
  readonly kubeconfigPath: string;
  /** `https://127.0.0.1:<port>`. */
  readonly apiserverUrl: string;
  readonly binDir: string;
  /**
   * PID of the process that owns an ephemeral cluster (a test run); when it is gone the cluster is stale and
   * the next start removes it. `null` for a cluster meant to outlive its starter (the CLI's `up`).
   */
  readonly ownerPid: number | null;
  /** ISO-8601 time the cluster became ready. */
  readonly startedAt: string;
  readonly components: Partial<Record<ComponentName, ComponentState>>;
  readonly nodes: readonly FakeNodeState[];
}

/** Reads a cluster's state file; `undefined` when there is none or it cannot be parsed. */
export async function readClusterState(stateFile: string): Promise<ClusterState | undefined> {
  try {
    const parsed = JSON.parse(await readFile(stateFile, 'utf8')) as ClusterState;
    return parsed.version === 1 ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Writes a cluster's state file atomically (write, then rename). */
export async function writeClusterState(stateFile: string, state: ClusterState): Promise<void> {
  const tmp = `${stateFile}.${randomUUID()}.tmp`;
  await writeFile(tmp, `${JSON.stringify(state, null, 2)}\n`);
  await rename(tmp, stateFile);
}

/** PIDs of the recorded components that are still running (and are still ours), in reverse start order. */
export function livePids(state: Pick<ClusterState, 'components' | 'stateDir'>): number[] {
  return [...COMPONENTS]
    .reverse()
    .map((name) => state.components[name]?.pid)
    .filter((pid): pid is number => pid !== undefined && isOurProcess(pid, state.stateDir));
}

/**
 * Stops the recorded processes in three waves, clients before servers: the controllers and kwok, then
 * kube-apiserver, then etcd (stopped together, the apiserver would wait on the vanishing etcd until SIGKILL).
 * Each wave gets SIGTERM and, after `graceMs`, SIGKILL.
 */
export async function stopComponents(state: Pick<ClusterState, 'components' | 'stateDir'>, graceMs = 3_000): Promise<void> {
  const waves: ComponentName[][] = [['kwok', 'kube-scheduler', 'kube-controller-manager'], ['kube-apiserver'], ['etcd']];
  for (const wave of waves) {
    await terminate(livePids({ stateDir: state.stateDir, components: pick(state.components, wave) }), graceMs);
  }
}

function pick(components: ClusterState['components'], names: readonly ComponentName[]): ClusterState['components'] {
  return Object.fromEntries(Object.entries(components).filter(([name]) => names.includes(name as ComponentName)));
}

/**
 * Stops every recorded process of the cluster in `stateDir` ({@link stopComponents}) and deletes the folder.
 * Works on a half-started or crashed cluster, and is a no-op when the folder does not exist.
 */
export async function destroyClusterDir(stateDir: string): Promise<void> {
  const state = await readClusterState(join(stateDir, 'state.json'));
  if (state) await stopComponents({ components: state.components, stateDir });
  await rm(stateDir, { recursive: true, force: true, maxRetries: 3 });
}

/** True when a state describes an ephemeral cluster whose owner process is gone. */
export function isAbandoned(state: Pick<ClusterState, 'ownerPid'>): boolean {
  return state.ownerPid !== null && !isAlive(state.ownerPid);
}

/**
 * Removes clusters under `runRoot` left behind by test runs that died: those whose owner process is gone.
 * Returns the names removed. Clusters started by the CLI (no owner) are left alone.
 */
export async function sweepAbandonedClusters(runRoot: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(runRoot);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    let paths;
    try {
      paths = clusterPaths(name, runRoot);
    } catch {
      continue; // not a cluster folder
    }
    const state = await readClusterState(paths.stateFile);
    if (state && isAbandoned(state)) {
      await destroyClusterDir(paths.stateDir);
      removed.push(name);
    }
  }
  return removed;
}
