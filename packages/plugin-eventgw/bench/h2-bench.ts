/**
 * The event gateway against a minimal Go h2c reverse proxy (`go-h2c-proxy/`: golang.org/x/net/http2/h2c and
 * httputil.ReverseProxy), side by side in one run, on loopback: HTTP/2 with prior knowledge end to end (client ->
 * proxy -> backend), for plain h2c requests (a node:http2 backend, 23-byte answers) and gRPC unary calls (the
 * @grpc/grpc-js Echo service of the tests). Load from h2load (Debian package nghttp2-client). Figures per proxy:
 * requests/s, and requests per proxy core = requests / CPU seconds the proxy process used (/proc/<pid>/stat), so
 * the ratio gateway / Go does not need the machine to itself. Rounds rotate which proxy goes first.
 *
 * Run: cd /work/main && source scripts/node-env.sh
 *   node --conditions=@ebb/source --disable-warning=ExperimentalWarning packages/plugin-eventgw/bench/h2-bench.ts
 * Environment: EBB_BENCH_ROUNDS (3), EBB_BENCH_SECONDS (5), EBB_BENCH_CONNECTIONS (8), EBB_BENCH_STREAMS (16 per
 * connection), H2LOAD (path of h2load).
 */
import { execFile, execFileSync, fork, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuSeconds, spread } from './bench-tools.ts';

const ROUNDS = Number(process.env['EBB_BENCH_ROUNDS'] ?? 3);
const SECONDS = Number(process.env['EBB_BENCH_SECONDS'] ?? 5);
const CONNECTIONS = Number(process.env['EBB_BENCH_CONNECTIONS'] ?? 8);
const STREAMS = Number(process.env['EBB_BENCH_STREAMS'] ?? 16);

interface Child {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly port: number;
  stop(): Promise<void>;
}

async function stopChild(child: ChildProcess, ask: () => void): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  ask();
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

async function startNode(args: readonly string[]): Promise<Child> {
  const child = fork(join(import.meta.dirname, 'h2-bench-process.ts'), args, {
    execArgv: ['--conditions=@ebb/source', '--disable-warning=ExperimentalWarning'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${args[0]} exited with ${code} before listening`)));
    child.on('message', (m: { ready?: boolean; port: number }) => m.ready && resolve(m.port));
  });
  return { child, pid: child.pid ?? 0, port, stop: () => stopChild(child, () => child.send('stop')) };
}

/** Builds `go-h2c-proxy/` once per source version into ~/.cache/ebb/bench and starts it before `backendPort`. */
async function startGoH2c(backendPort: number): Promise<Child> {
  const source = join(import.meta.dirname, 'go-h2c-proxy');
  const hash = createHash('sha256').update(readFileSync(join(source, 'main.go'))).update(readFileSync(join(source, 'go.sum'))).digest('hex').slice(0, 12);
  const dir = join(homedir(), '.cache', 'ebb', 'bench');
  const binary = join(dir, `go-h2c-proxy-${hash}`);
  if (!existsSync(binary)) {
    mkdirSync(dir, { recursive: true });
    execFileSync('go', ['build', '-o', binary, '.'], { cwd: source, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const child = spawn(binary, [String(backendPort)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`go-h2c-proxy exited with ${code} before listening`)));
    child.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
  });
  return { child, pid: child.pid ?? 0, port, stop: () => stopChild(child, () => child.kill('SIGTERM')) };
}

interface Load {
  readonly requests: number;
  readonly succeeded: number;
  readonly rps: number;
}

/** One h2load run against `port`; `grpc` posts a framed Echo request with gRPC's headers. */
async function h2load(port: number, grpc: string | undefined): Promise<Load> {
  const args = ['-c', String(CONNECTIONS), '-m', String(STREAMS), '-D', String(SECONDS), '-H', ':authority: echo.local'];
  if (grpc) args.push('-d', grpc, '-H', 'content-type: application/grpc', '-H', 'te: trailers');
  args.push(`http://127.0.0.1:${port}${grpc ? '/ebb.test.Echo/Say' : '/'}`);
  const text = await new Promise<string>((resolve, reject) =>
    execFile(process.env['H2LOAD'] ?? 'h2load', args, { encoding: 'utf8', maxBuffer: 1 << 24 }, (err, out, errText) => (err ? reject(new Error(`h2load: ${err.message} ${errText}`)) : resolve(out))),
  );
  const m = /requests: (\d+) total, \d+ started, (\d+) done, (\d+) succeeded/.exec(text);
  const rps = /finished in [\d.]+\w+, ([\d.]+) req\/s/.exec(text);
  if (!m || !rps) throw new Error(`cannot read h2load's output:\n${text}`);
  return { requests: Number(m[2]), succeeded: Number(m[3]), rps: Number(rps[1]) };
}

const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

async function measure(kind: 'h2c' | 'grpc', body: string | undefined): Promise<void> {
  const backend = await startNode([kind === 'grpc' ? 'grpcbackend' : 'h2backend']);
  const gateway = await startNode(['gateway', String(backend.port)]);
  const go = await startGoH2c(backend.port);
  const proxies = [
    { name: 'gateway', child: gateway },
    { name: 'go', child: go },
  ];
  const perCore = new Map<string, number[]>(proxies.map((p) => [p.name, []]));
  const rps = new Map<string, number[]>(proxies.map((p) => [p.name, []]));
  let failed = 0;
  try {
    // Warm-up (connections, JIT), not counted.
    for (const p of proxies) await h2load(p.child.port, body);
    for (let r = 0; r < ROUNDS; r++) {
      for (let i = 0; i < proxies.length; i++) {
        const p = proxies[(i + r) % proxies.length];
        if (!p) continue;
        const before = cpuSeconds(p.child.pid);
        const load = await h2load(p.child.port, body);
        const cpu = cpuSeconds(p.child.pid) - before;
        failed += load.requests - load.succeeded;
        perCore.get(p.name)?.push(load.succeeded / cpu);
        rps.get(p.name)?.push(load.rps);
      }
    }
  } finally {
    await Promise.all([gateway.stop(), go.stop()]);
    await backend.stop();
  }
  const g = spread(perCore.get('gateway') ?? []);
  const o = spread(perCore.get('go') ?? []);
  const ratio = spread((perCore.get('gateway') ?? []).map((v, i) => v / (perCore.get('go')?.[i] ?? NaN)));
  const row = (name: string, s: { median: number; min: number; max: number }, r: number[]): string =>
    `| ${kind} | ${name} | ${fmt(s.median)} (${fmt(s.min)}-${fmt(s.max)}) | ${fmt(spread(r).median)} |`;
  console.log(row('gateway', g, rps.get('gateway') ?? []));
  console.log(row('Go h2c proxy', o, rps.get('go') ?? []));
  console.log(`| ${kind} | **gateway / Go per core** | **${fmt(ratio.median, 2)}** (${fmt(ratio.min, 2)}-${fmt(ratio.max, 2)}) | failed or non-2xx: ${failed} |`);
}

// A gRPC-framed Echo request: flag 0, length 4, then the protobuf of { text: "hi" }.
const grpcBody = join(tmpdir(), 'ebb-bench-grpc-say.bin');
writeFileSync(grpcBody, Buffer.from([0, 0, 0, 0, 4, 0x0a, 0x02, 0x68, 0x69]));
console.log(`h2load -c ${CONNECTIONS} -m ${STREAMS} -D ${SECONDS}; ${ROUNDS} rounds; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
console.log('| Load | Proxy | Requests per proxy core: median (min-max) | Requests/s (median) |');
console.log('|---|---|---|---|');
await measure('h2c', undefined);
await measure('grpc', grpcBody);
console.log(`\nload average at the end ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
