import { mkdir, readdir, rmdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isAbandoned, livePids, readClusterState } from './cluster-state.ts';
import { clusterPaths } from './run-paths.ts';

/** Lowest and highest second octet a fake node's pod CIDR (127.<octet>.0.0/16) may use. */
export const POD_OCTET_RANGE = { first: 1, last: 254 } as const;

/** The second octet of a 127.<octet>.0.0/16 pod CIDR, or `undefined` for any other CIDR. */
export function podCidrOctet(cidr: string): number | undefined {
  const match = /^127\.(\d{1,3})\.0\.0\/16$/.exec(cidr);
  return match ? Number(match[1]) : undefined;
}

/**
 * The lowest second octet `s` such that 127.s.0.0/16 up to 127.(s+count-1).0.0/16 are all unused, so that
 * clusters running side by side (parallel test projects) never hand out the same pod IP.
 */
export function pickFirstPodOctet(used: ReadonlySet<number>, count: number): number {
  for (let start = POD_OCTET_RANGE.first; start + count - 1 <= POD_OCTET_RANGE.last; start++) {
    let free = true;
    for (let octet = start; octet < start + count; octet++) if (used.has(octet)) free = false;
    if (free) return start;
  }
  throw new Error(`no room for ${count} more fake nodes in 127.0.0.0/8: other local clusters use ${used.size} /16 pod ranges`);
}

/** Second octets of pod CIDRs held by the other live clusters under `runRoot`. */
export async function usedPodOctets(runRoot: string, exceptName: string): Promise<Set<number>> {
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
      const octet = podCidrOctet(node.podCidr);
      if (octet !== undefined) used.add(octet);
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
