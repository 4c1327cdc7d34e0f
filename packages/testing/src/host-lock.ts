import { open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlive } from './processes.ts';
import { waitFor } from './wait-for.ts';

/** A lock held by this process: see {@link holdHostLock}. */
export interface HostLock {
  readonly path: string;
  /** Frees the lock (once; later calls do nothing). */
  release(): Promise<void>;
}

/** Takes the lock file once: true when created, false when another live process holds it. */
async function tryTake(path: string): Promise<boolean> {
  try {
    const file = await open(path, 'wx');
    await file.writeFile(String(process.pid));
    await file.close();
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const holder = Number((await readFile(path, 'utf8').catch(() => '')).trim());
  // A lock whose holder is gone (a crashed test run) is taken over.
  if (!Number.isInteger(holder) || holder <= 0 || !isAlive(holder)) await rm(path, { force: true });
  return false;
}

/**
 * Holds a machine-wide lock named `name` (a file in the temp folder holding this process' id), for something a
 * machine has only one of, such as a fixed port. Waits up to `timeoutMs` for another holder to release it; a lock
 * left by a process that no longer runs is taken over.
 */
export async function holdHostLock(name: string, timeoutMs: number): Promise<HostLock> {
  const path = join(tmpdir(), `${name}.lock`);
  await waitFor(() => tryTake(path), { timeoutMs, intervalMs: 250, description: `the lock ${path} (held by process ${await readFile(path, 'utf8').catch(() => '?')})` });
  let held = true;
  return {
    path,
    async release() {
      if (!held) return;
      held = false;
      await rm(path, { force: true });
    },
  };
}
