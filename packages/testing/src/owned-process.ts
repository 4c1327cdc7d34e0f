import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { isAlive, terminate, type ProcessSpec } from './processes.ts';

/** A helper process that lives as long as the test process that started it (unlike the detached cluster). */
export interface OwnedProcess {
  readonly pid: number;
  /** The command line, for messages. */
  readonly commandLine: string;
  readonly logFile: string;
  /** True while the process runs. */
  alive(): boolean;
  /** The last `lines` lines of its log. */
  logTail(lines?: number): string;
  /** SIGTERM, then SIGKILL after `graceMs` (default 3000); resolves when it is gone. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts `spec` as a child of this process, in its own process group, with stdout and stderr appended to its
 * log file. It is killed when this process exits (also on a test worker's exit), so no helper outlives a run.
 * @throws when the binary cannot be started.
 */
export function startOwnedProcess(spec: ProcessSpec): OwnedProcess {
  const log = openSync(spec.logFile, 'a');
  let pid: number | undefined;
  let startError: Error | undefined;
  try {
    const child = spawn(spec.command, [...spec.args], { detached: true, stdio: ['ignore', log, log] });
    child.on('error', (e) => (startError = e));
    child.unref(); // the 'exit' hook below ends it; it must not keep a test worker alive
    pid = child.pid;
  } finally {
    closeSync(log);
  }
  if (pid === undefined) throw new Error(`could not start ${spec.command}: ${startError?.message ?? 'no PID (is the binary there and executable?)'}`);
  const ownPid = pid;
  const killOnExit = (): void => {
    try {
      process.kill(-ownPid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  process.once('exit', killOnExit);
  const logTail = (lines = 20): string => {
    try {
      return readFileSync(spec.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  };
  return {
    pid: ownPid,
    commandLine: [spec.command, ...spec.args].join(' '),
    logFile: spec.logFile,
    alive: () => isAlive(ownPid),
    logTail,
    async stop(graceMs = 3_000) {
      process.off('exit', killOnExit);
      await terminate([ownPid], graceMs);
    },
  };
}
