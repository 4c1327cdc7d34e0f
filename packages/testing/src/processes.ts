import { spawn } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** How to start one control-plane process; stored in the cluster state so another process can restart it. */
export interface ProcessSpec {
  /** Absolute path of the binary. */
  readonly command: string;
  readonly args: readonly string[];
  /** File that receives stdout and stderr (appended). */
  readonly logFile: string;
}

/**
 * Starts `spec` in its own session (detached), so it outlives the starting process (a CLI that exits, a test
 * worker that is recycled), with output appended to its log file. Returns the PID.
 */
export function spawnDetached(spec: ProcessSpec): number {
  const log = openSync(spec.logFile, 'a');
  try {
    const child = spawn(spec.command, [...spec.args], { detached: true, stdio: ['ignore', log, log] });
    // A missing binary is reported by waitForProcessOrExit/processExitReason; keep this call from throwing later.
    child.on('error', () => undefined);
    child.unref();
    if (child.pid === undefined) throw new Error(`could not start ${spec.command}: no PID (is the binary there and executable?)`);
    return child.pid;
  } finally {
    closeSync(log);
  }
}

/** True while a process with this PID exists (a zombie counts as gone). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc: trust kill(0)
  }
}

/**
 * True when `pid` is alive and its command line contains `marker` (the cluster's state folder, which every
 * component gets in its arguments). Guards against killing an unrelated process that reused a recorded PID.
 */
export function isOurProcess(pid: number, marker: string): boolean {
  if (!isAlive(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker);
  } catch {
    return false;
  }
}

/**
 * Stops processes: SIGTERM to each one's process group, then SIGKILL to whatever is still alive after
 * `graceMs`. Resolves when all are gone (or after a further second when even SIGKILL did not help).
 */
export async function terminate(pids: readonly number[], graceMs = 5_000): Promise<void> {
  const signal = (pid: number, sig: NodeJS.Signals): void => {
    for (const target of [-pid, pid]) {
      try {
        process.kill(target, sig);
      } catch {
        // already gone, or not a group leader
      }
    }
  };
  const live = pids.filter(isAlive);
  for (const pid of live) signal(pid, 'SIGTERM');
  if (await allGone(live, graceMs)) return;
  for (const pid of live.filter(isAlive)) signal(pid, 'SIGKILL');
  await allGone(live, 1_000);
}

async function allGone(pids: readonly number[], timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (pids.some(isAlive)) {
    if (performance.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}
