import { mkdir, readdir, rmdir, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isAbandoned, livePids, readClusterState } from './cluster-state.ts';
import { podCidrSlot, type PodNetwork } from './pod-network.ts';
import { clusterPaths } from './run-paths.ts';

/** Slots of `network` held by the other live clusters under `runRoot`. */
export async function usedPodSlots(runRoot: string, exceptName: string, network: PodNetwork): Promise<Set<number>> {
  const used = new Set<number>();
  let names: string[] = [];
  try {
    names = await readdir(runRoot);
  } catch {
    return used;
  }
  for (const name of names) {
    if (name === exceptName || name.startsWith('.')) continue;
    let stateFile: string;
    try {
      stateFile = clusterPaths(name, runRoot).stateFile;
    } catch {
      continue;
    }
    const state = await readClusterState(stateFile);
    if (!state || isAbandoned(state) || livePids(state).length === 0) continue;
    for (const node of state.nodes) {
      const slot = podCidrSlot(network, node.podCidr);
      if (slot !== undefined) used.add(slot);
    }
  }
  return used;
}

/**
 * Runs `fn` while holding a lock on `runRoot` (a `.lock` folder), so two clusters starting at the same moment
 * pick pod ranges one after the other. A lock older than 60 s is taken to be left by a dead process.
 */
export async function withRunRootLock<T>(runRoot: string, fn: () => Promise<T>): Promise<T> {
  await mkdir(runRoot, { recursive: true });
  const lock = join(runRoot, '.lock');
  const deadline = performance.now() + 30_000;
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = await stat(lock).then((s) => Date.now() - s.mtimeMs, () => 0);
      if (age > 60_000) await rmdir(lock).catch(() => undefined);
      else if (performance.now() > deadline) throw new Error(`could not lock ${lock} within 30 s; remove it if no cluster is starting`);
      else await sleep(50);
    }
  }
  try {
    return await fn();
  } finally {
    await rmdir(lock).catch(() => undefined);
  }
}

/**
 * Checks that this machine treats addresses of a non-loopback pod network as its own, by listening on the
 * first address of `podCidr`. Throws a message with the one-line fix when it does not.
 */
export async function assertPodNetworkRouted(network: PodNetwork, podCidr: string): Promise<void> {
  if (network.loopback) return;
  const address = podCidr.split('/')[0] ?? '';
  try {
    await new Promise<void>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, address, () => server.close(() => resolve()));
    });
  } catch (error) {
    throw new Error(
      `pod network ${network.cidr} is not routed to this machine (listening on ${address} failed: ${(error as Error).message}). ` +
        `Route it to the loopback device (\`sudo ip route add local ${network.cidr} dev lo\`), run inside a private network ` +
        `namespace that has that route (\`unshare -rn\`), or unset EBB_CLUSTER_POD_NETWORK to use 127.0.0.0/8.`,
      { cause: error },
    );
  }
}
