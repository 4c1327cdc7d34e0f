import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepAbandonedClusters, writeClusterState, type ClusterState } from './cluster-state.ts';
import { isAlive } from './processes.ts';
import { waitFor } from './wait-for.ts';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ebb-sweep-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function pidOf(child: ChildProcess): number {
  if (child.pid === undefined) throw new Error('child process did not start');
  return child.pid;
}

/** A PID that is certainly gone: a process that already exited. */
async function deadPid(): Promise<number> {
  const child = spawn('true');
  await new Promise((resolve) => child.on('exit', resolve));
  return pidOf(child);
}

/** A recorded cluster whose "etcd" is a `sleep` holding the state folder in its command line. */
async function fakeCluster(name: string, ownerPid: number | null): Promise<{ dir: string; pid: number }> {
  const dir = join(root, name);
  await mkdir(dir, { recursive: true });
  // `sh -c '…' <dir>` keeps the folder in the shell's command line, as every real component has it in its flags.
  const child = spawn('sh', ['-c', 'sleep 60; exit 0', dir], { detached: true, stdio: 'ignore' });
  child.unref();
  const pid = pidOf(child);
  const state: ClusterState = {
    version: 1,
    name,
    stateDir: dir,
    kubeconfigPath: join(dir, 'kubeconfig'),
    apiserverUrl: 'https://127.0.0.1:1',
    binDir: '/nonexistent',
    ownerPid,
    startedAt: new Date().toISOString(),
    components: { etcd: { command: 'sleep', args: [], logFile: join(dir, 'etcd.log'), pid, port: 1 } },
    nodes: [],
  };
  await writeClusterState(join(dir, 'state.json'), state);
  return { dir, pid };
}

describe('sweepAbandonedClusters', () => {
  it('stops and removes clusters whose owner died, and keeps owned and CLI clusters', async () => {
    const abandoned = await fakeCluster('abandoned', await deadPid());
    const owned = await fakeCluster('owned', process.pid);
    const cli = await fakeCluster('cli', null);
    try {
      await waitFor(() => [abandoned, owned, cli].every((c) => isAlive(c.pid)), { timeoutMs: 2_000 });
      expect(await sweepAbandonedClusters(root)).toEqual(['abandoned']);
      expect(isAlive(abandoned.pid)).toBe(false);
      await expect(stat(abandoned.dir)).rejects.toThrow('ENOENT');
      expect(isAlive(owned.pid) && isAlive(cli.pid)).toBe(true);
      expect((await stat(owned.dir)).isDirectory() && (await stat(cli.dir)).isDirectory()).toBe(true);
    } finally {
      for (const c of [abandoned, owned, cli]) if (isAlive(c.pid)) process.kill(c.pid, 'SIGKILL');
    }
  });

  it('does not kill a process that merely reuses a recorded PID', async () => {
    const stranger = spawn('sleep', ['60'], { detached: true, stdio: 'ignore' });
    stranger.unref();
    try {
      const dir = join(root, 'reused');
      await mkdir(dir, { recursive: true });
      await writeClusterState(join(dir, 'state.json'), {
        version: 1, name: 'reused', stateDir: dir, kubeconfigPath: '', apiserverUrl: '', binDir: '',
        ownerPid: await deadPid(), startedAt: '', nodes: [],
        components: { etcd: { command: 'sleep', args: [], logFile: '', pid: pidOf(stranger), port: 1 } },
      });
      expect(await sweepAbandonedClusters(root)).toEqual(['reused']);
      expect(isAlive(pidOf(stranger))).toBe(true);
    } finally {
      stranger.kill('SIGKILL');
    }
  });
});
