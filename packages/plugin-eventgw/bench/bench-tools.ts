import { execFile, execFileSync, fork, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** A child process of the benchmark (see `bench-process.ts`). */
export interface BenchChild {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly port: number;
  readonly adminPort: number | undefined;
  /** `process.memoryUsage()` of the child, after a full GC. */
  memory(): Promise<NodeJS.MemoryUsage>;
  send(message: string): void;
  stop(): Promise<void>;
}

/** Asks `child` to stop (`ask`) and waits for its exit; SIGKILL after 5 s. */
async function stopChild(child: ChildProcess, ask: () => void): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  ask();
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** Starts `bench-process.ts` with `args` and waits until it listens. */
export async function startChild(args: readonly string[]): Promise<BenchChild> {
  const child = fork(join(import.meta.dirname, 'bench-process.ts'), args, {
    execArgv: [
      '--conditions=@ebb/source',
      '--disable-warning=ExperimentalWarning',
      '--expose-gc',
      // EBB_BENCH_CPU_PROF=<dir>: a V8 CPU profile of the gateway process, for finding its hot path.
      ...(args[0] === (process.env['EBB_BENCH_CPU_PROF_ROLE'] ?? 'gateway') && process.env['EBB_BENCH_CPU_PROF'] ? ['--cpu-prof', `--cpu-prof-dir=${process.env['EBB_BENCH_CPU_PROF']}`] : []),
    ],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await new Promise<{ port: number; adminPort?: number }>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bench process ${args[0]} exited with ${code} before listening`)));
    child.on('message', (m: { ready?: boolean; port: number; adminPort?: number }) => {
      if (m.ready) resolve(m);
    });
  });
  return {
    child,
    pid: child.pid ?? 0,
    port: ready.port,
    adminPort: ready.adminPort,
    memory: () =>
      new Promise((resolve) => {
        const on = (m: { mem?: NodeJS.MemoryUsage }): void => {
          if (!m.mem) return;
          child.off('message', on);
          resolve(m.mem);
        };
        child.on('message', on);
        child.send('mem');
      }),
    send: (message) => child.send(message),
    stop: () => stopChild(child, () => child.send('stop')),
  };
}

const CLOCK_TICKS = 100;

/** User + system CPU seconds a process has used so far (from /proc/<pid>/stat). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/** Resident set size of a process in bytes (VmRSS from /proc/<pid>/status). */
export function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? 0) * 1024;
}

/** What one wrk run reports. */
export interface WrkResult {
  readonly requests: number;
  readonly seconds: number;
  readonly rps: number;
  /** Latency percentiles in ms (50, 75, 90, 99). */
  readonly p50: number;
  readonly p99: number;
  /** Socket errors plus non-2xx answers. */
  readonly errors: number;
}

function toMs(value: string, unit: string): number {
  const v = Number(value);
  return unit === 'us' ? v / 1000 : unit === 's' ? v * 1000 : unit === 'm' ? v * 60_000 : v;
}

/** Parses wrk's text output (run with --latency). */
export function parseWrk(text: string): WrkResult {
  const num = (re: RegExp): number => Number(re.exec(text)?.[1] ?? NaN);
  const pct = (p: number): number => {
    const m = new RegExp(`^\\s+${p}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, 'm').exec(text);
    return m ? toMs(m[1] ?? '', m[2] ?? 'ms') : NaN;
  };
  const requests = num(/(\d+) requests in/);
  const duration = /requests in ([\d.]+)(us|ms|s|m),/.exec(text);
  const seconds = duration ? toMs(duration[1] ?? '', duration[2] ?? 's') / 1000 : NaN;
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  const socketErrors = socket ? socket.slice(1).reduce((a, b) => a + Number(b), 0) : 0;
  const non2xx = num(/Non-2xx or 3xx responses: (\d+)/);
  return { requests, seconds, rps: num(/Requests\/sec:\s+([\d.]+)/), p50: pct(50), p99: pct(99), errors: socketErrors + (Number.isNaN(non2xx) ? 0 : non2xx) };
}

/** Runs wrk (`wrk` on PATH, or $WRK) and parses its output; `cpu` pins it to that CPU (taskset). */
export async function wrk(url: string, o: { connections: number; seconds: number; host?: string; cpu?: number }): Promise<WrkResult> {
  const wrkArgs = ['-t1', `-c${o.connections}`, `-d${o.seconds}s`, '--latency', ...(o.host ? ['-H', `Host: ${o.host}`] : []), url];
  const [command, args] = o.cpu === undefined ? [process.env['WRK'] ?? 'wrk', wrkArgs] : ['taskset', ['-c', String(o.cpu), process.env['WRK'] ?? 'wrk', ...wrkArgs]];
  const text = await new Promise<string>((resolve, reject) =>
    execFile(command, args, { encoding: 'utf8' }, (err, stdout, stderr) => (err ? reject(new Error(`wrk ${args.join(' ')}: ${err.message} ${stderr}`)) : resolve(stdout))),
  );
  const result = parseWrk(text);
  if (!Number.isFinite(result.rps) || !Number.isFinite(result.p50)) throw new Error(`cannot read wrk's output:\n${text}`);
  return result;
}

/** Runs `fn` and returns its result with the CPU seconds `pids` used meanwhile. */
export async function withCpu<T>(pids: readonly number[], fn: () => Promise<T>): Promise<{ result: T; cpu: number[] }> {
  const before = pids.map(cpuSeconds);
  const result = await fn();
  return { result, cpu: pids.map((p, i) => cpuSeconds(p) - (before[i] ?? 0)) };
}

/** Median, min and max of a list. */
export function spread(values: readonly number[]): { median: number; min: number; max: number } {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 ? (s[mid] ?? NaN) : ((s[mid - 1] ?? NaN) + (s[mid] ?? NaN)) / 2;
  return { median, min: s[0] ?? NaN, max: s.at(-1) ?? NaN };
}

/** Pins a running process (all its threads) to one CPU. */
export function pinToCpu(pid: number, cpu: number): void {
  execFileSync('taskset', ['-a', '-cp', String(cpu), String(pid)], { stdio: 'ignore' });
}

/**
 * Builds the Go reference proxy (`go-proxy/`, standard library only) once per source version into
 * ~/.cache/ebb/bench and starts it in front of `backendPort`; undefined when Go is not installed.
 */
export async function startGoProxy(backendPort: number): Promise<BenchChild | undefined> {
  const source = join(import.meta.dirname, 'go-proxy');
  const hash = createHash('sha256').update(readFileSync(join(source, 'main.go'))).update(readFileSync(join(source, 'go.mod'))).digest('hex').slice(0, 12);
  const dir = join(homedir(), '.cache', 'ebb', 'bench');
  const binary = join(dir, `go-proxy-${hash}`);
  if (!existsSync(binary)) {
    try {
      mkdirSync(dir, { recursive: true });
      execFileSync('go', ['build', '-o', binary, '.'], { cwd: source, stdio: ['ignore', 'ignore', 'inherit'] });
    } catch (e) {
      console.error(`[bench] no Go reference proxy (go build failed: ${e instanceof Error ? e.message : String(e)})`);
      return undefined;
    }
  }
  const child = spawn(binary, [String(backendPort)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`go-proxy exited with ${code} before listening`)));
    child.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
  });
  return {
    child,
    pid: child.pid ?? 0,
    port,
    adminPort: undefined,
    memory: () => Promise.reject(new Error('no memory figures for the Go proxy')),
    send: () => undefined,
    stop: () => stopChild(child, () => child.kill('SIGTERM')),
  };
}
