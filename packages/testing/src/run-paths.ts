import { homedir } from 'node:os';
import { join } from 'node:path';

/** Name of the cluster the CLI manages when no name is given. */
export const DEFAULT_CLUSTER_NAME = 'default';

/**
 * The folder that holds one sub-folder per local cluster (certificates, kubeconfigs, etcd data, logs, state).
 * `EBB_CLUSTER_RUN_DIR` overrides it; otherwise `$XDG_CACHE_HOME/ebb/run` or `~/.cache/ebb/run`.
 */
export function clusterRunRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env['EBB_CLUSTER_RUN_DIR']) return env['EBB_CLUSTER_RUN_DIR'];
  const cache = env['XDG_CACHE_HOME'] || join(homedir(), '.cache');
  return join(cache, 'ebb', 'run');
}

/**
 * Checks a cluster name: it becomes a folder name and part of log lines, so it is kept to
 * lowercase letters, digits and dashes (1 to 63 characters), like a Kubernetes name.
 */
export function assertClusterName(name: string): void {
  if (!/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(name)) {
    throw new Error(
      `cluster name "${name}" is not allowed: use 1-63 lowercase letters, digits or dashes, starting and ending with a letter or digit`,
    );
  }
}

/** The files of one cluster inside its state folder. */
export interface ClusterPaths {
  /** The cluster's own folder; removed when the cluster is stopped. */
  readonly stateDir: string;
  /** JSON record of ports, PIDs and command lines (see `ClusterState`). */
  readonly stateFile: string;
  /** Certificates and keys. */
  readonly pkiDir: string;
  /** etcd data. */
  readonly etcdDataDir: string;
  /** One log file per component. */
  readonly logDir: string;
  /** Admin kubeconfig (cluster-admin through the `system:masters` group). */
  readonly kubeconfig: string;
  /** KWOK Stage configuration. */
  readonly kwokConfig: string;
}

/** Paths of the cluster called `name` under `runRoot`. */
export function clusterPaths(name: string, runRoot: string = clusterRunRoot()): ClusterPaths {
  assertClusterName(name);
  const stateDir = join(runRoot, name);
  return {
    stateDir,
    stateFile: join(stateDir, 'state.json'),
    pkiDir: join(stateDir, 'pki'),
    etcdDataDir: join(stateDir, 'etcd'),
    logDir: join(stateDir, 'logs'),
    kubeconfig: join(stateDir, 'kubeconfig'),
    kwokConfig: join(stateDir, 'kwok.yaml'),
  };
}
